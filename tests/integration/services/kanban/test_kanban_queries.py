"""The board, queue and station reads: order, totals, filters, paging, and the trigger-kept queue table."""

from __future__ import annotations

from dataclasses import replace

from jitdesk.domain.kanban.risk import RiskLevel
from jitdesk.services.kanban import loops
from jitdesk.services.kanban.board import BoardQuery, board_choices, board_page
from jitdesk.services.kanban.queue import replenishment_queue
from jitdesk.services.kanban.scanning import record_scan
from jitdesk.services.kanban.station import station_panel
from jitdesk.services.rebuild import rebuild_all
from tests.helpers.kanban_plant import MIN, T0, KanbanPlant


def empty(plant: KanbanPlant, loop: str, index: int, at: int) -> None:
    outcome = record_scan(plant.db, plant.codes[loop][index], plant.stations["LINE-1"], now_ms=at)
    assert outcome.result == "emptied"


def test_queue_is_late_first_then_by_due_time_grouped_by_supplier(plant: KanbanPlant) -> None:
    empty(plant, "BOLT", 0, T0)  # due T0 + 60 min
    empty(plant, "MOTOR", 0, T0 + MIN)  # due T0 + 241 min
    empty(plant, "BOLT", 1, T0 + 2 * MIN)  # due T0 + 62 min
    queue = replenishment_queue(plant.db, now_ms=T0 + 61 * MIN)
    assert [i.code for i in queue.items] == [plant.codes["BOLT"][0], plant.codes["BOLT"][1], plant.codes["MOTOR"][0]]
    assert (queue.total, queue.late) == (3, 1)
    assert [i.due_ms - T0 for i in queue.items] == [60 * MIN, 62 * MIN, 241 * MIN]
    assert [g for g, _ in queue.groups()] == ["Supermarket A", "Motor maker"]
    assert queue.items[0].part_number == "P-1" and queue.items[0].station_code == "LINE-1"
    only = replenishment_queue(plant.db, now_ms=T0, supplier_location="Motor maker")
    assert [i.code for i in only.items] == [plant.codes["MOTOR"][0]] and only.total == 1
    assert replenishment_queue(plant.db, now_ms=T0, limit=1).total == 3


def test_queue_table_follows_loop_edits_holds_and_rebuilds(plant: KanbanPlant) -> None:
    empty(plant, "BOLT", 0, T0)
    empty(plant, "GEAR", 0, T0)
    bolt = loops.loop_detail(plant.db, plant.loops["BOLT"]).loop
    loops.save_loop(plant.db, replace(bolt, lead_time_minutes=10), actor=None, loop_id=plant.loops["BOLT"])
    due = {i.code: i.due_ms - T0 for i in replenishment_queue(plant.db, now_ms=T0).items}
    assert due[plant.codes["BOLT"][0]] == 10 * MIN
    loops.hold_cards(plant.db, [plant.cards["GEAR"][0]], actor=None)
    assert [i.code for i in replenishment_queue(plant.db, now_ms=T0).items] == [plant.codes["BOLT"][0]]
    loops.save_loop(plant.db, replace(bolt, lead_time_minutes=10, active=False), actor=None,
                    loop_id=plant.loops["BOLT"])
    assert replenishment_queue(plant.db, now_ms=T0).total == 0
    loops.release_cards(plant.db, [plant.cards["GEAR"][0]], actor=None)
    before = replenishment_queue(plant.db, now_ms=T0)
    rebuild_all(plant.db)
    after = replenishment_queue(plant.db, now_ms=T0)
    assert before == after and after.total == 1


