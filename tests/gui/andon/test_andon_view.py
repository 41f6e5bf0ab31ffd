"""The Andon page on the demo plant with a real context: press a call button, press it again, claim it
after sign-in, see the board's tile change colour, and resolve it from the board."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from jitdesk.domain.auth import Role
from jitdesk.gui import theme
from jitdesk.gui.andon.model import CLEAR_COLOUR
from jitdesk.gui.andon.view import BOARD, AndonView
from jitdesk.gui.context import AppContext
from jitdesk.services.signin import SignedIn

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def view(qtbot: QtBot, qapp: Any, ctx: AppContext) -> AndonView:
    theme.apply(qapp)
    page = AndonView(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitUntil(lambda: not ctx.busy and len(page.call_buttons) == 6)  # demo.master five, TAKT of demo.takt
    return page


def test_press_twice_claim_and_resolve(qtbot: QtBot, view: AndonView, ctx: AppContext) -> None:
    assert "L1-S2" in view.title.text()
    assert view.size().width() == 1280 and view.size().height() == 800  # fits without growing
    assert view.minimumSizeHint().width() <= 1000  # and in the main window beside the navigation
    assert view.sound_label.text().startswith("♪✕ Sound off")  # offscreen: no audio device, and it says so
    qtbot.mouseClick(view.call_buttons["MAINT"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(view.calls.rows) == 1)
    assert "Maintenance call raised at station L1-S2" in view.answer.text()
    qtbot.waitUntil(lambda: view.sound.played[-1:] == ["maintenance"])  # the type's own sound was asked for
    row = view.calls.rows[0]
    view.tick()
    assert row.elapsed.text().startswith("◷ 0:0") and "waiting for a responder" in row.state.text()

    qtbot.mouseClick(view.call_buttons["MAINT"], Qt.MouseButton.LeftButton)  # a second press
    qtbot.waitUntil(lambda: "already open" in view.answer.text())
    assert view.calls.rows[0].property("highlight") is True and len(view.calls.rows) == 1

    qtbot.mouseClick(view.calls.rows[0].claim_button, Qt.MouseButton.LeftButton)  # nobody signed in
    qtbot.waitUntil(lambda: "sign in" in view.answer.text())
    ctx.sign_in(SignedIn(_user(ctx, "B-1005"), "Samir Haddad", Role.OPERATOR))  # the claim goes on by itself
    qtbot.waitUntil(lambda: "Samir Haddad is on the way" in view.answer.text())
    qtbot.waitUntil(lambda: len(view.calls.rows) == 1 and view.calls.rows[0].call.acknowledged)
    view.tick()
    assert "claimed by Samir Haddad" in view.calls.rows[0].state.text()

    # the board: this station's tile has the maintenance colour until it is resolved from the board
    view.set_mode(BOARD)
    station = next(s for s in view.model.stations if s.code == "L1-S2")
    qtbot.waitUntil(lambda: not ctx.busy and all(c.acknowledged for c in view.model.calls_at(station.station_id)))
    tile = view.model.tile(station, view.board.canvas.now_ms())
    assert tile.colour == "#2979FF" and tile.symbol == "✚" and tile.claimed_by == "Samir Haddad"
    view.choose_station(station.station_id)
    assert view.detail.isVisible() and len(view.detail_calls.rows) == 1
    view.detail_calls.rows[0].resolve.emit(tile.call_id, "fixed", "belt tensioned")
    qtbot.waitUntil(lambda: "resolved: fixed" in view.answer.text())
    qtbot.waitUntil(lambda: not view.model.calls_at(station.station_id))
    assert view.model.tile(station, 0).colour == CLEAR_COLOUR
    assert view.calls.rows == [] or not view.calls.rows[0].isVisible()


def _user(ctx: AppContext, badge: str) -> str:
    from jitdesk.services.demo import load_context

    return load_context(ctx.hub.db).users[badge]


def test_mute_is_kept_for_this_station(qtbot: QtBot, view: AndonView, ctx: AppContext) -> None:
    from jitdesk.gui.andon.sound import AndonSound
    from jitdesk.services.andon.board import sound_muted

    assert not view.sound.muted
    view.toggle_mute()
    qtbot.waitUntil(lambda: view.sound.muted)
    assert sound_muted(ctx.hub.db)
    again = AndonView(ctx, sound=AndonSound())  # the page made again (a restart) is muted too
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.sound.muted and not ctx.busy)
