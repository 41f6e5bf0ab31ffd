"""The andon board offscreen: tiles, colours, the tick, the cap height at 1080 lines, pages at 500."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontMetrics, QFontMetricsF
from pytestqt.qtbot import QtBot

from jitdesk.gui.andon.board import AndonBoardView, board_font, px_for_cap
from jitdesk.gui.andon.model import CLEAR_COLOUR, BoardModel, board_clock
from jitdesk.services.andon.sample import sample_board

NOW = 1_800_000_000_000


def _board(qtbot: QtBot, lines: int, per_line: int, calls: int, bottleneck_every: int = 0) -> AndonBoardView:
    model = BoardModel()
    model.set_board(sample_board(lines, per_line, calls, NOW, bottleneck_every=bottleneck_every))
    view = AndonBoardView(model)
    qtbot.addWidget(view)
    view.resize(1920, 1080)
    view.canvas.now_ms = lambda: NOW
    view.show()
    qtbot.waitExposed(view)
    view.refresh()
    return view


def test_sixty_stations_fit_one_page_readable_at_ten_metres(qtbot: QtBot, tmp_path: Path) -> None:
    view = _board(qtbot, 5, 12, 9)
    plan = view.canvas.relayout()
    assert plan.page_count == 1 and len(plan.pages[0]) == 60
    cap = QFontMetricsF(board_font(px_for_cap(plan.cap_px))).capHeight()
    assert cap >= 50
    view.canvas.grab()
    tiles = view.canvas.last_tiles
    assert len(tiles) == 60
    open_tiles = [t for t in tiles if not t.clear]
    assert len(open_tiles) == 9
    assert all(t.colour == CLEAR_COLOUR and t.words == "OK" for t in tiles if t.clear)
    types = view.model.types
    for tile in open_tiles:
        call = next(c for c in view.model.calls_at(tile.station_id))
        assert tile.colour == types[call.call_type_id].color and tile.symbol == types[call.call_type_id].symbol
    image = view.grab().toImage()
    assert (image.width(), image.height()) == (1920, 1080)
    assert "9 open calls" in view.summary.text()


def test_the_timer_ticks_and_the_top_level_flashes(qtbot: QtBot) -> None:
    view = _board(qtbot, 1, 4, 4)
    view.canvas.grab()
    before = {t.station_id: t.elapsed_ms for t in view.canvas.last_tiles}
    view.canvas.now_ms = lambda: NOW + 61 * 60_000  # an hour on: every unclaimed call is at its top level
    view.tick()
    view.canvas.grab()
    after = view.canvas.last_tiles
    assert all(t.elapsed_ms == before[t.station_id] + 61 * 60_000 for t in after)
    unclaimed = [t for t in after if not t.claimed_by]
    assert unclaimed and all(t.top and t.level == t.levels for t in unclaimed)
    assert all(not t.top for t in after if t.claimed_by)  # claimed: escalation stopped, no flashing


def test_five_hundred_stations_page_and_say_where_the_calls_are(qtbot: QtBot) -> None:
    view = _board(qtbot, 25, 20, 100)
    plan = view.canvas.relayout()
    assert plan.page_count > 1
    assert sum(len(p) for p in plan.pages) == 500
    cap = QFontMetricsF(board_font(px_for_cap(plan.cap_px))).capHeight()
    assert cap >= 50
    assert "page 1 of" in view.summary.text() and "on other pages" in view.summary.text()
    assert view.next_button.isVisible()
    view.turn(1)
    assert view.canvas.page == 1 and "page 2 of" in view.summary.text()
    clicked: list[str] = []
    view.station_chosen.connect(clicked.append)
    cell = view.canvas.cells()[0]
    from PySide6.QtCore import QPoint, Qt
    qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=QPoint(cell.x + 10, cell.y + 10))
    assert clicked == [view.model.stations[cell.index].station_id]


def test_at_sixty_stations_names_and_timers_have_50_px_caps_and_call_words_are_whole(qtbot: QtBot) -> None:
    view = _board(qtbot, 5, 12, 30, bottleneck_every=6)
    plan = view.canvas.relayout()
    assert plan.page_count == 1 and len(plan.pages[0]) == 60
    for cell in plan.pages[0]:  # every tile's code (the station's name on the board) and timer type
        assert QFontMetrics(board_font(px_for_cap(cell.cap_px))).capHeight() >= 50
    view.canvas.grab()
    open_tiles = [t for t in view.canvas.last_tiles if not t.clear]
    assert len(open_tiles) == 30
    for tile in open_tiles:
        words, _px = view.canvas.last_words[tile.station_id]
        assert "…" not in words
        assert words in (f"{tile.symbol} {tile.words.upper()}", f"{tile.symbol} {tile.short.upper()}")
    assert any(view.canvas.last_words[t.station_id][0].endswith("MAINT") for t in open_tiles if t.short == "MAINT")
    bottlenecks = [c for c in plan.pages[0] if c.bottleneck]
    others = [c for c in plan.pages[0] if not c.bottleneck]
    assert len(bottlenecks) == 10 and min(c.cap_px for c in bottlenecks) > max(c.cap_px for c in others)


def test_a_tick_repaints_only_the_tiles_whose_look_changed(qtbot: QtBot) -> None:
    view = _board(qtbot, 2, 10, 6)
    view.canvas.grab()
    clock = [NOW]
    view.canvas.now_ms = lambda: clock[0]
    assert view.canvas.flash_on  # as painted: nothing moved, nothing to paint again
    assert view.canvas.changed_cells() == []
    clock[0] = NOW + 1000  # a second on: every open tile's timer moved, no clear tile did
    moved = {c.index for c in view.canvas.changed_cells()}
    open_cells = {c.index for c in view.canvas.cells() if view.model.calls_at(view.model.stations[c.index].station_id)}
    assert moved == open_cells and len(moved) == 6


def test_the_timer_is_never_wider_than_four_digits() -> None:
    assert board_clock(65_000) == "1:05" and board_clock(99 * 60_000 + 59_000) == "99:59"
    assert board_clock(100 * 60_000) == "1h40" and board_clock(25 * 3_600_000) == "25h00"
