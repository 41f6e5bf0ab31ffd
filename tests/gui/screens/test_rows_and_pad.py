"""Large type and small screens, measured on the widgets: the sign-in dialog's PIN pad is whole and every
key a touch target at font scales 1.0 to 3.0 (a message too); the pad's symbols are ones its font has
(or drawn); no table column is narrower than its header's words; the queue shows 8 rows at 1280x800."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTreeView
from pytestqt.qtbot import QtBot

from jitdesk.gui import theme
from jitdesk.gui.context import AppContext
from jitdesk.gui.main_window import MainWindow
from jitdesk.gui.widgets.pin_pad import ERASE
from tests.helpers.screens import SIZES, save_shot, settle, size_of, themed

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
SCALES = (1.0, 1.5, 2.0, 3.0)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scale", SCALES)
def test_pin_pad_is_whole_with_a_message_at_every_font_scale(qtbot: QtBot, qapp: Any, ctx: AppContext,
                                                             tmp_path: Path, scale: float,
                                                             size: tuple[int, int]) -> None:
    with themed(qapp, scale):
        window = MainWindow(ctx, "station")
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        settle(qtbot, ctx, ms=60)
        dialog = window.open_sign_in()
        dialog.take_badge("B-9001", "Priya Admin is an admin: enter the PIN too.")  # the message shows
        settle(qtbot, ctx, ms=60)
        width, height = size_of(dialog)
        assert width <= size[0] and height <= size[1], (width, height)
        for key, button in dialog.pad_buttons.items():
            assert button.isVisible(), key
            whole = button.rect()
            assert button.visibleRegion().boundingRect() == whole, f"key {key} is partly hidden at {scale}"
            assert min(button.width(), button.height()) >= theme.touch_target(), key
            label = button.text()
            metrics = QFontMetrics(button.font())
            assert all(metrics.inFontUcs4(ord(ch)) for ch in label), f"{label!r} not in the key's font"
            line = metrics.height()
            assert line <= button.height(), f"key {key}: its type is taller than the key"
            assert button.accessibleName(), key
        assert dialog.pad_buttons[ERASE].text() == ""  # drawn, so no font can show it as a box
        save_shot(dialog, tmp_path, f"sign_in_{size[0]}_font{scale}")
        dialog.close()
        assert size_of(window) == size


@pytest.mark.parametrize("scale", (1.0, 3.0))
def test_no_column_is_narrower_than_its_header(qtbot: QtBot, qapp: Any, ctx: AppContext, scale: float) -> None:
    with themed(qapp, scale):
        window = MainWindow(ctx, "station")
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        for name in ("station", "queue", "kanban", "sync"):
            window.show_view(name)
            settle(qtbot, ctx, ms=60)
            for view in window.pages[name].findChildren(QAbstractItemView):
                if not isinstance(view, QTableView | QTreeView) or not view.isVisible():
                    continue
                header: QHeaderView = view.horizontalHeader() if isinstance(view, QTableView) else view.header()
                metrics = QFontMetrics(header.font())
                for column in range(header.count()):
                    words = str(view.model().headerData(column, header.orientation()) or "")
                    if header.isSectionHidden(column) or not words:
                        continue
                    assert header.sectionSize(column) >= metrics.horizontalAdvance(words), (name, words, scale)
                    assert header.height() >= metrics.height(), (name, scale)


def test_queue_shows_eight_rows_at_1280x800(qtbot: QtBot, qapp: Any, ctx: AppContext) -> None:
    with themed(qapp, 1.0):
        window = MainWindow(ctx, "queue")
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        settle(qtbot, ctx)
        tree = window.pages["queue"].tree  # type: ignore[attr-defined]
        rows = tree.viewport().height() // tree.sizeHintForRow(0)
        assert rows >= 8, rows
        assert tree.sizeHintForRow(0) >= theme.touch_target()
        assert size_of(window) == (1280, 800)
