"""How the board's tiles fill a screen: the largest type that fits every station, never below the cap
height a board needs to be read from 10 m (50 px at 1080 lines), and pages when even that is too many.

Each production line starts a new row, so a line's stations stay together. Bottleneck stations are drawn
bigger: two columns by two rows with type up to twice the size ("big"), else two columns wide ("wide");
the board takes the first of big, wide and plain that puts every station on one page at a readable size,
and big when it pages anyway. Within a line, tiles go in station order into the first free place, so a
big tile's neighbours fill the room beside it. Pure arithmetic over a `measure(text, cap_px) -> width`
function, so it is tested without painting.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

MIN_CAP_AT_1080 = 50  # px: about 1/200 of 10 m on a 55" 1080p screen
GAP = 4
PAD = 3
TIMER_SAMPLE = "88:88"
BIG, WIDE, PLAIN = "big", "wide", "plain"


@dataclass(frozen=True)
class Cell:
    index: int  # into the station list
    x: int
    y: int
    w: int
    h: int
    cap_px: int = 0  # this tile's type (a big bottleneck tile's is larger than the board's)
    bottleneck: bool = False


@dataclass(frozen=True)
class BoardLayout:
    cap_px: int
    columns: int
    rows_per_page: int
    pages: tuple[tuple[Cell, ...], ...]
    bottleneck_mode: str = PLAIN

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


@dataclass(frozen=True)
class _Spot:
    index: int
    row: int  # within the line
    col: int
    span_c: int
    span_r: int


def _pack_line(first: int, flags: Sequence[bool], columns: int, mode: str) -> tuple[list[_Spot], int]:
    """Place one line's tiles (station indexes first, first+1, ...) in `columns`; returns the spots and
    how many rows the line takes."""
    taken: set[tuple[int, int]] = set()
    spots: list[_Spot] = []
    for offset, bottleneck in enumerate(flags):
        span_c, span_r = (1, 1)
        if bottleneck and columns >= 2 and mode != PLAIN:
            span_c, span_r = (2, 2) if mode == BIG else (2, 1)
        row = 0
        while True:
            col = next((c for c in range(columns - span_c + 1)
                        if all((row + dr, c + dc) not in taken for dr in range(span_r) for dc in range(span_c))), None)
            if col is not None:
                break
            row += 1
        taken.update((row + dr, col + dc) for dr in range(span_r) for dc in range(span_c))
        spots.append(_Spot(first + offset, row, col, span_c, span_r))
    rows = max((s.row + s.span_r for s in spots), default=0)
    grown = []
    for spot in spots:  # a plain tile with nothing under it takes the room down to the line's end
        span_r = spot.span_r
        if spot.span_c == 1 and span_r == 1:
            while spot.row + span_r < rows and (spot.row + span_r, spot.col) not in taken:
                taken.add((spot.row + span_r, spot.col))
                span_r += 1
        grown.append(_Spot(spot.index, spot.row, spot.col, spot.span_c, span_r))
    return grown, rows


def _pack(groups: Sequence[int], flags: Sequence[bool], columns: int, mode: str) -> list[tuple[list[_Spot], int]]:
    out = []
    first = 0
    for n in groups:
        if n:
            out.append(_pack_line(first, flags[first:first + n], columns, mode))
        first += n
    return out


def _strips(line: tuple[list[_Spot], int]) -> list[tuple[int, int]]:
    """A line's rows cut where no tile crosses: (first row, row count) pieces a page may not split."""
    spots, rows = line
    crossing = {s.row + r for s in spots for r in range(1, s.span_r)}  # rows that continue the one above
    out: list[tuple[int, int]] = []
    for row in range(rows):
        if row in crossing and out:
            start, count = out[-1]
            out[-1] = (start, count + 1)
        else:
            out.append((row, 1))
    return out


def _widest(groups: Sequence[int], flags: Sequence[bool], mode: str) -> int:
    """The most columns a line could fill: its stations, a bottleneck counting twice unless plain."""
    widest, first = 1, 0
    for n in groups:
        extra = 0 if mode == PLAIN else sum(flags[first:first + n])
        widest = max(widest, n + extra)
        first += n
    return widest


def _paginate(lines: list[tuple[list[_Spot], int]], rows_fit: int) -> list[list[tuple[_Spot, int]]]:
    """Each page's tiles with the row on the page they start in; a page breaks only between strips."""
    pages: list[list[tuple[_Spot, int]]] = [[]]
    row = 0  # rows used on the current page
    for spots, rows in lines:
        by_row: dict[int, list[_Spot]] = {}
        for spot in spots:
            by_row.setdefault(spot.row, []).append(spot)
        for start, count in _strips((spots, rows)):
            if row and row + count > rows_fit:
                pages.append([])
                row = 0
            for line_row in range(start, start + count):
                pages[-1].extend((spot, row + line_row - start) for spot in by_row.get(line_row, ()))
            row += count
    return pages


def _rows(lines: list[tuple[list[_Spot], int]]) -> int:
    return sum(rows for _spots, rows in lines)


