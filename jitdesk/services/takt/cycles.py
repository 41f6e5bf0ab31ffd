"""`complete_cycle`: the one call a touch, a cycle barcode and a pedal or sensor all make.

One transaction appends `takt.cycle.completed` for the line, with the parts one cycle makes under the
shift's demand (1 when none is set); the unit of work folds it into `takt_cycle` and the derived
`takt_minutes`. A second completion of the same line within `DOUBLE_MS` (a pedal that bounces, a
double touch) is answered and not recorded. The answer is a message code with parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

from jitdesk.domain.errors import NotFound
from jitdesk.domain.ids import new_id
from jitdesk.domain.messages import Message, define, message
from jitdesk.domain.takt.cycle import COMPLETED
from jitdesk.domain.takt.plan import plan_at
from jitdesk.domain.takt.records import line_calendar
from jitdesk.services.changes import NO_CHANGES, Changes
from jitdesk.services.takt.status import days_around, line_by_code
from jitdesk.services.uow import transaction, wall_clock_ms
from jitdesk.storage import takt_repo
from jitdesk.storage.database import Database

DOUBLE_MS = 1500
CYCLE_CODE_PREFIX = "TAKT:"  # a cycle barcode: TAKT:<line code>

DONE = define("takt.cycle_done", "line", "parts")
DOUBLE = define("takt.double", "line")


@dataclass(frozen=True)
class CycleOutcome:
    recorded: bool
    note: Message
    at_ms: int
    event_id: str | None = None
    changes: Changes = NO_CHANGES


def is_cycle_code(code: str) -> bool:
    text = code.strip()
    return text.upper().startswith(CYCLE_CODE_PREFIX) and len(text) > len(CYCLE_CODE_PREFIX)


def line_of_code(db: Database, code: str) -> str:
    """The line id a cycle barcode names (NotFound when no line has its code)."""
    with db.reading() as session:
        return line_by_code(session, code.strip()[len(CYCLE_CODE_PREFIX):])[0]


def complete_cycle(db: Database, line_id: str, *, source: str, station_id: str | None = None,
                   actor: str | None = None, now_ms: int | None = None) -> CycleOutcome:
    at = wall_clock_ms() if now_ms is None else now_ms
    with transaction(db, now_ms=lambda: at) as tx:
        names = {lid: line.code for lid, line in takt_repo.lines(tx.session)}
        if line_id not in names:
            raise NotFound(f"Line {line_id} does not exist.")
        if takt_repo.latest_completions(tx.session, line_id, at - DOUBLE_MS + 1, 1, at + DOUBLE_MS - 1):
            return CycleOutcome(False, message(DOUBLE, line=names[line_id]), at)
        zone = takt_repo.plant_timezone(tx.session)
        calendar = line_calendar(takt_repo.calendars(tx.session), line_id, zone)
        plan = plan_at(calendar, line_id, at, takt_repo.demands(tx.session, days_around(zone, at)))
        parts = plan.parts_per_cycle if plan is not None else 1
        event = tx.append(COMPLETED, new_id(), {"line_id": line_id, "parts": parts, "source": source,
                                                 "station_id": station_id}, actor)
    return CycleOutcome(True, message(DONE, line=names[line_id], parts=parts), at, event.event_id, tx.changes)


def complete_by_code(db: Database, code: str, *, source: str, station_id: str | None = None,
                     actor: str | None = None, now_ms: int | None = None) -> CycleOutcome:
    return complete_cycle(db, line_of_code(db, code), source=source, station_id=station_id, actor=actor,
                          now_ms=now_ms)
