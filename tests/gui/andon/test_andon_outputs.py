"""The station's andon outputs as the app installs them (gui/andon/outputs.py) on the demo plant: the
serial stack light on a real pseudo-terminal and the call sounds follow what is pressed on the Andon
page; the light is unplugged and plugged in again while calls go on, and nothing waits for it."""

from __future__ import annotations

import os
import select
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from jitdesk.config import Settings
from jitdesk.devices.stack_light import frame
from jitdesk.domain.auth import Role
from jitdesk.gui import theme
from jitdesk.gui.andon.outputs import install_andon_outputs
from jitdesk.gui.andon.view import AndonView
from jitdesk.gui.context import AppContext
from jitdesk.services.andon.board import station_light
from jitdesk.services.signin import SignedIn
from tests.helpers.pty_port import Pty

pytestmark = [pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs POSIX pseudo-terminals"),
              pytest.mark.qt_log_ignore("This plugin does not support")]

WAIT_S = 10.0  # how long to wait for something that should come; never a speed claim


def read_line(qtbot: QtBot, pty: Pty) -> str:
    """The next protocol line the light got, while the GUI and its asyncio loop keep running."""
    data = b""
    deadline = time.monotonic() + WAIT_S
    while not data.endswith(b"\n"):
        assert time.monotonic() < deadline, f"no line from the light, got {data!r}"
        ready, _, _ = select.select([pty.master], [], [], 0)
        if ready:
            data += os.read(pty.master, 1)
        else:
            qtbot.wait(10)
    return data.decode("ascii")


def read_until(qtbot: QtBot, pty: Pty, wanted: str) -> list[str]:
    """Lines up to and with `wanted` (a keepalive may repeat a state before it)."""
    deadline = time.monotonic() + WAIT_S
    lines = [read_line(qtbot, pty)]
    while lines[-1] != wanted:
        assert time.monotonic() < deadline, f"the light never showed {wanted!r}, got {lines}"
        lines.append(read_line(qtbot, pty))
    return lines


@pytest.fixture
def light_ctx(qloop: Any, demo_hub: Any, tmp_path: Path) -> Any:
    link = tmp_path / "ttyUSB-light"
    settings = Settings()
    settings = replace(settings, andon=replace(settings.andon, light_port=str(link)))
    ctx = AppContext(demo_hub, settings, demo=True)
    yield ctx, link
    ctx.deleteLater()


def test_light_and_sound_follow_the_andon_page_and_the_light_may_vanish(
        qtbot: QtBot, qapp: Any, light_ctx: tuple[AppContext, Path]) -> None:
    ctx, link = light_ctx
    first = Pty()
    link.symlink_to(first.path)
    theme.apply(qapp)
    outputs = install_andon_outputs(ctx)
    second: Pty | None = None
    try:
        view = AndonView(ctx)
        qtbot.addWidget(view)
        view.resize(1280, 800)
        view.show()
        qtbot.waitUntil(lambda: not ctx.busy and "MAINT" in view.call_buttons)
        assert read_until(qtbot, first, "L GREEN STEADY QUIET\n")  # clear at start

        qtbot.mouseClick(view.call_buttons["MAINT"], Qt.MouseButton.LeftButton)  # a line stop nobody claimed
        assert read_until(qtbot, first, "L RED FLASH BUZZ\n")
        qtbot.waitUntil(lambda: view.sound.played[-1:] == ["maintenance"])  # the type's own sound

        first.close()  # the light is unplugged
        link.unlink()
        ctx.sign_in(SignedIn(_user(ctx, "B-1005"), "Samir Haddad", Role.OPERATOR))
        qtbot.waitUntil(lambda: len(view.calls.rows) == 1)
        qtbot.mouseClick(view.calls.rows[0].claim_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "on the way" in view.answer.text())  # the screen never waits for the light
        qtbot.mouseClick(view.call_buttons["MAT"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(view.calls.rows) == 2)
        qtbot.waitUntil(lambda: view.sound.played[-1:] == ["material"])

        qtbot.waitUntil(lambda: not ctx.busy)
        newest = frame(ctx.hub.call(station_light)).decode("ascii")
        assert newest != "L RED FLASH BUZZ\n"  # the claim and the new call changed it while unplugged
        second = Pty()
        link.symlink_to(second.path)  # plugged in again: the newest state at once
        assert read_line(qtbot, second) == newest
    finally:
        outputs.stop()
        if second is not None:
            assert read_until(qtbot, second, "L OFF STEADY QUIET\n")  # let go at exit: every lamp off
            second.close()
        first.close()


def _user(ctx: AppContext, badge: str) -> str:
    from jitdesk.services.demo import load_context

    return load_context(ctx.hub.db).users[badge]