def plan(groups: Sequence[int], width: int, height: int, measure: Callable[[str, int], float],
         codes: Sequence[str], screen_height: int, max_cap: int = 160,
         bottlenecks: Sequence[bool] = ()) -> BoardLayout:
    """Lay out `groups` (station counts per line, in order; `codes` every station's code and
    `bottlenecks` whether it is one, in the same order) in width x height."""
    flags = list(bottlenecks) + [False] * (len(codes) - len(bottlenecks))
    low = min_cap(screen_height)
    longest = max(codes, key=len, default="")

    def need_w(cap: int) -> float:
        return max(measure(longest, cap), measure(TIMER_SAMPLE, cap)) + 2 * PAD + GAP

    def columns_at(cap: int) -> int:
        return max(1, int((width + GAP) // need_w(cap)))

    def rows_at(cap: int) -> int:
        return max(1, (height + GAP) // (tile_height(cap) + GAP))

    modes = (BIG, WIDE, PLAIN) if any(flags) else (PLAIN,)
    best: tuple[int, int, int, str] | None = None
    for mode in modes:
        cap = max(max_cap, low)
        while cap >= low:
            columns = min(columns_at(cap), _widest(groups, flags, mode))  # no empty columns: tiles take the width
            if _rows(_pack(groups, flags, columns, mode)) <= rows_at(cap):
                best = (cap, columns, rows_at(cap), mode)
                break
            cap -= 2
        if best is not None:
            break
    if best is None:  # even the smallest readable type does not fit everything: pages of it, as few as may be
        def pages_in(mode: str) -> int:
            columns = min(columns_at(low), _widest(groups, flags, mode))
            return len(_paginate(_pack(groups, flags, columns, mode), rows_at(low)))
        fewest = min(modes, key=pages_in)  # a tie goes to the bigger bottlenecks (modes are in that order)
        best = (low, min(columns_at(low), _widest(groups, flags, fewest)), rows_at(low), fewest)
    cap, columns, rows_fit, mode = best
    tile_w = (width - GAP * (columns - 1)) // columns
    tile_h = tile_height(cap)
    pages: list[tuple[Cell, ...]] = []
    for placed in _paginate(_pack(groups, flags, columns, mode), rows_fit):
        cells = []
        for spot, page_row in placed:
            w = spot.span_c * tile_w + (spot.span_c - 1) * GAP
            h = spot.span_r * tile_h + (spot.span_r - 1) * GAP
            tile_cap = _cap_within(cap, w, h, longest, measure) if flags[spot.index] and spot.span_r > 1 else cap
            cells.append(Cell(spot.index, spot.col * (tile_w + GAP), page_row * (tile_h + GAP), w, h, tile_cap,
                              flags[spot.index]))
        if mode == PLAIN and any(c.bottleneck for c in cells):
            cells = _flex(cells, width, height, int(need_w(cap)) - GAP, longest, measure, cap)
        pages.append(tuple(cells))
    return BoardLayout(cap, columns, rows_fit, tuple(pages), mode)


def _flex(cells: list[Cell], width: int, height: int, narrowest: int, longest: str,
          measure: Callable[[str, int], float], cap: int) -> list[Cell]:
    """A full page still draws its bottlenecks bigger with the room left over: the others in a row
    narrow to the least their type needs and the bottlenecks share the rest of the row's width; the
    height left under the page's rows goes to the rows holding a bottleneck."""
    rows: dict[int, list[Cell]] = {}
    for cell in cells:
        rows.setdefault(cell.y, []).append(cell)
    tile_h = cells[0].h
    spare_h = max(0, height - (max(rows) + tile_h))
    marked = [y for y, row in rows.items() if any(c.bottleneck for c in row)]
    extra = spare_h // len(marked) if marked else 0
    out: list[Cell] = []
    shift = 0
    for y in sorted(rows):
        row = sorted(rows[y], key=lambda c: c.x)
        n_big = sum(1 for c in row if c.bottleneck)
        if not n_big:
            out.extend(Cell(c.index, c.x, c.y + shift, c.w, c.h, c.cap_px, False) for c in row)
            continue
        h = tile_h + extra
        others = len(row) - n_big
        big_w = (width - GAP * (len(row) - 1) - others * narrowest) // n_big
        plain_w = narrowest if big_w > row[0].w else row[0].w
        big_w = max(big_w, row[0].w) if big_w > row[0].w else row[0].w
        x = 0
        for c in row:
            w = big_w if c.bottleneck else plain_w
            tile_cap = _cap_within(cap, w, h, longest, measure) if c.bottleneck else cap
            out.append(Cell(c.index, x, y + shift, w, h, tile_cap, c.bottleneck))
            x += w + GAP
        shift += extra
    return out


def _cap_within(cap: int, w: int, h: int, longest: str, measure: Callable[[str, int], float]) -> int:
    """The largest type up to twice `cap` whose code and timer fit a w x h tile."""
    big = 2 * cap
    while big > cap and (tile_height(big) > h
                         or max(measure(longest, big), measure(TIMER_SAMPLE, big)) + 2 * PAD > w):
        big -= 2
    return max(cap, big)
