"""The scan answer a worker can trust: it fades to "how long ago", a lost scan never leaves the old
answer standing, a double scan keeps the first answer, and every view shows it (the main window's
banner where a view has no flash of its own)."""

from __future__ import annotations

from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from jitdesk.gui import kanban
from jitdesk.gui.context import AppContext
from jitdesk.gui.kanban.flash import BANNER, ScanFlash, ago
from jitdesk.gui.main_window import MainWindow
from jitdesk.runtime.scan_router import Routed, Scan

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
WAIT_MS = 10_000


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_ago_words() -> None:
    assert [ago(s) for s in (0, 12, 59, 60, 185, 7300)] == ["0 s ago", "12 s ago", "59 s ago", "1 min ago",
                                                             "3 min ago", "2 h ago"]


def test_the_answer_fades_to_how_long_ago(qtbot: QtBot) -> None:
    clock = Clock()
    flash = ScanFlash(clock=clock)
    qtbot.addWidget(flash)
    flash.show_result("success", "emptied", "Drive gear 14T steel, card 2 of 4, is now empty", card="K000002T")
    assert flash.title.text() == "EMPTIED" and flash.flashing
    clock.now += 12
    flash.calm()
    assert flash.title.text() == "EMPTIED · 12 s ago"
    clock.now += 60
    flash._show_age()
    assert flash.title.text() == "EMPTIED · 1 min ago"
    assert "Drive gear" in flash.detail.text()


def test_a_new_scan_clears_the_old_answer_at_once_and_a_lost_one_says_so(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kanban.flash, "LOST_MS", 50)
    flash = ScanFlash()
    qtbot.addWidget(flash)
    flash.show_result("success", "emptied", "Drive gear 14T steel, card 2 of 4, is now empty", card="K000002T")
    flash._routed(Routed(Scan("K000003R", "wedge"), "route", "kanban"))
    assert flash.title.text() == "CHECKING…" and "Drive gear" not in flash.detail.text()
    qtbot.waitUntil(lambda: flash.title.text() == "NO ANSWER", timeout=WAIT_MS)
    assert flash.tone == "refused" and "K000003R" in flash.detail.text() and flash.symbol.text() == "✖"


def test_a_double_scan_keeps_the_first_answer(qtbot: QtBot) -> None:
    flash = ScanFlash()
    qtbot.addWidget(flash)
    flash.show_result("success", "emptied", "Drive gear 14T steel, card 2 of 4, is now empty", card="K000002T")
    flash._routed(Routed(Scan("K000002T", "wedge"), "route", "kanban"))  # the same card again
    assert flash.title.text() == "EMPTIED"
    flash.show_result("info", "double_scan", "double scan: card K000002T was just scanned", card="K000002T")
    assert flash.title.text() == "EMPTIED" and flash.tone == "success"
    assert flash.detail.text() == "Drive gear 14T steel, card 2 of 4, is now empty\n◉ scanned twice: nothing more done"
    flash.show_result("info", "double_scan", "double scan", card="K000002T")
    assert flash.detail.text().endswith("scanned twice: nothing more done (3 times)")
    flash.show_result("refused", "on_hold", "card K000009C is on hold", card="K000009C")
    assert flash.title.text() == "CARD ON HOLD" and "twice" not in flash.detail.text()


def test_every_view_shows_the_answer(qtbot: QtBot, ctx: AppContext, qapp: Any) -> None:
    from jitdesk.gui import views

    window = MainWindow(ctx, "kanban")
    qtbot.addWidget(window)
    window.show()
    banner = window.answer_banner
    assert banner.size_spec is BANNER
    for name in views.ORDER:
        page = window.show_view(name)
        own = getattr(page, "flash", None)
        shows = own if isinstance(own, ScanFlash) else banner
        assert shows.isVisible(), name
        assert banner.isVisible() == (shows is banner), name
    window.show_view("andon")
    ctx.router.route("K000002T", "wedge")  # a card of another station
    qtbot.waitUntil(lambda: banner.title.text() == "WRONG STATION", timeout=WAIT_MS)
    assert "belongs at station L1-S1" in banner.detail.text() and banner.symbol.text() == "✖"
    dispose(qtbot, ctx, window)


def dispose(qtbot: QtBot, ctx: AppContext, window: MainWindow) -> None:
    """Once every view's load has come back, delete the window and its views: the kanban board's
    refresh timer must not outlive the test's event loop."""
    from PySide6.QtCore import QCoreApplication, QEvent

    qtbot.waitUntil(lambda: not ctx.busy, timeout=WAIT_MS)
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
