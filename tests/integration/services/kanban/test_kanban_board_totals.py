"""The kanban board's totals (a TV board's strip): loops by risk level over every page, with the filters,
agreeing with the risk of each loop on the pages."""

from __future__ import annotations

from jitdesk.domain.kanban.risk import RiskLevel
from jitdesk.services.kanban.board import BoardQuery, board_page, board_totals
from jitdesk.services.kanban.scanning import record_scan
from tests.helpers.kanban_plant import MIN, T0, KanbanPlant


def _empty(plant: KanbanPlant, loop: str, card: int, at_ms: int) -> None:
    record_scan(plant.db, plant.codes[loop][card], plant.stations["LINE-1"], now_ms=at_ms)


def test_totals_count_every_page_by_risk_level(plant: KanbanPlant) -> None:
    for i in range(3):
        _empty(plant, "BOLT", i, T0 + i * 1000)
    _empty(plant, "GEAR", 0, T0)
    now = T0 + 90 * MIN
    totals = board_totals(plant.db, now_ms=now)
    assert [level for level, _ in totals.counts] == [RiskLevel.STOCKOUT, RiskLevel.AT_RISK, RiskLevel.WATCH,
                                                     RiskLevel.OK]
    assert totals.count(RiskLevel.STOCKOUT) == 1 and totals.count(RiskLevel.AT_RISK) == 1
    assert totals.count(RiskLevel.OK) == 1 and totals.total == 3
    one_a_page = [board_page(plant.db, BoardQuery(problems_first=False), page=p, page_size=1, now_ms=now).rows[0]
                  for p in range(3)]
    for level, n in totals.counts:
        assert sum(1 for row in one_a_page if row.risk.level is level) == n
    assert board_totals(plant.db, BoardQuery(search="motor"), now_ms=now).total == 1
    assert board_totals(plant.db, BoardQuery(search="no such part"), now_ms=now).total == 0
