"""Station, board, queue and admin Loops views offscreen: they load from services, reload on changes,
and show every answer in colour, symbol and words."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from jitdesk.gui.admin.loops_tab import LoopsTab
from jitdesk.gui.context import AppContext
from jitdesk.gui.kanban.flash import ScanFlash
from jitdesk.gui.kanban.sounds import ScanSounds
from jitdesk.gui.scanning import pipeline_for
from jitdesk.gui.views import create_view
from jitdesk.gui.views.kanban_board import KanbanBoard
from jitdesk.gui.views.queue import QueueView
from jitdesk.gui.views.station import StationView
from jitdesk.services import station_identity
from jitdesk.services.kanban.scanning import record_scan
from tests.helpers.kanban_plant import KanbanPlant

WAIT_MS = 10_000


def test_the_registry_builds_the_three_kanban_views(qtbot: QtBot, kanban_ctx: tuple[AppContext, KanbanPlant]) -> None:
    ctx, _plant = kanban_ctx
    for name, kind in (("station", StationView), ("kanban", KanbanBoard), ("queue", QueueView)):
        widget = create_view(name, ctx)
        qtbot.addWidget(widget)
        assert isinstance(widget, kind)
    qtbot.waitUntil(lambda: not ctx.busy, timeout=WAIT_MS)


def test_station_view_flashes_typed_scans_and_lists_its_loops(qtbot: QtBot,
                                                             kanban_ctx: tuple[AppContext, KanbanPlant]) -> None:
    ctx, plant = kanban_ctx
    view = StationView(ctx)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.loops.rowCount() == 3, timeout=WAIT_MS)
    assert "LINE-1" in view.title.text()
    assert view.flash.tone == "idle"
    view.entry.setText(plant.codes["BOLT"][0])
    view.record_button.click()
    qtbot.waitUntil(lambda: view.flash.tone == "success", timeout=WAIT_MS)
    assert view.flash.title.text() == "EMPTIED" and view.flash.symbol.text() == "✔"
    view.entry.setText("K000001X")  # a misread check character
    view.record_typed()
    qtbot.waitUntil(lambda: view.flash.tone == "refused", timeout=WAIT_MS)
    assert view.flash.title.text() == "BAD CHECK CHARACTER" and view.flash.symbol.text() == "✖"
    qtbot.waitUntil(lambda: [r.result for r in view.scans.rows[:2]] == ["bad_check", "emptied"], timeout=WAIT_MS)
    bolt = next(r for r in view.loops.rows if r.code == "BOLT")
    qtbot.waitUntil(lambda: next(r for r in view.loops.rows if r.code == "BOLT").in_replenishment == 1,
                    timeout=WAIT_MS)
    assert bolt.cards == 3
    assert view.scans.data(view.scans.index(0, 1)) == "✖ BAD CHECK CHARACTER"


def test_a_double_scan_keeps_the_first_answer_and_says_scanned_twice(
        qtbot: QtBot, kanban_ctx: tuple[AppContext, KanbanPlant]) -> None:
    ctx, plant = kanban_ctx
    view = StationView(ctx)
    qtbot.addWidget(view)
    pipeline = pipeline_for(ctx)
    pipeline.submit(plant.codes["GEAR"][0])
    pipeline.submit(plant.codes["GEAR"][0])
    qtbot.waitUntil(lambda: "scanned twice" in view.flash.detail.text(), timeout=WAIT_MS)
    assert view.flash.title.text() == "EMPTIED" and view.flash.symbol.text() == "✔"
    assert view.flash.tone == "success" and view.flash.twice == 1


def test_flash_calms_but_keeps_the_words_and_sound_is_silent_offscreen(qtbot: QtBot) -> None:
    flash = ScanFlash()
    qtbot.addWidget(flash)
    flash.show_result("refused", "on_hold", "card K000001W is on hold: ask a supervisor")
    assert flash.flashing and "on hold" in flash.detail.text()
    flash.calm()
    assert flash.title.text() == "CARD ON HOLD · 0 s ago"
    sounds = ScanSounds()
    assert not sounds.enabled and "offscreen" in (sounds.silent_reason or "")
    sounds.play("success")  # silently nothing


def test_board_shows_risk_in_words_and_filters(qtbot: QtBot, kanban_ctx: tuple[AppContext, KanbanPlant]) -> None:
    ctx, plant = kanban_ctx
    for code in plant.codes["BOLT"]:
        record_scan(plant.db, code, plant.stations["LINE-1"])
    board = KanbanBoard(ctx)
    qtbot.addWidget(board)
    board.resize(1600, 900)
    qtbot.waitUntil(lambda: board.model.rowCount() == 3, timeout=WAIT_MS)
    assert board.model.data(board.model.index(0, 0)) == "✖ STOCKOUT"
    assert "no full card" in board.model.data(board.model.index(0, board.model.columnCount() - 1))
    assert "stockout" in board.summary.text()
    board.search.setText("motor")
    qtbot.waitUntil(lambda: board.model.rowCount() == 1, timeout=WAIT_MS)
    assert board.model.rows[0].loop.code == "MOTOR"
    board.search.setText("")
    qtbot.waitUntil(lambda: board.model.rowCount() == 3 and board.line.count() == 2, timeout=WAIT_MS)
    record_scan(plant.db, plant.codes["GEAR"][0], plant.stations["LINE-1"])
    ctx.changed.emit(record_scan(plant.db, plant.codes["GEAR"][1], plant.stations["LINE-1"]).changes)
    qtbot.waitUntil(lambda: board.model.rows[1].risk.too_many_empty, timeout=WAIT_MS)


def test_queue_groups_by_supplier_and_scanning_here_moves_cards(qtbot: QtBot,
                                                                kanban_ctx: tuple[AppContext, KanbanPlant]) -> None:
    ctx, plant = kanban_ctx
    record_scan(plant.db, plant.codes["BOLT"][0], plant.stations["LINE-1"])
    record_scan(plant.db, plant.codes["MOTOR"][0], plant.stations["LINE-1"])
    ctx.hub.call(station_identity.assign, plant.stations["SM-A"], actor=None)  # a supermarket handheld
    view = QueueView(ctx)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.model.card_rows() == 2, timeout=WAIT_MS)
    groups = [view.model.item(r).text() for r in range(view.model.rowCount())]
    assert groups[0].startswith("Supermarket A") and groups[1].startswith("Motor maker")
    assert "2 card(s) awaiting replenishment" in view.summary.text()
    view.entry.setText(plant.codes["BOLT"][0])
    view.record_typed()
    qtbot.waitUntil(lambda: view.flash.title.text() == "PICKED", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: view.model.item(0).child(0, 3).text() == "Picking", timeout=WAIT_MS)


def test_admin_loops_tab_resizes_and_suggests(qtbot: QtBot, kanban_ctx: tuple[AppContext, KanbanPlant]) -> None:
    ctx, plant = kanban_ctx
    tab = LoopsTab(ctx)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.list.count() == 3 and tab.part.count() == 3, timeout=WAIT_MS)
    tab.list.setCurrentRow(0)
    qtbot.waitUntil(lambda: tab.detail is not None and tab.cards.rowCount() == 3, timeout=WAIT_MS)
    assert tab.code.text() == "BOLT"
    tab.count.setValue(5)
    tab.resize_loop()
    qtbot.waitUntil(lambda: tab.cards.rowCount() == 5, timeout=WAIT_MS)
    tab.suggest()
    qtbot.waitUntil(lambda: "cards suggested" in tab.sizing.text(), timeout=WAIT_MS)
    tab.new_loop()
    tab.code.setText("BOLT-2")
    tab.location.setText("Supermarket A")
    tab.supplier.setCurrentIndex(tab.supplier.findData(plant.stations["SM-A"]))
    tab.consumer.setCurrentIndex(tab.consumer.findData(plant.stations["LINE-2"]))
    tab.save()
    qtbot.waitUntil(lambda: tab.list.count() == 4, timeout=WAIT_MS)
    assert "Loop saved." in tab.message.text()
    tab.code.setText("")
    tab.save()
    qtbot.waitUntil(lambda: "may not be empty" in tab.message.text(), timeout=WAIT_MS)


def test_board_print_button_opens_the_dialog_for_the_selected_loops(
        qtbot: QtBot, kanban_ctx: tuple[AppContext, KanbanPlant]) -> None:
    ctx, _plant = kanban_ctx
    board = KanbanBoard(ctx)
    qtbot.addWidget(board)
    board.resize(1600, 900)
    qtbot.waitUntil(lambda: board.model.rowCount() == 3, timeout=WAIT_MS)
    board.table.selectRow(1)
    chosen = board.model.rows[1].loop_id
    dialog = board.open_print()
    qtbot.waitUntil(lambda: dialog.loop_list.count() == 3, timeout=WAIT_MS)
    assert dialog.isVisible()
    assert dialog.chosen_loop_ids() == [chosen]
    dialog.close()


def test_board_order_toggle(qtbot: QtBot, kanban_ctx: tuple[AppContext, KanbanPlant]) -> None:
    ctx, plant = kanban_ctx
    for code in plant.codes["GEAR"]:
        record_scan(plant.db, code, plant.stations["LINE-1"])
    board = KanbanBoard(ctx)
    qtbot.addWidget(board)
    board.resize(1600, 900)
    qtbot.waitUntil(lambda: board.model.rowCount() == 3, timeout=WAIT_MS)
    assert board.model.rows[0].loop.code == "GEAR"  # the stockout on top
    board.problems_first.click()
    qtbot.waitUntil(lambda: [r.loop.code for r in board.model.rows] == ["BOLT", "GEAR", "MOTOR"], timeout=WAIT_MS)
    assert "By loop code" in board.problems_first.text()
