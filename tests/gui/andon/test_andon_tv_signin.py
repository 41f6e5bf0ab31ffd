"""The TV board on the demo plant with a real context: a tap on a station with an open call shows its
calls beside the board; claiming with nobody signed in opens the sign-in on the TV, and after a real
badge and PIN in that dialog the claim goes on; then the call is resolved from the TV."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from jitdesk.gui import theme
from jitdesk.gui.andon.model import CLEAR_COLOUR
from jitdesk.gui.andon.view import AndonView
from jitdesk.gui.context import AppContext

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_claim_and_resolve_on_the_tv_after_signing_in_there(qtbot: QtBot, qapp: Any, ctx: AppContext) -> None:
    theme.apply(qapp)
    view = AndonView(ctx)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    qtbot.waitUntil(lambda: not ctx.busy and "MAINT" in view.call_buttons)
    qtbot.mouseClick(view.call_buttons["QUAL"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(view.calls.rows) == 1)
    tv = view.open_tv(full_screen=False)
    tv.resize(1920, 1080)
    qtbot.waitExposed(tv)
    station = next(s for s in view.model.stations if s.code == "L1-S2")
    qtbot.waitUntil(lambda: bool(view.model.calls_at(station.station_id)))
    canvas = tv.board.canvas
    cell = next(c for c in canvas.cells() if view.model.stations[c.index].station_id == station.station_id)
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(cell.x + cell.w // 2, cell.y + cell.h // 2))
    assert tv.detail.isVisible() and len(tv.detail.calls.rows) == 1
    assert "L1-S2" in tv.detail.title.text()

    qtbot.mouseClick(tv.detail.calls.rows[0].claim_button, Qt.MouseButton.LeftButton)  # nobody signed in
    dialog = view.sign_in_dialog
    assert dialog is not None and dialog.isVisible() and dialog.parentWidget() is tv  # on the TV, not under it
    assert "Claiming a call needs a signed-in responder" in dialog.reason.text()
    dialog.badge.setText("B-5001")
    dialog.badge_pin.setText("5001")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctx.user is not None and not dialog.isVisible())
    qtbot.waitUntil(lambda: all(c.acknowledged for c in view.model.calls_at(station.station_id)), timeout=10_000)
    assert "on the way" in view.answer.text()
    qtbot.waitUntil(lambda: len(tv.detail.calls.rows) == 1 and tv.detail.calls.rows[0].call.acknowledged)
    tile = view.model.tile(station, canvas.now_ms())
    assert tile.claimed_by == ctx.user.name

    row = tv.detail.calls.rows[0]
    qtbot.mouseClick(row.resolve_button, Qt.MouseButton.LeftButton)
    assert row.dialog is not None and row.dialog.isVisible()
    ok = next(b for b in row.dialog.findChildren(QPushButton) if "Resolve" in b.text())
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.model.calls_at(station.station_id), timeout=10_000)
    assert view.model.tile(station, 0).colour == CLEAR_COLOUR
    assert "resolved" in view.answer.text()
    tv.close()
