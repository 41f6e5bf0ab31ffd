"""The board's layout as arithmetic: lines start rows, bottlenecks drawn bigger where there is room, pages
that never split a big tile, and every station placed once."""

from __future__ import annotations

from jitdesk.gui.andon.layout import BIG, PLAIN, WIDE, Cell, min_cap, plan, tile_height


def measure(text: str, cap: int) -> float:
    return len(text) * cap * 0.6  # a narrow face: about 0.6 of the cap height a character


def _overlap(a: Cell, b: Cell) -> bool:
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h


def _check(layout_pages: tuple[tuple[Cell, ...], ...], count: int, width: int, height: int) -> None:
    assert sorted(c.index for page in layout_pages for c in page) == list(range(count))
    for page in layout_pages:
        for i, a in enumerate(page):
            assert a.x >= 0 and a.y >= 0 and a.x + a.w <= width and a.y + a.h <= height
            assert not any(_overlap(a, b) for b in page[i + 1:])


def test_a_small_board_draws_its_bottlenecks_two_by_two_with_larger_type() -> None:
    codes = [f"L{li}-S{si}" for li in (1, 2) for si in range(1, 5)]
    flags = [si == 3 for li in (1, 2) for si in range(1, 5)]
    layout = plan([4, 4], 1920, 990, measure, codes, 1080, bottlenecks=flags)
    assert layout.bottleneck_mode == BIG and layout.page_count == 1
    _check(layout.pages, 8, 1920, 990)
    cells = {c.index: c for c in layout.pages[0]}
    plain = cells[0]
    for index in (2, 6):
        big = cells[index]
        assert big.bottleneck and big.w > 1.9 * plain.w and big.cap_px > plain.cap_px
    assert all(not c.bottleneck and c.cap_px == layout.cap_px for i, c in cells.items() if i not in (2, 6))
    line_2 = [c for i, c in cells.items() if i >= 4]
    assert min(c.y for c in line_2) >= max(c.y + c.h for i, c in cells.items() if i < 4)  # a line starts a row


def test_sixty_stations_stay_on_one_page_at_the_readable_floor_and_mark_their_bottlenecks() -> None:
    codes = [f"L{li}-{si:02d}" for li in range(1, 6) for si in range(1, 13)]
    flags = [si % 6 == 0 for li in range(1, 6) for si in range(1, 13)]
    height = 5 * (tile_height(50) + 4) + 60
    layout = plan([12] * 5, 1920, height, measure, codes, 1080, bottlenecks=flags)
    assert layout.page_count == 1 and layout.cap_px >= min_cap(1080) == 50
    _check(layout.pages, 60, 1920, height)
    cells = {c.index: c for c in layout.pages[0]}
    assert layout.bottleneck_mode == PLAIN  # no room for two by two: the spare height goes to them
    assert all(cells[i].h > tile_height(layout.cap_px) for i, f in enumerate(flags) if f)
    assert all(cells[i].bottleneck for i, f in enumerate(flags) if f)


def test_five_hundred_stations_page_without_splitting_a_line_row_or_a_big_tile() -> None:
    codes = [f"L{li}-{si:02d}" for li in range(1, 26) for si in range(1, 21)]
    flags = [si % 7 == 0 for li in range(1, 26) for si in range(1, 21)]
    layout = plan([20] * 25, 1920, 990, measure, codes, 1080, bottlenecks=flags)
    assert layout.page_count > 1 and layout.cap_px == 50
    _check(layout.pages, 500, 1920, 990)
    none = plan([20] * 25, 1920, 990, measure, codes, 1080)
    assert layout.page_count == none.page_count  # a tie goes to bigger bottlenecks, more pages never


def test_a_wide_bottleneck_when_two_by_two_does_not_fit() -> None:
    codes = [f"L{li}-S{si}" for li in (1, 2, 3) for si in range(1, 5)]
    flags = [si == 3 for li in (1, 2, 3) for si in range(1, 5)]
    layout = plan([4, 4, 4], 1920, 990, measure, codes, 1080, bottlenecks=flags)
    assert layout.bottleneck_mode in (BIG, WIDE)
    _check(layout.pages, 12, 1920, 990)
    wide = next(c for c in layout.pages[0] if c.bottleneck)
    plain = next(c for c in layout.pages[0] if not c.bottleneck)
    assert wide.w > 1.9 * plain.w
