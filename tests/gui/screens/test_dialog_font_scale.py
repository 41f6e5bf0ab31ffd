"""At a large ui.font_scale on a small screen the print dialog stays inside the window: its form scrolls
and its buttons stay in view."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from jitdesk.gui.context import AppContext
from jitdesk.gui.main_window import MainWindow
from tests.helpers.screens import save_shot, settle, size_of, themed

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_print_dialog_stays_inside_a_small_window_at_large_type(qtbot: QtBot, qapp: Any, ctx: AppContext,
                                                                 tmp_path: Path) -> None:
    scale = 3.0
    with themed(qapp, scale):
        window = MainWindow(ctx, "kanban")
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        settle(qtbot, ctx, ms=120)
        dialog = window.pages["kanban"].open_print()  # type: ignore[attr-defined]
        settle(qtbot, ctx, ms=50)
        width, height = size_of(dialog)
        assert width <= 1280 and height <= 800, (width, height)
        assert dialog.print_button.isVisible() and dialog.print_button.geometry().bottom() < height
        save_shot(dialog, tmp_path, f"print_dialog_font{scale}")
        dialog.close()
        assert size_of(window) == (1280, 800)


def test_sign_in_dialog_stays_inside_a_small_window_at_large_type(qtbot: QtBot, qapp: Any, ctx: AppContext,
                                                                   tmp_path: Path) -> None:
    scale = 3.0
    with themed(qapp, scale):
        window = MainWindow(ctx, "station")
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        settle(qtbot, ctx, ms=120)
        dialog = window.open_sign_in()
        settle(qtbot, ctx, ms=50)
        width, height = size_of(dialog)
        assert width <= 1280 and height <= 800, (width, height)
        button = dialog.sign_in_button
        assert button.isVisible() and button.mapTo(dialog, button.rect().bottomRight()).y() < height
        save_shot(dialog, tmp_path, f"sign_in_dialog_font{scale}")
        dialog.close()
        assert size_of(window) == (1280, 800)
