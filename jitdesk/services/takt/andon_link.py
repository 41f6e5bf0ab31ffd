"""The andon link: a line more than its threshold of cycles behind plan raises an andon call of the
plant's takt type (code `TAKT`) at the line's owner station; the system resolves it when the line is
back within the threshold, its shift ends or the link is switched off (rule: domain.takt.link).

Exactly one device acts for a line: the one whose station owns it (of the line's active stations the
one with role "line" and the lowest code, else the lowest code), so several stations on a line, each
with its own copy of the log, never raise two calls for one episode. `AndonLink.step` runs every few
seconds on each station (runtime.takt_routes.follow_andon_link) and acts for the lines its station owns
(`stations=` names others: the demo plays every station). A plant without a `TAKT` type gets no calls.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from jitdesk.domain.andon.call import CALL_RAISED
from jitdesk.domain.andon.rules import decide_raise
from jitdesk.domain.fold import PROJECTORS
from jitdesk.domain.ids import uuid7
from jitdesk.domain.master import CallType, Station
from jitdesk.domain.takt.link import LinkAction, decide_link
from jitdesk.services.andon.calls import resolve_by_system
from jitdesk.services.changes import NO_CHANGES, Changes
from jitdesk.services.takt.status import LineTakt, board
from jitdesk.services.uow import transaction, wall_clock_ms
from jitdesk.storage import andon_repo, identity, projections
from jitdesk.storage.database import STATION_ID, Database

__all__ = ["AndonLink", "LinkResult", "owner_stations"]

log = logging.getLogger("jitdesk.takt")

TAKT_CODE = "TAKT"
SOURCE = "board"  # the andon call sources have no "takt" yet; the note says the takt link raised it
RESOLVE_REASON = "other"
NOTE_PREFIX = "takt link: "  # marks the calls the link raised (a person's own TAKT press is left alone)


def owner_stations(session: Session) -> dict[str, str]:
    """line id -> the station that owns it (see the module text)."""
    stations: dict[str, Station] = projections.all_states(session, PROJECTORS.get("station"))
    ranked = sorted(((s.role != "line", s.code, sid, s.line_id) for sid, s in stations.items()
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


class AndonLink:
    """Remembers, per line, whether the running episode has had its call (`armed` False)."""

    def __init__(self) -> None:
        self.armed: dict[str, bool] = {}

    def step(self, db: Database, *, now_ms: int | None = None, stations: Iterable[str] | None = None) -> LinkResult:
        now = wall_clock_ms() if now_ms is None else now_ms
        with db.reading() as session:
            acting = set(stations) if stations is not None else {identity.get_setting(session, STATION_ID)}
            kind = _takt_type(session)
            owned = {line: sid for line, sid in owner_stations(session).items() if sid in acting}
        if kind is None or not owned:
            return LinkResult()
        type_id, call_type = kind
        lines = [lt for lt in board(db, now_ms=now).lines if lt.line_id in owned]
        raised: list[str] = []
        resolved: list[str] = []
        with transaction(db, now_ms=lambda: now) as tx:
            for line in lines:
                station = owned[line.line_id]
                open_calls = andon_repo.open_calls_at(tx.session, station)
                mine = [c for c in open_calls if c.call_type_id == type_id and c.source == SOURCE
                        and c.note.startswith(NOTE_PREFIX)]
                armed = self.armed.get(line.line_id, not mine)
                action, self.armed[line.line_id] = decide_link(line.status, line.settings, bool(mine), armed)
                if action is LinkAction.RAISE and decide_raise(call_type, station, open_calls, type_id) is None:
                    call_id = uuid7(now)
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


def _note(line: LineTakt) -> str:
    return (f"{NOTE_PREFIX}line {line.code} is {line.status.behind_takts:.0f} cycles behind plan "
            f"(more than {line.settings.andon_takts})")


def _back(line: LineTakt) -> str:
    if line.status.plan is None:
        return f"{NOTE_PREFIX}line {line.code}'s shift ended"
    if not line.settings.andon_link:
        return f"takt link switched off for line {line.code}"
    return f"{NOTE_PREFIX}line {line.code} is back within {line.settings.andon_takts} cycles of plan"
