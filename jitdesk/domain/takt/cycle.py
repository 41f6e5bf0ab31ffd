"""Cycle completions: the `takt.cycle.completed` event, `takt.cycle.undone` (a later event on the same
entity that cancels a completion pressed by mistake), the `takt_cycle` projector (one entity per
completion) and the derived `takt_minutes` counts, in which an undone completion counts nowhere.

A completion counts at the time it was recorded (the event's wall time, from the recording device),
so a completion recorded offline lands in its own shift whenever it arrives. Counts are kept per line
and clock hour (UTC) with a part count per minute: shift edges are whole minutes in every modern time
zone, so any shift's count is an exact sum of these rows, and a calendar edit (an override, a moved
break) changes which rows a shift sums, never what was folded. Nothing is a stored counter: each row
is made from its members, the completions, by the fold machinery.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from jitdesk.domain.events import REGISTRY, Event, EventKind
from jitdesk.domain.fold import PROJECTORS, Aggregate, Projector, States
from jitdesk.domain.schema import Choice, Int, Schema, Str

COMPLETED = "takt.cycle.completed"
UNDONE = "takt.cycle.undone"
SOURCES = ("touch", "scan", "serial", "simulator", "import")
HOUR_MS, MINUTE_MS = 3_600_000, 60_000

REGISTRY.register(EventKind(COMPLETED, {1: Schema({
    "line_id": Str(max_len=64),
    "parts": Int(min=1, max=10_000),
    "source": Choice(*SOURCES),
    "station_id": Str(max_len=64, required=False, nullable=True),
})}))
REGISTRY.register(EventKind(UNDONE, {1: Schema({
    "line_id": Str(max_len=64),
    "station_id": Str(max_len=64, required=False, nullable=True),
})}))


@dataclass(frozen=True)
class TaktCycle:
    line_id: str
    at_ms: int
    parts: int
    source: str
    station_id: str | None
    undone: bool = False


def event_ms(event: Event) -> int:
    return int(datetime.fromisoformat(event.wall_time.replace("Z", "+00:00")).timestamp() * 1000)


def _apply(state: TaktCycle | None, event: Event) -> TaktCycle:
    p = event.payload
    if event.kind == UNDONE:
        if state is None:  # the completion has not arrived: it will fold in before this on the re-fold
            return TaktCycle(p["line_id"], 0, 0, "touch", p.get("station_id"), undone=True)
        return replace(state, undone=True)
    if state is not None:  # one completion per entity; a second event for it (a replay) changes nothing
        return state
    return TaktCycle(p["line_id"], event_ms(event), p["parts"], p["source"], p.get("station_id"))


CYCLE_PROJECTOR = PROJECTORS.add(Projector("takt_cycle", TaktCycle, frozenset({COMPLETED, UNDONE}), _apply,
                                           version=2))


@dataclass(frozen=True)
class TaktMinutes:
    """Completions of one line in one clock hour: `parts[m]` made in minute m of the hour."""

    line_id: str
    hour: int  # ms since the epoch // HOUR_MS
    cycles: int
    total: int
    parts: tuple[int, ...]


def hour_key(line_id: str, hour: int) -> str:
    return f"{line_id}|{hour}"


def _group(cycle: TaktCycle) -> str | None:
    if cycle.undone:
        return None
    return hour_key(cycle.line_id, cycle.at_ms // HOUR_MS)


def _member(cycle: TaktCycle) -> list[int]:
    return [(cycle.at_ms % HOUR_MS) // MINUTE_MS, cycle.parts]


def _combine(key: str, members: Mapping[str, Any], _states: States) -> TaktMinutes:
    line_id, hour = key.rsplit("|", 1)
    parts = [0] * 60
    for minute, count in members.values():
        parts[minute] += count
    return TaktMinutes(line_id, int(hour), len(members), sum(parts), tuple(parts))


TAKT_MINUTES = PROJECTORS.add_derived(Aggregate("takt_minutes", TaktMinutes, CYCLE_PROJECTOR.name, _group,
                                                _member, _combine, version=2))


def parts_between(rows: Iterable[TaktMinutes], start_ms: int, end_ms: int) -> int:
    """Parts the rows hold in the minutes from `start_ms` to `end_ms` (shift edges are whole minutes;
    an `end_ms` inside a minute, such as now, takes that whole minute: nothing in it is later than now)."""
    first, last = start_ms // MINUTE_MS, -(-end_ms // MINUTE_MS)
    total = 0
    for row in rows:
        base = row.hour * 60
        if base >= first and base + 60 <= last:
            total += row.total
            continue
        lo, hi = max(first - base, 0), min(last - base, 60)
        if hi > lo:
            total += sum(row.parts[lo:hi])
    return total
