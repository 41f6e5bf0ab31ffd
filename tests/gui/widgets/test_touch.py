"""Touch: 15 mm targets from the configured screen size, rows from font metrics, finger scrolling on every
list, table and scroll area, and scroll bars a finger can use."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractScrollArea, QPushButton, QScroller, QTableView
from pytestqt.qtbot import QtBot

from jitdesk.gui import theme, touch, views
from jitdesk.gui.context import AppContext
from jitdesk.gui.main_window import MainWindow
from tests.helpers.screens import settle, themed

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_touch_target_from_the_screen_diagonal(qapp: Any) -> None:
    screen = qapp.primaryScreen()
    size = screen.size()
    diagonal_px = (size.width() ** 2 + size.height() ** 2) ** 0.5
    for inches in (10.1, 15.6, 21.5):
        per_mm = touch.pixels_per_mm(screen, inches)
        assert per_mm == pytest.approx(diagonal_px / (inches * 25.4))
        assert touch.touch_px(screen, inches) >= 15 * per_mm
    assert touch.touch_px(screen, 10.1) > touch.touch_px(screen, 21.5)  # a small screen: more pixels per mm
    assert touch.touch_px(screen, 0) >= 15 * touch.FALLBACK_DPI / 25.4 * 0.4  # no setting: the screen's own DPI


def test_row_height_follows_the_font(qapp: Any) -> None:
    font = qapp.font()
    small, big = QFontMetrics(font), None
    font.setPixelSize(font.pixelSize() * 3)
    big = QFontMetrics(font)
    assert touch.row_height(big) > touch.row_height(small)
    assert touch.row_height(small, minimum=80) == 80
    assert touch.row_height(small, lines=2) >= 2 * small.height()


def test_every_scroll_area_scrolls_with_a_finger_and_targets_are_15_mm(qtbot: QtBot, qapp: Any,
                                                                     ctx: AppContext) -> None:
    with themed(qapp):
        target = theme.touch_target()
        window = MainWindow(ctx, "station")
        qtbot.addWidget(window)
        window.resize(1920, 1080)
        window.show()
        for name in views.ORDER:
            window.show_view(name)
            settle(qtbot, ctx, ms=50)
            page = window.pages[name]
            areas = page.findChildren(QAbstractScrollArea)
            for area in areas:
                if area.isVisible() and area.viewport() is not None and type(area).__name__ != "QTextEdit":
                    assert QScroller.hasScroller(area.viewport()), (name, type(area).__name__)
            for button in page.findChildren(QPushButton):
                if button.isVisible():
                    assert button.height() >= target, (name, button.text())
            for table in page.findChildren(QTableView):
                if table.isVisible() and table.model() is not None and table.model().rowCount():
                    assert table.rowHeight(0) >= target, name
                    assert table.verticalScrollBar().sizeHint().width() >= theme.sizes()["scrollbar"] - 1
        assert theme.sizes()["scrollbar"] >= 0.7 * target - 1
