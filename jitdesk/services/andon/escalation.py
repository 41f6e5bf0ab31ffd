"""The escalation book read: call types, each line's own ladders, the duty roster, which line each
station is on, each line's calendar and the demand around the calls' raise times (the takt module's
tables), so `EscalationBook.of(call, now)` gives every screen the same level and the same person.

The takt of a line-stopping call comes from the takt module (calendar and demand), and falls back to
`default_takt_ms` (the station's `[andon] takt_seconds`) where the line has no plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy.orm import Session

from jitdesk.domain.andon.book import EscalationBook
from jitdesk.domain.fold import PROJECTORS
from jitdesk.domain.master import CallType, Duty, EscalationPlan, Station
from jitdesk.domain.takt.calendar import Calendar, local_date
from jitdesk.domain.takt.records import calendar_from, line_calendars
from jitdesk.services.uow import wall_clock_ms
from jitdesk.storage import projections, takt_repo
from jitdesk.storage.database import Database


def _demand_days(zone: str, times_ms: Iterable[int]) -> list[str]:
    """The plant-local days a shift running at those times may have started on."""
    tz = Calendar(zone).zone
    days = set()
    for at in times_ms:
        day = local_date(tz, at)
        days.update({(day - timedelta(days=1)).isoformat(), day.isoformat()})
    return sorted(days)


def escalation_book(session: Session, *, default_takt_ms: int | None = None, raised_ms: Iterable[int] = (),
                    call_types: dict[str, CallType] | None = None,
                    stations: dict[str, Station] | None = None) -> EscalationBook:
    """The book, with demand for the days around now and around `raised_ms` (the open calls' raises);
    `call_types` and `stations` when the caller has just read them (the board)."""
    if call_types is None:
        call_types = projections.all_states(session, PROJECTORS.get("call_type"))
    if stations is None:
        stations = projections.all_states(session, PROJECTORS.get("station"))
    plans: dict[str, EscalationPlan] = projections.all_states(session, PROJECTORS.get("escalation_plan"))
    duties: dict[str, Duty] = projections.all_states(session, PROJECTORS.get("duty"))
    zone = takt_repo.plant_timezone(session)
    records = takt_repo.calendars(session)
    line_ids = [lid for lid, _line in takt_repo.lines(session)]
    calendars: dict[str | None, Calendar] = {lid: c for lid, c in line_calendars(records, line_ids, zone).items()}
    calendars[None] = calendar_from([r for r in records if r.active and r.line_id is None], zone)
    demands = takt_repo.demands(session, _demand_days(zone, [wall_clock_ms(), *raised_ms]))
    return EscalationBook(
        call_types=call_types,
        plans={p.key: p for p in plans.values() if p.active},
        duties=tuple(d for d in duties.values() if d.active),
        station_lines={sid: st.line_id for sid, st in stations.items()},
        calendars=calendars,
        demands=tuple(demands),
        default_takt_ms=default_takt_ms or None,
    )


def read_book(db: Database, *, default_takt_ms: int | None = None) -> EscalationBook:
    with db.reading() as session:
        return escalation_book(session, default_takt_ms=default_takt_ms)
