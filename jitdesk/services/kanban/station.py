"""The station view's read: who this station is, its loops with their card counts, and its last scans."""

from __future__ import annotations

from dataclasses import dataclass

from jitdesk.domain.fold import PROJECTORS
from jitdesk.domain.kanban.risk import is_late
from jitdesk.domain.kanban.status import Admin, Supply
from jitdesk.storage import identity, kanban_repo, projections
from jitdesk.storage.database import STATION_ID, Database
from jitdesk.storage.kanban_repo import ScanLogRecord

__all__ = ["ScanLogRecord", "StationLoop", "StationPanel", "station_panel"]


@dataclass(frozen=True)
class StationLoop:
    loop_id: str
    code: str
    part_number: str
    part_name: str
    role: str  # "uses" (this station consumes it) or "supplies"
    full: int
    in_replenishment: int
    late: int
    held: int
    cards: int  # in circulation (not retired)


@dataclass(frozen=True)
class StationPanel:
    station_id: str | None
    station_code: str
    station_name: str
    role: str
    loops: tuple[StationLoop, ...]
    scans: tuple[ScanLogRecord, ...]  # newest first


def station_panel(db: Database, station_id: str | None = None, *, now_ms: int, scans: int = 12,
                  max_loops: int = 200) -> StationPanel:
    with db.reading() as session:
        sid = station_id or identity.get_setting(session, STATION_ID)
        found = projections.load(session, PROJECTORS.get("station"), sid) if sid else None
        recent = kanban_repo.recent_scans(session, sid, scans)
        if found is None:
            return StationPanel(sid, "", "", "", (), tuple(recent))
        station = found[0]
        loops = kanban_repo.loops_of_station(session, sid)[:max_loops] if sid else []
        cards = kanban_repo.cards_of_loops(session, [lid for lid, _ in loops])
        parts = {pid: p for pid, p in projections.all_states(session, PROJECTORS.get("part")).items()} if loops else {}
    rows = []
    for loop_id, loop in loops:
        live = [c for c in cards[loop_id] if c.admin is not Admin.RETIRED]
        in_use = [c for c in live if c.in_use]
        part = parts.get(loop.part_id)
        rows.append(StationLoop(
            loop_id, loop.code, part.number if part else "", part.name if part else "",
            "uses" if loop.consumer_station_id == sid else "supplies",
            sum(1 for c in in_use if c.supply is Supply.FULL),
            sum(1 for c in in_use if c.supply is not Supply.FULL),
            sum(1 for c in in_use if is_late(c, loop, now_ms)),
            sum(1 for c in live if c.admin is Admin.ON_HOLD), len(live)))
    return StationPanel(sid, station.code, station.name, station.role, tuple(rows), tuple(recent))
