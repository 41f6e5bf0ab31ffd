"""How the board's tiles fill a screen: the largest type that fits every station, never below the cap
height a board needs to be read from 10 m (50 px at 1080 lines), and pages when even that is too many.

Each production line starts a new row, so a line's stations stay together. Pure arithmetic over a
`measure(text, cap_px) -> width` function, so it is tested without painting.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

MIN_CAP_AT_1080 = 50  # px: about 1/200 of 10 m on a 55" 1080p screen
GAP = 4
PAD = 3
TIMER_SAMPLE = "88:88"


@dataclass(frozen=True)
class Cell:
    index: int  # into the station list
    x: int
    y: int
    w: int
    h: int


@dataclass(frozen=True)
class BoardLayout:
    cap_px: int
    columns: int
    rows_per_page: int
    pages: tuple[tuple[Cell, ...], ...]

    @property
    def page_count(self) -> int:
        return max(1, len(self.pages))


def min_cap(screen_height: int) -> int:
    return max(12, round(MIN_CAP_AT_1080 * screen_height / 1080))


def tile_height(cap_px: int) -> int:
    """A band of small words (half the cap) over the station code and the timer, each a cap line."""
    big = round(cap_px * 1.3)
    small = round(cap_px * 0.7)
    return small + 2 * big + 2 * PAD


def _rows(groups: Sequence[int], columns: int) -> int:
    return sum(-(-n // columns) for n in groups if n)


def plan(groups: Sequence[int], width: int, height: int, measure: Callable[[str, int], float],
         codes: Sequence[str], screen_height: int, max_cap: int = 160) -> BoardLayout:
    """Lay out `groups` (station counts per line, in order; `codes` every station's code in the same
    order) in width x height."""
    low = min_cap(screen_height)
    longest = max(codes, key=len, default="")
    best: tuple[int, int, int] | None = None
    cap = max(max_cap, low)
    while cap >= low:
        need_w = max(measure(longest, cap), measure(TIMER_SAMPLE, cap)) + 2 * PAD + GAP
        columns = max(1, int((width + GAP) // need_w))
        rows_fit = max(1, (height + GAP) // (tile_height(cap) + GAP))
        if _rows(groups, columns) <= rows_fit:
            best = (cap, columns, rows_fit)
            break
        cap -= 2
    if best is None:  # even the smallest readable type does not fit everything: pages of it
        need_w = max(measure(longest, low), measure(TIMER_SAMPLE, low)) + 2 * PAD + GAP
        best = (low, max(1, int((width + GAP) // need_w)), max(1, (height + GAP) // (tile_height(low) + GAP)))
    cap, columns, rows_fit = best
    columns = max(1, min(columns, max(groups, default=1)))  # no empty columns: the tiles take the width
    tile_w = (width - GAP * (columns - 1)) // columns
    tile_h = tile_height(cap)
    pages: list[tuple[Cell, ...]] = []
    current: list[Cell] = []
    row = 0
    index = 0
    for n in groups:
        for start in range(0, n, columns):
            if row == rows_fit:
                pages.append(tuple(current))
                current, row = [], 0
            for col in range(min(columns, n - start)):
                current.append(Cell(index, col * (tile_w + GAP), row * (tile_h + GAP), tile_w, tile_h))
                index += 1
            row += 1
    if current or not pages:
        pages.append(tuple(current))
    return BoardLayout(cap, columns, rows_fit, tuple(pages))
