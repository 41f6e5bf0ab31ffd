"""The derived per-station andon state (`station_andon`): what the stack light and the board show.

An aggregate over the open calls of each station: a call counts in its station's row from its raise
until it is resolved or cancelled; a station with no open call has no row (it is clear: green). Each
call contributes the facts the light needs (severity and stops-line as raised, claimed or not), so a
call's change updates its station's row without reading the station's other calls.

The light: red for a line-stopping or critical call, amber otherwise, green when clear; flashing while
any call is unclaimed; the buzzer sounds while an unclaimed call is high or critical or stops the line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jitdesk.domain.andon.call import CALL_PROJECTOR, Call
from jitdesk.domain.andon.types import severity_rank
from jitdesk.domain.fold import PROJECTORS, Aggregate, States

GREEN, AMBER, RED = "green", "amber", "red"


@dataclass(frozen=True)
class LightState:
    """What a stack light shows: a colour, steady or flashing, and the buzzer on or off."""

    colour: str = GREEN
    flash: bool = False
    buzzer: bool = False


CLEAR = LightState()


@dataclass(frozen=True)
class StationAndon:
    open_calls: int
    unclaimed: int
    stops_line: bool
    top_severity: str
    oldest_ms: int
    light: str
    flash: bool
    buzzer: bool

    @property
    def light_state(self) -> LightState:
        return LightState(self.light, self.flash, self.buzzer)


def _group(call: Call) -> str | None:
    return call.station_id if call.raised and call.is_open else None


def _member(call: Call) -> list[Any]:
    return [call.severity, call.stops_line, call.acknowledged, call.raised_ms]


def station_state(contributions: Mapping[str, Any]) -> StationAndon:
    """The station's row from its open calls' [severity, stops_line, claimed, raised_ms]."""
    calls = list(contributions.values())
    unclaimed = [c for c in calls if not c[2]]
    stops = any(c[1] for c in calls)
    top = max((c[0] for c in calls), key=severity_rank, default="low")
    red = stops or top == "critical"
    buzzer = any(c[1] or severity_rank(c[0]) >= severity_rank("high") for c in unclaimed)
    return StationAndon(len(calls), len(unclaimed), stops, top, min((c[3] for c in calls), default=0),
                        RED if red else AMBER, bool(unclaimed), buzzer)


def _combine(_station_id: str, contributions: Mapping[str, Any], _states: States) -> StationAndon:
    return station_state(contributions)


STATION_ANDON = PROJECTORS.add_derived(Aggregate("station_andon", StationAndon, CALL_PROJECTOR.name, _group,
                                                 _member, _combine))
