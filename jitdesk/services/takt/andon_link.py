"""The andon link: a line more than its threshold of cycles behind plan raises an andon call of the
plant's takt type (code `TAKT`) at the line's owner station; the system resolves it when the line is
back within the threshold, its shift ends or the link is switched off (rule: domain.takt.link).

Every station of a line looks for it (`look`, every few seconds: runtime.takt_routes.follow_andon_link;
`stations=` names others: the demo plays every station), so the line gets its call while its owner is
down. The call goes to the owner station (of the line's active stations the one with role "line" and the
lowest code, else the lowest code) under the episode's id (`domain.takt.link.episode_call_id`: line,
shift, number of the link's call in the shift), so two stations raising one episode write one call once
they sync, whichever of them is up, and a restarted station reads what the episode already had from the
log. Two stations apart long enough to see different completions may disagree on when an episode ended;
then the one that saw the line back may raise the next number, which is a new episode's call.
A plant without a `TAKT` type gets no calls.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from jitdesk.domain.andon.call import CALL_PROJECTOR, CALL_RAISED, Call
from jitdesk.domain.andon.rules import decide_raise
from jitdesk.domain.fold import PROJECTORS
from jitdesk.domain.master import CallType, Station
from jitdesk.domain.takt.link import LinkAction, behind, decide_link, episode_call_id, still_in_episode
from jitdesk.domain.takt.plan import ShiftPlan
from jitdesk.services.andon.calls import resolve_by_system
from jitdesk.services.changes import NO_CHANGES, Changes
from jitdesk.services.takt.status import LineTakt, board
from jitdesk.services.uow import transaction, wall_clock_ms
from jitdesk.storage import andon_repo, eventlog, identity, projections, takt_repo
from jitdesk.storage.database import STATION_ID, Database

__all__ = ["LinkResult", "look", "owner_stations"]

log = logging.getLogger("jitdesk.takt")

TAKT_CODE = "TAKT"
SOURCE = "board"  # the andon call sources have no "takt" yet; the note says the takt link raised it
RESOLVE_REASON = "other"
NOTE_PREFIX = "takt link: "  # marks the calls the link raised and closed (a person's own TAKT press is left alone)
MAX_CYCLES = 100_000  # more completions than any shift has


def _stations(session: Session) -> dict[str, Station]:
    return projections.all_states(session, PROJECTORS.get("station"))


def owner_stations(session: Session) -> dict[str, str]:
    """line id -> the station that owns it (see the module text)."""
    ranked = sorted(((s.role != "line", s.code, sid, s.line_id) for sid, s in _stations(session).items()
                     if s.active and s.line_id))
    out: dict[str, str] = {}
    for _not_line, _code, sid, line_id in ranked:
        assert line_id is not None
        out.setdefault(line_id, sid)
    return out


def _takt_type(session: Session) -> tuple[str, CallType] | None:
    types: dict[str, CallType] = projections.all_states(session, PROJECTORS.get("call_type"))
    found = sorted((cid, t) for cid, t in types.items() if t.code.upper() == TAKT_CODE and t.active)
    return found[0] if found else None


@dataclass(frozen=True)
class LinkResult:
    raised: tuple[str, ...] = ()  # call ids
    resolved: tuple[str, ...] = ()
    changes: Changes = NO_CHANGES


def look(db: Database, *, now_ms: int | None = None, stations: Iterable[str] | None = None) -> LinkResult:
    """One look at the lines of `stations` (default: this station): raise or resolve their calls."""
    now = wall_clock_ms() if now_ms is None else now_ms
    with db.reading() as session:
        acting = set(stations) if stations is not None else {identity.get_setting(session, STATION_ID)}
        kind = _takt_type(session)
        all_stations = _stations(session)
        owners = owner_stations(session)
    lines_of = {s.line_id for sid, s in all_stations.items() if sid in acting and s.active and s.line_id}
    if kind is None or not lines_of:
        return LinkResult()
    type_id, call_type = kind
    lines = [lt for lt in board(db, now_ms=now).lines if lt.line_id in lines_of]
    raised: list[str] = []
    resolved: list[str] = []
    with transaction(db, now_ms=lambda: now) as tx:
        for line in lines:
            session = tx.session
            on_line = {sid for sid, s in all_stations.items() if s.line_id == line.line_id}
            mine = [c for c in andon_repo.open_calls(session) if c.station_id in on_line and _is_link_call(c, type_id)]
            plan = line.status.plan
            called = (plan is not None and not mine and line.settings.andon_link and behind(line.status, line.settings)
                      and _episode_called(session, line, plan, now))  # read only when a call is due
            action = decide_link(line.status, line.settings, bool(mine), called)
            if action is LinkAction.RAISE and plan is not None:
                station = owners[line.line_id]
                if decide_raise(call_type, station, andon_repo.open_calls_at(session, station), type_id) is None:
                    call_id = _next_call_id(session, line.line_id, plan)
                    tx.append(CALL_RAISED, call_id, {
                        "station_id": station, "call_type_id": type_id, "source": SOURCE,
                        "severity": call_type.severity, "stops_line": call_type.stops_line,
                        "note": _note(line)}, None)
                    raised.append(call_id)
                    log.info("takt call %s raised: %s", call_id, _note(line))
            elif action is LinkAction.RESOLVE:
                for call in mine:
                    resolve_by_system(tx, call, RESOLVE_REASON, _back(line))
                    resolved.append(call.call_id)
                    log.info("takt call %s resolved: %s", call.call_id, _back(line))
    return LinkResult(tuple(raised), tuple(resolved), tx.changes)


def _is_link_call(call: Call, type_id: str) -> bool:
    return call.call_type_id == type_id and call.source == SOURCE and call.note.startswith(NOTE_PREFIX)


def _shift_calls(session: Session, line_id: str, plan: ShiftPlan) -> list[Call]:
    """The link's calls of the line in this shift, by number (a number's call stands even while only its
    later events have come)."""
    out: list[Call] = []
    while (found := projections.load(session, CALL_PROJECTOR,
                                     episode_call_id(line_id, plan.shift.start_ms, len(out) + 1))) is not None:
        out.append(found[0])
    return out


def _next_call_id(session: Session, line_id: str, plan: ShiftPlan) -> str:
    return episode_call_id(line_id, plan.shift.start_ms, len(_shift_calls(session, line_id, plan)) + 1)


def _episode_called(session: Session, line: LineTakt, plan: ShiftPlan, now_ms: int) -> bool:
    """The shift's last link call was closed by a person and the line has not been back since its raise."""
    calls = _shift_calls(session, line.line_id, plan)
    last = calls[-1] if calls else None
    if last is None or last.is_open or _closed_by_link(last):
        return False
    rows = takt_repo.minute_rows(session, plan.shift.start_ms, plan.shift.end_ms, line.line_id)
    since = takt_repo.latest_completions(session, line.line_id, _raised_wall_ms(session, last) + 1, MAX_CYCLES,
                                         now_ms)
    return still_in_episode(plan, line.settings, rows, since)


