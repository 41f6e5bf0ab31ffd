"""The main window opens offscreen on the demo plant: header, navigation, sign-in, messages, crashes."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from jitdesk.domain.errors import BadInput
from jitdesk.gui import theme, views
from jitdesk.gui.context import AppContext
from jitdesk.gui.crash import CrashHandler
from jitdesk.gui.main_window import MainWindow
from jitdesk.gui.signin import NAME_TAB
from jitdesk.services import master
from jitdesk.services.changes import Changes
from jitdesk.services.syncstatus import SyncStatus

# The offscreen platform warns that it cannot resize-hint or raise windows; harmless.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def window(qtbot: QtBot, qapp: Any, ctx: AppContext) -> MainWindow:
    theme.apply(qapp)
    win = MainWindow(ctx, "andon")
    qtbot.addWidget(win)
    win.resize(1600, 900)
    win.show()
    qtbot.waitUntil(lambda: not ctx.busy and "RVS" in win.plant_label.text())
    return win


def test_header_shows_plant_station_and_standalone(window: MainWindow) -> None:
    assert "Riverside Pump Works" in window.plant_label.text()
    assert window.station_label.text().startswith("L1-S2")
    assert "STANDALONE" in window.sync_status.text()
    assert window.clock.time.text().count(":") == 2


def test_sync_status_slot_redraws(window: MainWindow, ctx: AppContext) -> None:
    ctx.set_sync_status(SyncStatus(state="offline", pending=12, message="server unreachable"))
    assert "OFFLINE" in window.sync_status.text()
    assert "12 to send" in window.sync_status.text()
    assert "server unreachable" in window.sync_status.toolTip()


def test_every_view_opens(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    for name in views.ORDER:
        qtbot.mouseClick(window.nav_buttons[name], Qt.MouseButton.LeftButton)
        assert window.current_view == name
        assert window.nav_buttons[name].isChecked()
    qtbot.waitUntil(lambda: not ctx.busy)
    andon = window.pages["andon"]
    assert len(andon.call_buttons) == 6  # type: ignore[attr-defined]  # demo.master five, TAKT of demo.takt


def test_missing_view_module_shows_not_installed(
    window: MainWindow, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    ghost = views.ViewSpec("ghost", "Ghost", "jitdesk.gui.views.no_such_view", "?")
    monkeypatch.setitem(views.VIEWS, "ghost", ghost)
    page = views.create_view("ghost", ctx)
    assert isinstance(page, views.NotInstalledPage)
    with pytest.raises(BadInput):
        views.create_view("nonsense", ctx)


def _open_sign_in(qtbot: QtBot, window: MainWindow) -> Any:
    qtbot.mouseClick(window.sign_button, Qt.MouseButton.LeftButton)
    dialog = window.sign_in_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_sign_in_by_badge_then_sign_out(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    dialog = _open_sign_in(qtbot, window)
    qtbot.keyClicks(dialog.badge, "B-1001")
    qtbot.keyClick(dialog.badge, Qt.Key.Key_Return)  # a scanner ends with Enter
    qtbot.waitUntil(lambda: ctx.user is not None)
    assert ctx.user is not None and ctx.user.name == "Tom Becker"
    assert "Tom Becker" in window.user_label.text()
    assert not dialog.isVisible()
    qtbot.mouseClick(window.sign_button, Qt.MouseButton.LeftButton)
    assert ctx.user is None and ctx.actor is None
    assert "Not signed in" in window.user_label.text()


def test_supervisor_badge_asks_for_pin(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    dialog = _open_sign_in(qtbot, window)
    qtbot.keyClicks(dialog.badge, "B-5001")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.isVisible())
    assert "PIN" in dialog.message.text() and ctx.user is None
    qtbot.keyClicks(dialog.badge_pin, "5001")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctx.user is not None)
    assert ctx.user is not None and ctx.user.role.label == "supervisor"


def test_sign_in_by_name_and_pin(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    dialog = _open_sign_in(qtbot, window)
    dialog.tabs.setCurrentIndex(NAME_TAB)
    qtbot.keyClicks(dialog.name, "Priya Admin")
    qtbot.keyClicks(dialog.name_pin, "1111")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.isVisible())
    assert "Name or PIN is wrong" in dialog.message.text()
    qtbot.keyClicks(dialog.name_pin, "9001")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctx.user is not None)
    assert ctx.user is not None and ctx.user.name == "Priya Admin" and ctx.user.role.label == "admin"


def test_service_call_emits_changed(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    from jitdesk.domain.master import Line

    seen: list[Changes] = []
    ctx.changed.connect(seen.append)
    ctx.submit(master.save, Line(code="L9", name="Line 9"), actor=None)
    qtbot.waitUntil(lambda: not ctx.busy)
    # The demo has an admin, so nobody signed in is refused, in plain words, and nothing changes.
    assert seen == []
    assert "Sign in as admin" in window.message_bar.text and window.message_bar.isVisible()
    admin = next(r.id for r in ctx.hub.call(master.records, _user_type()) if r.value.role == "admin")
    ctx.submit(master.save, Line(code="L9", name="Line 9"), actor=admin)
    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0].touches("line")


def _user_type() -> type:
    from jitdesk.domain.master import User

    return User


def test_known_error_is_a_message_and_a_bug_a_crash_dialog(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, qloop: asyncio.AbstractEventLoop
) -> None:
    handler = CrashHandler(None, known=ctx.notify)
    handler.install(qloop)
    try:
        try:
            raise BadInput("The scanner sent nonsense.")
        except BadInput:
            handler.hook(*sys.exc_info())  # type: ignore[arg-type]
        qtbot.waitUntil(lambda: "scanner sent nonsense" in window.message_bar.text)
        assert handler.crashes == 0

        def broken(_db: object) -> None:
            raise RuntimeError("bug in a use case")

        ctx.submit(broken)  # raised inside a coroutine: the dialog must open later, from the event loop
        qtbot.waitUntil(lambda: handler.crashes == 1)
        dialog = handler.dialogs[0]
        assert dialog.isVisible() and not dialog.isModal()
        assert "RuntimeError: bug in a use case" in dialog.details.toPlainText()
        dialog.accept()
        qtbot.waitUntil(lambda: not handler.dialogs)
    finally:
        handler.uninstall()
        handler.deleteLater()


# --- the sign-in dialog: Enter, errors in the dialog, fresh on reopen, PIN pad, scans, idle, roles ---


def test_enter_in_the_pin_field_submits_and_a_wrong_pin_stays_in_the_dialog(
        qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    dialog = _open_sign_in(qtbot, window)
    qtbot.keyClicks(dialog.badge, "B-5001")
    qtbot.keyClicks(dialog.badge_pin, "1234")
    qtbot.keyClick(dialog.badge_pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.message.isVisible() and not dialog.busy)
    assert dialog.isVisible()  # Enter never presses Cancel
    assert "PIN" in dialog.message.text() and ctx.user is None
    assert dialog.sign_in_button.isDefault() and not dialog.cancel_button.autoDefault()


def test_reopening_the_dialog_clears_every_field_and_message(
        qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    dialog = _open_sign_in(qtbot, window)
    qtbot.keyClicks(dialog.badge, "B-NOBODY")
    qtbot.keyClick(dialog.badge, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.message.isVisible() and not dialog.busy)
    dialog.tabs.setCurrentIndex(NAME_TAB)
    qtbot.keyClicks(dialog.name, "Someone")
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    dialog = _open_sign_in(qtbot, window)
    assert (dialog.badge.text(), dialog.name.text(), dialog.badge_pin.text()) == ("", "", "")
    assert not dialog.message.isVisible() and dialog.tabs.currentIndex() == 0


def test_the_pin_pad_types_the_pin_and_signs_in(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    dialog = _open_sign_in(qtbot, window)
    qtbot.keyClicks(dialog.badge, "B-5001")
    for key in "50019":
        qtbot.mouseClick(dialog.pad_buttons[key], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.pad_buttons["⌫"], Qt.MouseButton.LeftButton)
    assert dialog.badge_pin.text() == "5001"
    assert dialog.pad_buttons["5"].height() >= 72  # glove-sized
    qtbot.mouseClick(dialog.pad_buttons["✔"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctx.user is not None)
    assert ctx.user is not None and ctx.user.role.label == "supervisor"


def test_a_badge_scanned_while_the_dialog_is_open_fills_the_badge_field(
        qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    dialog = _open_sign_in(qtbot, window)
    ctx.router.route("B-5001", "wedge")
    qtbot.waitUntil(lambda: dialog.message.isVisible() and not dialog.busy)
    assert dialog.badge.text() == "B-5001" and "PIN" in dialog.message.text()
    assert dialog.badge_pin.hasFocus() or dialog.focusWidget() is dialog.badge_pin


def test_idle_sign_out(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    from jitdesk.gui.idle_signout import IdleSignOut
    from jitdesk.services import signin

    idle = IdleSignOut(ctx, 0.001)  # 60 ms for the test
    ctx.sign_in(ctx.hub.call(signin.by_badge, "B-1001", None))
    assert idle.timer.isActive()
    qtbot.waitUntil(lambda: ctx.user is None, timeout=5000)
    assert "Tom Becker was signed out: nobody used this station" in window.message_bar.text


def test_print_says_it_needs_an_admin_before_and_asks_for_the_sign_in(
        qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    from jitdesk.services import signin

    board = window.show_view("kanban")
    button = board.print_button  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: button.text() == "Print cards… · needs admin: sign in")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.sign_in_dialog is not None and window.sign_in_dialog.isVisible())
    dialog = window.sign_in_dialog
    assert dialog is not None
    assert dialog.reason.text().startswith("Printing cards needs an admin or higher: sign in")
    dialog.reject()
    ctx.sign_in(ctx.hub.call(signin.by_name, "Priya Admin", "9001"))
    assert "sign in" not in button.text()
    qtbot.waitUntil(lambda: not ctx.busy)
    board.deleteLater()  # its refresh timer must not outlive the test's event loop
