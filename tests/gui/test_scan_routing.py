"""Wedge scans through the scan router, with real Qt widgets offscreen: a badge scanned while the sign-in
dialog is open lands in its badge field (never a kanban scan), a card scanned while a search box has the
focus is routed to kanban and the search box stays empty, a badge scanned anywhere signs in, and the
header says in words when a background task is restarting."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from jitdesk.config import Settings
from jitdesk.devices.wedge import WedgeConfig
from jitdesk.domain.errors import KnownError
from jitdesk.gui.context import AppContext
from jitdesk.gui.main_window import MainWindow
from jitdesk.gui.scanning import ScanPipeline, pipeline_for
from jitdesk.services.hub import ServiceHub
from jitdesk.storage.database import open_database
from tests.helpers.station_plant import OPERATOR_BADGE, SUPERVISOR_BADGE, SUPERVISOR_PIN, StationPlant, build_station

WAIT_MS = 10_000
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")  # offscreen show() chatter


@pytest.fixture
def station(qloop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[tuple[AppContext, StationPlant]]:
    db = open_database(tmp_path / "routing.db")
    plant = build_station(db)
    hub = ServiceHub(db)
    ctx = AppContext(hub, Settings())
    yield ctx, plant
    pipeline_for(ctx).stop()
    ctx.deleteLater()
    hub.close()


def open_window(qtbot: QtBot, ctx: AppContext, view: str) -> tuple[MainWindow, ScanPipeline]:
    window = MainWindow(ctx, view)
    qtbot.addWidget(window)
    window.show()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    pipeline = pipeline_for(ctx)
    # A wide gap limit: a busy test machine must not turn a burst into "typing".
    pipeline.attach_devices(app, wedge_config=WedgeConfig(max_gap_ms=2_000, min_length=4))
    qtbot.waitUntil(lambda: ctx.runtime.badges.loaded, timeout=WAIT_MS)
    return window, pipeline


def wedge_scan(widget: QWidget, code: str) -> None:
    """What a keyboard-wedge scanner does: the code's keys in a burst, then Enter, at the focused widget."""
    QTest.keyClicks(widget, code)
    QTest.keyClick(widget, Qt.Key.Key_Return)


def settled(ctx: AppContext, pipeline: ScanPipeline) -> bool:
    return pipeline.pending == 0 and not ctx.busy


def test_a_badge_scanned_into_the_open_sign_in_dialog_fills_its_badge_field(
        qtbot: QtBot, station: tuple[AppContext, StationPlant]) -> None:
    ctx, plant = station
    window, pipeline = open_window(qtbot, ctx, "station")
    dialog = window.open_sign_in()
    qtbot.waitUntil(lambda: dialog.badge.hasFocus() or dialog.isVisible(), timeout=WAIT_MS)
    assert ctx.router.claims == ["sign-in badge field"]
    wedge_scan(dialog.badge, SUPERVISOR_BADGE)
    # A supervisor's badge alone is not enough: the dialog keeps the badge and asks for the PIN.
    qtbot.waitUntil(lambda: "PIN" in dialog.message.text(), timeout=WAIT_MS)
    assert dialog.badge.text() == SUPERVISOR_BADGE  # once: the burst itself was taken by the wedge filter
    assert dialog.isVisible() and ctx.user is None
    QTest.keyClicks(dialog.badge_pin, SUPERVISOR_PIN)  # a person types the PIN: typing, not a scan
    qtbot.waitUntil(lambda: dialog.badge_pin.text() == SUPERVISOR_PIN, timeout=WAIT_MS)
    QTest.keyClick(dialog.badge_pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ctx.user is not None, timeout=WAIT_MS)
    assert ctx.user is not None and ctx.user.name == "Sam Supervisor"
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert ctx.router.claims == []  # closing the dialog gave the scans back
    qtbot.waitUntil(lambda: settled(ctx, pipeline), timeout=WAIT_MS)
    assert plant.scan_log() == []  # the badge never became a kanban scan ("unknown card")


def test_an_operator_badge_scanned_in_the_dialog_signs_in_and_records_no_scan(
        qtbot: QtBot, station: tuple[AppContext, StationPlant]) -> None:
    ctx, plant = station
    window, pipeline = open_window(qtbot, ctx, "station")
    dialog = window.open_sign_in()
    dialog.tabs.setCurrentIndex(1)  # even on the name tab: a badge scan goes to the badge field
    wedge_scan(dialog.name, OPERATOR_BADGE)
    qtbot.waitUntil(lambda: ctx.user is not None, timeout=WAIT_MS)
    assert ctx.user is not None and ctx.user.name == "Olga Operator"
    assert dialog.name.text() == "" and not dialog.isVisible()
    qtbot.waitUntil(lambda: settled(ctx, pipeline), timeout=WAIT_MS)
    assert plant.scan_log() == []
    # The dialog closed: the next card scan is kanban's again, and stamped with who is signed in.
    wedge_scan(window.pages["station"].entry, plant.codes[0])
    qtbot.waitUntil(lambda: pipeline.last is not None and settled(ctx, pipeline), timeout=WAIT_MS)
    assert [(t, r) for t, r, _m in plant.scan_log()] == [(plant.codes[0], "emptied")]


