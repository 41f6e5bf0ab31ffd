"""A hidden page reloads when shown, not on every change: the KPI page, hidden behind Station, runs no
query however many changes arrive, and runs one when it is shown again."""

from __future__ import annotations

from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from jitdesk.gui.context import AppContext
from jitdesk.gui.main_window import MainWindow
from jitdesk.gui.views import kpi
from jitdesk.services.changes import Changes
from jitdesk.services.overview import event_overview
from tests.helpers.screens import settle, themed

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_hidden_kpi_page_queries_only_when_shown(qtbot: QtBot, qapp: Any, ctx: AppContext,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def counted(db: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append("overview")
        return event_overview(db, *args, **kwargs)

    monkeypatch.setattr(kpi, "event_overview", counted)
    with themed(qapp):
        window = MainWindow(ctx, "kpi")
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        settle(qtbot, ctx, ms=50)
        page: Any = window.pages["kpi"]
        assert calls == ["overview"] and page.total.text() != "…"
        some_change = Changes(frozenset({("card", "c1")}))
        ctx.bus.publish(some_change)  # shown: every change reloads it
        settle(qtbot, ctx, ms=50)
        assert len(calls) == 2
        window.show_view("station")
        settle(qtbot, ctx, ms=50)
        for _ in range(20):  # a busy station: scans, sync, the simulator
            ctx.bus.publish(some_change)
        settle(qtbot, ctx, ms=50)
        assert len(calls) == 2 and page.stale  # hidden: no query, only a mark
        window.show_view("kpi")
        settle(qtbot, ctx, ms=50)
        assert len(calls) == 3 and not page.stale  # one reload when shown


def test_hidden_kanban_board_skips_its_timed_refresh(qtbot: QtBot, qapp: Any, ctx: AppContext) -> None:
    with themed(qapp):
        window = MainWindow(ctx, "kanban")
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        settle(qtbot, ctx, ms=150)
        board: Any = window.pages["kanban"]
        window.show_view("andon")
        settle(qtbot, ctx, ms=50)
        loads: list[int] = []
        board.load = lambda: loads.append(1)
        board._timer.timeout.emit()  # the half-minute refresh while another view is up
        assert loads == [] and board.stale
        window.show_view("kanban")
        assert loads == [1]
