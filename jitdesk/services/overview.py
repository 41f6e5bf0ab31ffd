"""Read-only figures over the event log for the KPI page: events by kind and by day.

Days are the plant's days (its time zone, like every time on screen): events are counted per UTC hour
in SQL and the hours added up into the plant's calendar days here. (A zone off UTC by a half hour puts
each hour in the day it starts in.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from sqlalchemy import func, select

import jitdesk.domain.master  # noqa: F401 (registers the plant projector, whose time zone words_in reads)
from jitdesk.services import snapshot_base
from jitdesk.services.words import words_in
from jitdesk.storage.database import Database
from jitdesk.storage.schema import EventRow, table

EVENTS = table(EventRow)


@dataclass(frozen=True)
class EventOverview:
    total: int
    by_kind: tuple[tuple[str, int], ...]  # most frequent first
    by_day: tuple[tuple[str, int], ...]  # "YYYY-MM-DD" in the plant's time zone, newest first
    zone: str = "UTC"  # the plant's time zone, for the page's words
    note: str | None = None  # why older events are not in this log (the station started from a snapshot)


def days_of(hours: list[tuple[str, int]], zone: tzinfo, days: int) -> tuple[tuple[str, int], ...]:
    """("YYYY-MM-DDTHH" UTC hour, count) rows -> (plant day, count), newest first, at most `days`."""
    totals: dict[str, int] = {}
    for stamp, n in hours:
        start = datetime.strptime(stamp[:13], "%Y-%m-%dT%H").replace(tzinfo=UTC)
        day = start.astimezone(zone).strftime("%Y-%m-%d")
        totals[day] = totals.get(day, 0) + n
    return tuple(sorted(totals.items(), reverse=True)[:days])


def event_overview(db: Database, days: int = 14) -> EventOverview:
    hour = func.substr(EVENTS.c.wall_time, 1, 13)
    with db.reading() as session:
        zone = words_in(session).zone
        note = snapshot_base.note(session)
        kinds = session.execute(  # the total is their sum: one scan of the log fewer
            select(EVENTS.c.kind, func.count()).group_by(EVENTS.c.kind)
            .order_by(func.count().desc(), EVENTS.c.kind)
        ).all()
        per_hour = session.execute(
            select(hour, func.count()).group_by(hour).order_by(hour.desc()).limit((days + 1) * 24)
        ).all()
    by_kind = tuple((str(k), int(n)) for k, n in kinds)
    return EventOverview(
        total=sum(n for _, n in by_kind),
        by_kind=by_kind,
        by_day=days_of([(str(h), int(n)) for h, n in per_hour], zone, days),
        zone=str(zone),
        note=note,
    )
