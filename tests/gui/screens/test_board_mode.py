"""The kanban board in TV mode: readable at 10 m (cap height measured with QFontMetricsF), totals always
shown, pages turn by themselves, a tap opens a loop's details, the order is stable, and an empty filter
says "No loop matches ..."."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from jitdesk.gui.board.kanban import KanbanBoardScreen, open_kanban_board
from jitdesk.gui.board.tiles import Tile
from jitdesk.gui.board.type import CAP_PX, cap_height, font_with_cap
from jitdesk.gui.context import AppContext
from jitdesk.gui.main_window import MainWindow
from jitdesk.services.kanban.board import BoardQuery
from tests.helpers.screens import SIZES, save_shot, settle, size_of, themed

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _board(qtbot: QtBot, ctx: AppContext, size: tuple[int, int], query: BoardQuery | None = None
           ) -> KanbanBoardScreen:
    board = open_kanban_board(ctx, query, full_screen=False)
    qtbot.addWidget(board)
    board.resize(*size)
    settle(qtbot, ctx)
    return board


def _cap(label: QLabel) -> float:
    return QFontMetricsF(label.font()).capHeight()


def test_font_with_cap_measures_the_font(qapp: Any) -> None:
    for cap in (20, 50, 80):
        assert cap_height(font_with_cap(cap)) >= cap
        assert cap_height(font_with_cap(cap)) < cap * 1.15  # the smallest size that reaches it


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_board_reads_from_ten_metres(qtbot: QtBot, qapp: Any, ctx: AppContext, tmp_path: Path,
                                     size: tuple[int, int]) -> None:
    with themed(qapp):
        board = _board(qtbot, ctx, size)
        assert save_shot(board, tmp_path, f"kanban_board_tv_{size[0]}") == size
        tiles = [t for t in board.grid.tiles if isinstance(t, Tile)]
        assert len(tiles) == board.grid.capacity() >= 4
        wanted = CAP_PX * size[1] / 1080  # 50 px on a 1080p TV, in proportion on other screens
        for tile in tiles:
            for label in (tile.headline, tile.status, tile.figure):
                assert _cap(label) >= wanted, label.text()
                assert label.isVisible() and label.height() >= QFontMetricsF(label.font()).height() - 1
        for label in board.totals.labels:
            assert _cap(label) >= wanted
        if size == (1920, 1080):
            assert _cap(tiles[0].headline) >= 50
        assert [t.split()[0] for t in board.totals.texts()] == ["✖", "▲", "◆", "●"]
        counts = [int(t.split()[1]) for t in board.totals.texts()]
        assert sum(counts) == 64  # every demo loop, whatever page is up
        assert board.pages == -(-64 // board.grid.capacity())


def test_pages_turn_order_is_stable_and_a_tap_opens_details(qtbot: QtBot, qapp: Any, ctx: AppContext) -> None:
    with themed(qapp):
        board = _board(qtbot, ctx, (1920, 1080))
        first = [t.shown_lines()[0] for t in board.grid.tiles if isinstance(t, Tile)]
        codes = [row.loop.code for row in board.model.rows]
        assert codes == sorted(codes)  # by loop code: a tile never jumps when a card moves
        board.load()
        settle(qtbot, ctx)
        assert [t.shown_lines()[0] for t in board.grid.tiles if isinstance(t, Tile)] == first
        board.rotation.setInterval(50)  # turns by itself
        qtbot.waitUntil(lambda: board.page == 1, timeout=5000)
        board.rotation.stop()
        settle(qtbot, ctx)
        assert board.model.rows[0].loop.code > codes[-1]
        tile = board.grid.tiles[0]
        qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)  # a tap, not a hover
        assert board.details.isVisible()
        assert board.model.rows[0].loop.code in board.details_text.text()
        assert "per card" in board.details_text.text()
        board.turn()
        assert board.page == 1  # no turning while someone reads the details
        qtbot.mouseClick(board.details, Qt.MouseButton.LeftButton)
        assert not board.details.isVisible()
        qtbot.keyClick(board, Qt.Key.Key_Escape)
        assert not board.isVisible()


def test_an_empty_filter_says_no_loop_matches(qtbot: QtBot, qapp: Any, ctx: AppContext) -> None:
    with themed(qapp):
        board = _board(qtbot, ctx, (1280, 800), BoardQuery(search="no-such-part-xyz"))
        assert board.empty.isVisible()
        assert board.empty.text() == 'No loop matches "no-such-part-xyz".'
        assert "OK" not in board.empty.text()
        assert [int(t.split()[1]) for t in board.totals.texts()] == [0, 0, 0, 0]


def test_kanban_view_opens_the_board_and_says_no_loop_matches(qtbot: QtBot, qapp: Any, ctx: AppContext) -> None:
    with themed(qapp):
        window = MainWindow(ctx, "kanban")
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        settle(qtbot, ctx)
        view: Any = window.pages["kanban"]
        view.search.setText("no-such-part-xyz")
        view._filters_changed()
        settle(qtbot, ctx)
        assert view.summary.text() == 'No loop matches "no-such-part-xyz"'
        qtbot.mouseClick(view.board_button, Qt.MouseButton.LeftButton)
        board = view.board
        assert board is not None and board.isVisible() and board.isFullScreen()
        assert board.query.search == "no-such-part-xyz"
        settle(qtbot, ctx)
        board.close()
        assert size_of(window) == (1280, 800)
