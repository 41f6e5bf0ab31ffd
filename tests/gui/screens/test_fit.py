"""Every view and dialog fits 1280x800 and 1920x1080: the window stays the screen's size after a visit to
every view (KPI included), each picture is exactly that size, and no page needs sideways scrolling."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from jitdesk.gui import views
from jitdesk.gui.context import AppContext
from jitdesk.gui.main_window import MainWindow
from tests.helpers.screens import SIZES, save_shot, settle, size_of, themed

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_view_fits_without_growing_the_window(qtbot: QtBot, qapp: Any, ctx: AppContext, tmp_path: Path,
                                                    size: tuple[int, int]) -> None:
    with themed(qapp):
        window = MainWindow(ctx, "station")
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        for name in (*views.ORDER, "kpi", "station"):  # back to a view after KPI: still the same size
            window.show_view(name)
            settle(qtbot, ctx)
            assert size_of(window) == size, f"the window grew on {name}"
            assert save_shot(window, tmp_path, f"{name}_{size[0]}") == size
            frame = window.frames[name]
            page = window.pages[name]
            assert not frame.horizontalScrollBar().isVisible(), f"{name} needs sideways scrolling"
            assert page.width() <= frame.viewport().width() + 1
        assert window.minimumSizeHint().width() <= size[0] and window.minimumSizeHint().height() <= size[1]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_dialogs_fit_the_window(qtbot: QtBot, qapp: Any, ctx: AppContext, tmp_path: Path,
                                size: tuple[int, int]) -> None:
    with themed(qapp):
        window = MainWindow(ctx, "kanban")
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        settle(qtbot, ctx)
        board = window.pages["kanban"]
        dialog = board.open_print()  # type: ignore[attr-defined]
        settle(qtbot, ctx)
        width, height = size_of(dialog)
        assert width <= size[0] and height <= size[1], f"print dialog {width}x{height}"
        assert save_shot(dialog, tmp_path, f"print_dialog_{size[0]}") == (width, height)
        assert dialog.print_button.isVisible() and dialog.print_button.geometry().bottom() < height
        dialog.close()
        sign_in = window.open_sign_in()
        settle(qtbot, ctx)
        width, height = size_of(sign_in)
        assert width <= size[0] and height <= size[1], f"sign-in dialog {width}x{height}"
        assert save_shot(sign_in, tmp_path, f"sign_in_dialog_{size[0]}") == (width, height)
        sign_in.close()
        assert size_of(window) == size
