"""The station view and the kanban board show messages in words: times in the plant's time zone,
station codes for station ids, and every template through Qt's translation at display time."""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from pytestqt.qtbot import QtBot

from jitdesk.domain.kanban.card import CARD_EMPTIED, move_payload
from jitdesk.domain.master import Plant
from jitdesk.gui.context import AppContext
from jitdesk.gui.views.kanban_board import KanbanBoard
from jitdesk.gui.views.station import StationView
from jitdesk.gui.words import CONTEXT
from jitdesk.services import master
from jitdesk.services.kanban.scanning import record_scan
from jitdesk.services.uow import transaction
from jitdesk.services.words import TEMPLATES, Words
from jitdesk.storage.database import PLANT_ID, Database
from tests.helpers.kanban_plant import MIN, T0, KanbanPlant

WAIT_MS = 10_000
BERLIN = Words(ZoneInfo("Europe/Berlin"))


def in_berlin(db: Database) -> None:
    master.save(db, Plant(code="TP", name="Test plant", timezone="Europe/Berlin"), actor=None,
                entity_id=db.setting(PLANT_ID), now_ms=lambda: T0 - 30 * MIN)


def test_station_view_shows_answers_and_times_in_the_plant_zone(qtbot: QtBot,
                                                                kanban_ctx: tuple[AppContext, KanbanPlant]) -> None:
    ctx, plant = kanban_ctx
    in_berlin(plant.db)
    code = plant.codes["BOLT"][0]
    assert record_scan(plant.db, code, plant.stations["LINE-1"], now_ms=T0).result == "emptied"
    view = StationView(ctx)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.panel is not None, timeout=WAIT_MS)
    view.entry.setText(code)
    view.record_typed()
    qtbot.waitUntil(lambda: view.flash.title.text() == "ALREADY EMPTY", timeout=WAIT_MS)
    expected = f"card {code} is already empty (since {BERLIN.time(T0)})"
    assert "CEST" in expected  # T0 is in September, summer time in Berlin
    assert view.flash.detail.text() == expected
    qtbot.waitUntil(lambda: view.scans.rows[0].result == "already_empty" and view.scans.rows[0].note is not None,
                    timeout=WAIT_MS)
    assert view.scans.data(view.scans.index(0, 3)) == expected
    assert view.scans.data(view.scans.index(0, 0)) == BERLIN.clock(view.scans.rows[0].at_ms)
    assert f"is now empty (emptied {code}, loop " in view.scans.data(view.scans.index(1, 3))  # names the part


def test_board_shows_reasons_and_anomaly_notes_with_station_codes_and_plant_times(
        qtbot: QtBot, kanban_ctx: tuple[AppContext, KanbanPlant]) -> None:
    ctx, plant = kanban_ctx
    in_berlin(plant.db)
    card_id = plant.cards["GEAR"][0]
    for offset, station in ((0, "LINE-1"), (5, "LINE-2")):  # two stations emptied it while offline
        with transaction(plant.db, now_ms=lambda offset=offset: T0 + offset * MIN) as tx:
            tx.append(CARD_EMPTIED, card_id, move_payload(plant.stations[station]), None)
    board = KanbanBoard(ctx)
    qtbot.addWidget(board)
    board.resize(1600, 900)
    qtbot.waitUntil(lambda: board.model.rowCount() == 3, timeout=WAIT_MS)
    row = next(i for i, r in enumerate(board.model.rows) if r.loop.code == "GEAR")
    assert "1 to check" in board.model.data(board.model.index(row, board.model.columnCount() - 1))
    tip = board.model.data(board.model.index(row, 0), Qt.ItemDataRole.ToolTipRole)
    assert "1 card(s) with anomalies to check" in tip
    note = (f"{plant.codes['GEAR'][0]}: {BERLIN.time(T0 + 5 * MIN)}: emptied twice at station LINE-2: already "
            f"empty since {BERLIN.time(T0)} (station LINE-1)")
    assert note in tip, tip
    assert plant.stations["LINE-2"] not in tip  # station ids never show where a code is known


class _German(QTranslator):
    """A translation installed the way a .qm file would be: answers for the messages context."""

    WORDS = {TEMPLATES["scan.already_empty"]: "Karte {code} ist schon leer (seit {since_ms:time})"}

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        return self.WORDS.get(source) if context == CONTEXT else None


@pytest.fixture
def german(qapp: QCoreApplication) -> Iterator[None]:
    translator = _German()
    QCoreApplication.installTranslator(translator)
    yield
    QCoreApplication.removeTranslator(translator)


def test_the_station_view_renders_through_qt_translation(
        qtbot: QtBot, kanban_ctx: tuple[AppContext, KanbanPlant], german: None) -> None:
    ctx, plant = kanban_ctx
    in_berlin(plant.db)
    code = plant.codes["BOLT"][0]
    record_scan(plant.db, code, plant.stations["LINE-1"], now_ms=T0)
    view = StationView(ctx)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.panel is not None, timeout=WAIT_MS)
    view.entry.setText(code)
    view.record_typed()
    qtbot.waitUntil(lambda: view.flash.title.text() == "ALREADY EMPTY", timeout=WAIT_MS)
    assert view.flash.detail.text() == f"Karte {code} ist schon leer (seit {BERLIN.time(T0)})"
