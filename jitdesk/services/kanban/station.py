"""The station view's read: who this station is, its loops with their card counts, and its last scans
(their answers as message codes, with the plant's `Words` to render them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from jitdesk.domain.fold import PROJECTORS
from jitdesk.services.words import Words, stations_named, words_in
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
    words: Words = field(default_factory=Words)  # the plant's time zone and the stations the scans name


def station_panel(db: Database, station_id: str | None = None, *, now_ms: int, scans: int = 12,
                  max_loops: int = 200) -> StationPanel:
    """Cheap enough to run after every scan: counts come from one SQL aggregate, no card rows."""
    with db.reading() as session:
        sid = station_id or identity.get_setting(session, STATION_ID)
        found = projections.load(session, PROJECTORS.get("station"), sid) if sid else None
        recent = kanban_repo.recent_scans(session, sid, scans)
        words = words_in(session, stations_named(r.shown for r in recent))
        if found is None or sid is None:
            return StationPanel(sid, "", "", "", (), tuple(recent), words)
        station = found[0]
        loops = kanban_repo.loops_of_station(session, sid)[:max_loops]
        counts = kanban_repo.loop_counts(session, [lid for lid, _ in loops], now_ms)
        parts = kanban_repo.part_labels(session, (loop.part_id for _lid, loop in loops))
    rows = []
    for loop_id, loop in loops:
        c = counts[loop_id]
        number, name = parts.get(loop.part_id, ("", ""))
        rows.append(StationLoop(loop_id, loop.code, number, name,
                                "uses" if loop.consumer_station_id == sid else "supplies",
                                c.full, c.in_replenishment, c.late, c.held, c.cards))
    return StationPanel(sid, station.code, station.name, station.role, tuple(rows), tuple(recent), words)
