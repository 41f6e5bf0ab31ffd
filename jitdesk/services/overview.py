"""Read-only figures over the event log for the KPI page: events by kind and by day."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from jitdesk.storage.database import Database
from jitdesk.storage.schema import EventRow, table

EVENTS = table(EventRow)


@dataclass(frozen=True)
class EventOverview:
    total: int
    by_kind: tuple[tuple[str, int], ...]  # most frequent first
    by_day: tuple[tuple[str, int], ...]  # "YYYY-MM-DD" (UTC), newest first


def event_overview(db: Database, days: int = 14) -> EventOverview:
    day = func.substr(EVENTS.c.wall_time, 1, 10)
    with db.reading() as session:
        total = int(session.execute(select(func.count()).select_from(EVENTS)).scalar_one())
        kinds = session.execute(
            select(EVENTS.c.kind, func.count()).group_by(EVENTS.c.kind)
            .order_by(func.count().desc(), EVENTS.c.kind)
        ).all()
        per_day = session.execute(
            select(day, func.count()).group_by(day).order_by(day.desc()).limit(days)
        ).all()
    return EventOverview(
        total=total,
        by_kind=tuple((str(k), int(n)) for k, n in kinds),
        by_day=tuple((str(d), int(n)) for d, n in per_day),
    )
