"""ui.font_scale 1.0, 1.5, 2.0 and 3.0 keep every layout intact: the window stays the screen's size, rows are
as tall as their font needs, the header fits one row, and the navigation's words are not cut."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QTableView
from pytestqt.qtbot import QtBot

from jitdesk.gui import views
from jitdesk.gui.context import AppContext
from jitdesk.gui.main_window import MainWindow
from jitdesk.gui.widgets.fit import FitArea
from tests.helpers.screens import save_shot, settle, size_of, themed

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
SIZE = (1920, 1080)


@pytest.mark.parametrize("scale", [1.0, 1.5, 2.0, 3.0])
def test_font_scale_keeps_layouts_intact(qtbot: QtBot, qapp: Any, ctx: AppContext, tmp_path: Path,
                                         scale: float) -> None:
    with themed(qapp, scale):
        window = MainWindow(ctx, "station")
        qtbot.addWidget(window)
        window.resize(*SIZE)
        window.show()
        for name in views.ORDER:
            window.show_view(name)
            settle(qtbot, ctx, ms=80)
            assert size_of(window) == SIZE, f"the window grew on {name} at font scale {scale}"
            save_shot(window, tmp_path, f"{name}_font{scale}")
            page = window.pages[name]
            least = page.minimumSizeHint()
            assert page.width() >= least.width() and page.height() >= least.height()  # squeezed: it scrolls
        # Rows from font metrics, never fixed pixels: a bigger font, taller rows.
        for name in ("station", "kanban"):
            for table in window.pages[name].findChildren(QTableView):
                line = QFontMetrics(table.font()).height()
                assert table.verticalHeader().defaultSectionSize() >= line * 1.5, (name, scale)
        queue = window.pages["queue"].findChildren(QAbstractItemView)[0]
        assert queue.sizeHintForRow(0) >= QFontMetrics(queue.font()).height()
        # The header keeps one row: the clock and Sign in whole, inside the window.
        assert window.clock.geometry().right() <= SIZE[0]
        assert window.sign_button.width() >= window.sign_button.minimumSizeHint().width()
        for button in window.nav_buttons.values():
            words = max(QFontMetrics(button.font()).horizontalAdvance(line) for line in button.text().split("\n"))
            assert button.contentsRect().width() >= words, button.text()



# these once scrolled sideways or were cut
NO_SIDEWAYS = ("station", "kanban", "queue", "sync", "andon", "takt", "taktboard", "kpi", "admin")


@pytest.mark.parametrize("scale", [2.0, 3.0])
def test_large_type_never_scrolls_sideways_on_a_small_screen(qtbot: QtBot, qapp: Any, ctx: AppContext,
                                                             tmp_path: Path, scale: float) -> None:
    small = (1280, 800)
    with themed(qapp, scale):
        window = MainWindow(ctx, "station")
        qtbot.addWidget(window)
        window.resize(*small)
        window.show()
        for name in NO_SIDEWAYS:
            window.show_view(name)
            settle(qtbot, ctx, ms=80)
            assert size_of(window) == small, f"the window grew on {name} at font scale {scale}"
            save_shot(window, tmp_path, f"{name}_small_font{scale}")
            page = window.pages[name]
            area = page.parentWidget()
            while area is not None and not isinstance(area, FitArea):
                area = area.parentWidget()
            assert area is not None, name
            assert not area.horizontalScrollBar().isVisible(), f"{name} scrolls sideways at font scale {scale}"
            assert page.width() <= area.viewport().width(), name