def test_board_pages_filters_and_risk(plant: KanbanPlant) -> None:
    for i in range(3):
        empty(plant, "BOLT", i, T0 + i * 1000)
    empty(plant, "GEAR", 0, T0)
    page = board_page(plant.db, now_ms=T0 + 90 * MIN)
    assert [r.loop.code for r in page.rows] == ["BOLT", "GEAR", "MOTOR"] and page.total == 3
    risk = {r.loop.code: r.risk.level for r in page.rows}
    assert risk == {"BOLT": RiskLevel.STOCKOUT, "GEAR": RiskLevel.AT_RISK, "MOTOR": RiskLevel.OK}
    bolt = page.rows[0]
    assert bolt.part_number == "P-1" and bolt.station_code == "LINE-1" and bolt.line_code == "L1"
    second = board_page(plant.db, page=1, page_size=2, now_ms=T0)
    assert [r.loop.code for r in second.rows] == ["MOTOR"] and second.pages == 2
    beyond = board_page(plant.db, page=9, page_size=2, now_ms=T0)
    assert beyond.page == 1
    assert [r.loop.code for r in board_page(plant.db, BoardQuery(search="motor"), now_ms=T0).rows] == ["MOTOR"]
    assert [r.loop.code for r in board_page(plant.db, BoardQuery(supplier_location="Motor maker"),
                                            now_ms=T0).rows] == ["MOTOR"]
    assert board_page(plant.db, BoardQuery(station_id=plant.stations["LINE-2"]), now_ms=T0).total == 0
    choices = board_choices(plant.db)
    assert len(choices.lines) == 1 and choices.suppliers == ("Motor maker", "Supermarket A")
    assert board_page(plant.db, BoardQuery(line_id=choices.lines[0][0]), now_ms=T0).total == 3


def test_station_panel_lists_its_loops_and_last_scans(plant: KanbanPlant) -> None:
    empty(plant, "BOLT", 0, T0)
    record_scan(plant.db, "NOT-A-CARD", plant.stations["LINE-1"], now_ms=T0 + 1000)
    panel = station_panel(plant.db, now_ms=T0 + 2 * 60 * MIN)
    assert panel.station_code == "LINE-1" and panel.role == "line"
    assert [(s.result, s.text) for s in panel.scans] == [("unknown", "NOT-A-CARD"),
                                                          ("emptied", plant.codes["BOLT"][0])]
    bolt = next(loop for loop in panel.loops if loop.code == "BOLT")
    assert (bolt.full, bolt.in_replenishment, bolt.late, bolt.cards) == (2, 1, 1, 3)
    supermarket = station_panel(plant.db, plant.stations["SM-A"], now_ms=T0)
    assert {loop.code: loop.role for loop in supermarket.loops} == {"BOLT": "supplies", "GEAR": "supplies"}


def test_board_puts_problems_first_or_orders_by_code(plant: KanbanPlant) -> None:
    empty(plant, "MOTOR", 0, T0)  # MOTOR: 1 of 3 in replenishment, late after its 240 min lead time
    for i in range(3):
        empty(plant, "GEAR", i, T0)  # GEAR: no full card left
    late = T0 + 300 * MIN
    first = board_page(plant.db, now_ms=late)
    assert [(r.loop.code, r.risk.level) for r in first.rows] == [
        ("GEAR", RiskLevel.STOCKOUT), ("MOTOR", RiskLevel.AT_RISK), ("BOLT", RiskLevel.OK)]
    by_code = board_page(plant.db, BoardQuery(problems_first=False), now_ms=late)
    assert [r.loop.code for r in by_code.rows] == ["BOLT", "GEAR", "MOTOR"]
    early = board_page(plant.db, now_ms=T0 + MIN)  # nothing late yet: MOTOR is OK like BOLT, but has a
    assert [r.loop.code for r in early.rows] == ["GEAR", "MOTOR", "BOLT"]  # card due back: it comes first
    rebuild_all(plant.db)  # the trigger-kept counts follow a rebuild
    assert [r.loop.code for r in board_page(plant.db, now_ms=late).rows] == ["GEAR", "MOTOR", "BOLT"]


def test_problems_first_order_agrees_with_the_risk_of_every_loop(tmp_path: object) -> None:
    """On the demo plant (64 loops with a day of history), the SQL order never puts a loop above one the
    domain rates riskier."""
    from pathlib import Path

    from jitdesk.services.demo import ensure_demo
    from jitdesk.services.uow import wall_clock_ms
    from jitdesk.storage.database import open_database

    db = open_database(Path(str(tmp_path)) / "demo.db")
    try:
        ensure_demo(db)
        page = board_page(db, page_size=200, now_ms=wall_clock_ms())
        levels = [r.risk.level for r in page.rows]
        assert len(levels) == page.total == 64
        assert levels == sorted(levels, reverse=True)
        assert levels[0] == RiskLevel.STOCKOUT and RiskLevel.OK in levels
    finally:
        db.close()
