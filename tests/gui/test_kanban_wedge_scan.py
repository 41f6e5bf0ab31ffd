"""A keyboard-wedge scanner: real Qt key events at the focused widget end in a recorded scan."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from jitdesk.devices.wedge import WedgeConfig
from jitdesk.domain.kanban.status import Supply
from jitdesk.gui.context import AppContext
from jitdesk.gui.scanning import pipeline_for
from jitdesk.gui.views.station import StationView
from jitdesk.storage import kanban_repo
from tests.helpers.kanban_plant import KanbanPlant

WAIT_MS = 10_000
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")  # offscreen show() chatter


def test_wedge_keys_become_a_scan_and_never_reach_the_text_box(qtbot: QtBot,
                                                               kanban_ctx: tuple[AppContext, KanbanPlant]) -> None:
    ctx, plant = kanban_ctx
    view = StationView(ctx)
    qtbot.addWidget(view)
    view.show()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    pipeline = pipeline_for(ctx)
    # A wide gap limit: a busy test machine must not turn a burst into "typing".
    pipeline.attach_devices(app, wedge_config=WedgeConfig(max_gap_ms=2_000, min_length=6))
    view.entry.setFocus()
    code = plant.codes["BOLT"][0]
    QTest.keyClicks(view.entry, code.lower())  # scanners send what the keyboard layout gives
    QTest.keyClick(view.entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: pipeline.last is not None and pipeline.pending == 0, timeout=WAIT_MS)
    assert pipeline.last is not None
    assert (pipeline.last.result, pipeline.last.source) == ("emptied", "wedge")
    assert view.entry.text() == ""  # the burst was taken by the filter
    assert view.flash.title.text() == "EMPTIED"
    qtbot.waitUntil(lambda: bool(view.scans.rows) and view.scans.rows[0].result == "emptied", timeout=WAIT_MS)
    with plant.db.reading() as session:
        card = kanban_repo.cards_by_id(session, [plant.cards["BOLT"][0]])[plant.cards["BOLT"][0]]
    assert card.supply is Supply.EMPTY
    pipeline.stop()