def test_a_card_scanned_while_a_search_box_has_focus_goes_to_kanban(
        qtbot: QtBot, station: tuple[AppContext, StationPlant]) -> None:
    ctx, plant = station
    window, pipeline = open_window(qtbot, ctx, "kanban")
    board = window.pages["kanban"]
    search = board.search  # type: ignore[attr-defined]
    search.setFocus()
    routed: list[str] = []
    ctx.router.subscribe(lambda r: routed.append(r.to))
    wedge_scan(search, plant.codes[1])
    qtbot.waitUntil(lambda: pipeline.last is not None and settled(ctx, pipeline), timeout=WAIT_MS)
    assert routed == ["kanban"]
    assert pipeline.last is not None and (pipeline.last.result, pipeline.last.source) == ("emptied", "wedge")
    assert search.text() == ""
    assert [(t, r) for t, r, _m in plant.scan_log()] == [(plant.codes[1], "emptied")]
    # Something nobody knows is answered in the scan log, not typed into the box either.
    wedge_scan(search, "HELLO-42")
    qtbot.waitUntil(lambda: len(plant.scan_log()) == 2 and settled(ctx, pipeline), timeout=WAIT_MS)
    assert plant.scan_log()[-1] == ("HELLO-42", "unknown", "not a code jitdesk knows: HELLO-42")
    assert search.text() == "" and routed == ["kanban", ""]
    # A person typing in the box still types (slow keys are not a scan).
    QTest.keyClicks(search, "bo", delay=2_100)
    qtbot.waitUntil(lambda: search.text() == "bo", timeout=WAIT_MS)
    # The board searches after a pause: let that load finish before the database closes.
    qtbot.waitUntil(lambda: not board._debounce.isActive() and not ctx.busy, timeout=WAIT_MS)  # type: ignore[attr-defined]


def test_a_badge_scanned_anywhere_signs_in_and_a_supervisor_is_asked_for_the_pin(
        qtbot: QtBot, station: tuple[AppContext, StationPlant]) -> None:
    ctx, plant = station
    window, pipeline = open_window(qtbot, ctx, "station")
    entry = window.pages["station"].entry  # type: ignore[attr-defined]
    entry.setFocus()
    wedge_scan(entry, OPERATOR_BADGE)
    qtbot.waitUntil(lambda: ctx.user is not None, timeout=WAIT_MS)
    assert ctx.user is not None and ctx.user.name == "Olga Operator"
    assert "Olga Operator" in window.user_label.text() and entry.text() == ""
    wedge_scan(entry, SUPERVISOR_BADGE)
    qtbot.waitUntil(lambda: window.sign_in_dialog is not None and window.sign_in_dialog.isVisible(),
                    timeout=WAIT_MS)
    dialog = window.sign_in_dialog
    assert dialog is not None
    assert dialog.badge.text() == SUPERVISOR_BADGE and "PIN" in dialog.message.text()
    qtbot.waitUntil(lambda: settled(ctx, pipeline), timeout=WAIT_MS)
    assert plant.scan_log() == []


def test_the_header_says_when_a_background_task_is_restarting(
        qtbot: QtBot, station: tuple[AppContext, StationPlant]) -> None:
    ctx, _plant = station
    window = MainWindow(ctx, "station")
    qtbot.addWidget(window)
    window.show()
    assert not window.task_status.isVisible()

    async def flaky() -> None:
        raise KnownError("the light tower does not answer")

    ctx.runtime.start_task("lights", flaky)
    qtbot.waitUntil(lambda: window.task_status.isVisible(), timeout=WAIT_MS)
    assert window.task_status.text() == "⚠ lights restarting"
    assert "the light tower does not answer" in window.task_status.toolTip()
    task = asyncio.get_event_loop().create_task(ctx.supervisor.stop("lights", "switched off"))
    qtbot.waitUntil(task.done, timeout=WAIT_MS)
    assert window.task_status.text() == "✖ lights stopped"
    assert window.task_status.toolTip() == "✖ lights stopped: switched off"