def _raised_wall_ms(session: Session, call: Call) -> int:
    """When the call was raised by the raising device's wall clock, the clock cycles are recorded on: the
    call's stamp may run ahead of it (a hybrid clock never goes back, and follows a fast remote clock)."""
    raised = [e for e in eventlog.entity_events(session, call.call_id, [CALL_RAISED]) if e.wall_time]
    if not raised:
        return call.raised_ms
    first = min(raised, key=lambda e: e.order_key)
    return int(datetime.fromisoformat(first.wall_time.replace("Z", "+00:00")).timestamp() * 1000)


def _closed_by_link(call: Call) -> bool:
    return call.end_by is None and call.end_reason == RESOLVE_REASON and call.end_text.startswith(NOTE_PREFIX)


def _note(line: LineTakt) -> str:
    return (f"{NOTE_PREFIX}line {line.code} is {line.status.behind_takts:.0f} cycles behind plan "
            f"(more than {line.settings.andon_takts})")


def _back(line: LineTakt) -> str:
    if line.status.plan is None:
        return f"{NOTE_PREFIX}line {line.code}'s shift ended"
    if not line.settings.andon_link:
        return f"{NOTE_PREFIX}switched off for line {line.code}"
    return f"{NOTE_PREFIX}line {line.code} is back within {line.settings.andon_takts} cycles of plan"
