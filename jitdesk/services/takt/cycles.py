"""`complete_cycle`: the one call a touch, a cycle barcode and a pedal or sensor all make.

One transaction appends `takt.cycle.completed` for the line, with the parts one cycle makes under the
shift's demand (1 when none is set); the unit of work folds it into `takt_cycle` and the derived
`takt_minutes`. A second completion of the same line within `DOUBLE_MS` (a pedal that bounces, a
double touch) is answered and not recorded. The answer is a message code with parameters.

`undo_last_cycle` cancels the line's latest completion with a `takt.cycle.undone` event on the same
entity (counts follow from the events; nothing is edited): within `UNDO_MS` of the completion anyone at
the station that recorded it may (no sign-in, like Cycle done itself); later, or from another station,
a supervisor or above must be signed in. Only the current shift's cycles can be undone.
"""

from __future__ import annotations

from dataclasses import dataclass

from jitdesk.domain.auth import Role
from jitdesk.domain.errors import NotAllowed, NotFound
from jitdesk.domain.ids import new_id
from jitdesk.domain.messages import Message, define, message
from jitdesk.domain.takt.cycle import COMPLETED, CYCLE_PROJECTOR, UNDONE
from jitdesk.domain.takt.plan import plan_at
from jitdesk.domain.takt.records import line_calendar
from jitdesk.services.access import require_role
from jitdesk.services.changes import NO_CHANGES, Changes
from jitdesk.services.takt.status import days_around, line_by_code
from jitdesk.services.uow import transaction, wall_clock_ms
from jitdesk.services.words import words_in
from jitdesk.storage import identity, projections, takt_repo
from jitdesk.storage.database import STATION_ID, Database

DOUBLE_MS = 1500
UNDO_MS = 120_000  # a worker may take back a cycle for this long; later a supervisor must
CYCLE_CODE_PREFIX = "TAKT:"  # a cycle barcode: TAKT:<line code>

DONE = define("takt.cycle_done", "line", "parts")
DOUBLE = define("takt.double", "line")
UNDONE_NOTE = define("takt.cycle_undone", "line", "parts")
NOTHING_TO_UNDO = define("takt.nothing_to_undo", "line")
UNDO_NEEDS_SUPERVISOR = define("takt.undo_needs_supervisor", "line", "minutes")


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



def undo_last_cycle(db: Database, line_id: str, *, station_id: str | None = None, actor: str | None = None,
                    now_ms: int | None = None) -> CycleOutcome:
    """Undo the line's latest completion in the running shift (`recorded` says whether one was undone).
    A worker's undo too late or from elsewhere is refused with NotAllowed in plain words."""
    at = wall_clock_ms() if now_ms is None else now_ms
    with transaction(db, now_ms=lambda: at) as tx:
        names = {lid: line.code for lid, line in takt_repo.lines(tx.session)}
        if line_id not in names:
            raise NotFound(f"Line {line_id} does not exist.")
        here = station_id if station_id is not None else identity.get_setting(tx.session, STATION_ID)
        zone = takt_repo.plant_timezone(tx.session)
        shift = line_calendar(takt_repo.calendars(tx.session), line_id, zone).shift_at(at)
        last = takt_repo.last_cycles(tx.session, line_id, shift.start_ms, 1, at) if shift is not None else []
        if not last:
            return CycleOutcome(False, message(NOTHING_TO_UNDO, line=names[line_id]), at)
        cycle_id, done_ms, done_at = last[0]
        if at - done_ms > UNDO_MS or (done_at is not None and done_at != here):
            try:
                require_role(tx, actor, Role.SUPERVISOR)
            except NotAllowed:
                note = message(UNDO_NEEDS_SUPERVISOR, line=names[line_id], minutes=UNDO_MS // 60_000)
                raise NotAllowed(words_in(tx.session).render(note)) from None
        found = projections.load(tx.session, CYCLE_PROJECTOR, cycle_id)
        parts = found[0].parts if found is not None else 0
        event = tx.append(UNDONE, cycle_id, {"line_id": line_id, "station_id": here}, actor)
    return CycleOutcome(True, message(UNDONE_NOTE, line=names[line_id], parts=parts), at, event.event_id,
                        tx.changes)
