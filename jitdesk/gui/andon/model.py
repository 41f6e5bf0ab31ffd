"""The board's model, with no Qt: what each station's tile shows at a given moment.

Built from the `AndonBoard` read (services/andon/board.py) once per change; `tiles(now_ms)` is cheap and
runs every tick for the visible page only, with the board's escalation book (`EscalationBook.of`), so
every board and panel shows the same level, and names the same person, from the same events and clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from jitdesk.domain.andon.book import EscalationBook
from jitdesk.domain.andon.call import Call
from jitdesk.domain.andon.escalation import Escalation
from jitdesk.domain.andon.types import severity_rank, steps
from jitdesk.domain.master import CallType
from jitdesk.services.andon.board import AndonBoard, BoardStation

CLEAR_COLOUR = "#1B5E20"  # a deep green: clear stations stay calm, calls stand out
UNKNOWN_COLOUR = "#9E9E9E"


@dataclass(frozen=True)
class Tile:
    station_id: str
    code: str
    name: str
    line_code: str
    clear: bool
    colour: str  # background
    ink: str  # text colour that reads on it
    symbol: str
    words: str  # the call type's name (or "OK")
    short: str  # its code, the board's word where the name does not fit
    elapsed_ms: int
    level: int
    levels: int
    top: bool  # at the last escalation level: flashes
    notify: str | None
    claimed_by: str  # "" when nobody claimed it
    shelved: bool
    more: int  # other open calls at the station
    call_id: str | None
    bottleneck: bool = False


def ink_for(colour: str) -> str:
    """Black or white, whichever reads better on `colour` (#RRGGBB)."""
    try:
        r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    except ValueError:
        return "#000000"
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#FFFFFF"


def clock_text(ms: int) -> str:
    """Elapsed time as a board shows it: `4:05`, `1:02:03`."""
    seconds = max(0, ms) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def board_clock(ms: int) -> str:
    """Elapsed time on a tile, never wider than `88:88`: `4:05`, `99:59`, then `1h40`, `25h00`."""
    seconds = max(0, ms) // 1000
    minutes = seconds // 60
    if minutes < 100:
        return f"{minutes}:{seconds % 60:02d}"
    return f"{minutes // 60}h{minutes % 60:02d}"


def primary(calls: Sequence[Call]) -> Call:
    """The call a tile shows: the most severe, line-stopping first, unclaimed first, then the oldest."""
    return min(calls, key=lambda c: (-severity_rank(c.severity), not c.stops_line, c.acknowledged, c.raised_ms,
                                     c.call_id))


class BoardModel:
    def __init__(self, takt_ms: int | None = None) -> None:
        self.takt_ms = takt_ms
        self.stations: tuple[BoardStation, ...] = ()
        self.types: dict[str, CallType] = {}
        self._calls: dict[str, list[Call]] = {}
        self.version = 0  # bumped on every new board, so views know to re-lay out
        self.book = EscalationBook(default_takt_ms=takt_ms)

    def set_board(self, board: AndonBoard) -> None:
        self.stations = board.stations
        self.types = board.call_types
        calls: dict[str, list[Call]] = {}
        for call in board.calls:
            calls.setdefault(call.station_id, []).append(call)
        self._calls = calls
        self.book = replace(board.book, call_types=board.call_types,
                            default_takt_ms=board.book.default_takt_ms or self.takt_ms)
        self.version += 1

    def calls_at(self, station_id: str) -> list[Call]:
        return list(self._calls.get(station_id, ()))

    def has_call(self, call_id: str) -> bool:
        return any(c.call_id == call_id for calls in self._calls.values() for c in calls)

    @property
    def open_count(self) -> int:
        return sum(len(c) for c in self._calls.values())

    def escalation_of(self, call: Call, now_ms: int) -> Escalation:
        return self.book.of(call, now_ms)

    def tile(self, station: BoardStation, now_ms: int) -> Tile:
        calls = self._calls.get(station.station_id)
        if not calls:
            return Tile(station.station_id, station.code, station.name, station.line_code, True, CLEAR_COLOUR,
                        "#FFFFFF", "✔", "OK", "OK", 0, 0, 0, False, None, "", False, 0, None, station.bottleneck)
        call = primary(calls)
        call_type = self.types.get(call.call_type_id)
        esc = self.escalation_of(call, now_ms)
        colour = call_type.color if call_type is not None else UNKNOWN_COLOUR
        return Tile(station.station_id, station.code, station.name, station.line_code, False, colour, ink_for(colour),
                    call_type.symbol if call_type is not None else "?",
                    call_type.name if call_type is not None else "?", call_type.code if call_type is not None else "?",
                    now_ms - call.raised_ms, esc.level,
                    len(steps(call_type)) if call_type is not None else 0, esc.top and not call.acknowledged,
                    esc.who, call.ack_name if call.acknowledged else "", esc.shelved, len(calls) - 1, call.call_id,
                    station.bottleneck)

    def tiles(self, now_ms: int, start: int = 0, stop: int | None = None) -> list[Tile]:
        return [self.tile(s, now_ms) for s in self.stations[start:stop]]
