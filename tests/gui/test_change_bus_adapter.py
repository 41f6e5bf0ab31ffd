"""The GUI's one `changed` signal is an adapter on the Qt-free change bus: whatever publishes (a service
call through the context, a worker thread, the sync client), views hear it once, on the Qt thread."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from jitdesk.gui.context import AppContext
from jitdesk.services.changes import Changes

WAIT_MS = 10_000
CARD = Changes(frozenset({("card", "c1")}))
PART = Changes(frozenset({("part", "p1")}))


def test_bus_changes_reach_the_qt_signal_on_the_qt_thread(qtbot: QtBot, ctx: AppContext) -> None:
    heard: list[tuple[Changes, bool]] = []
    ctx.changed.connect(lambda c: heard.append((c, QThread.currentThread() is ctx.thread())))
    ctx.bus.publish(CARD)  # on the Qt thread: at once
    assert heard == [(CARD, True)]
    worker = threading.Thread(target=ctx.bus.publish, args=(PART,))  # off the Qt thread: queued to it
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(heard) == 2, timeout=WAIT_MS)
    assert heard[1] == (PART, True)


def test_a_service_call_publishes_its_changes_on_the_bus_once(qtbot: QtBot, ctx: AppContext) -> None:
    on_bus: list[Changes] = []
    on_signal: list[Changes] = []
    ctx.bus.subscribe(on_bus.append)
    ctx.changed.connect(on_signal.append)
    ctx.submit(lambda _db: ("id-1", CARD))
    qtbot.waitUntil(lambda: bool(on_signal), timeout=WAIT_MS)
    assert on_bus == [CARD] and on_signal == [CARD]
