"""Sizing suggestions measured from a loop's scanned history (demand and lead time from real events)."""

from __future__ import annotations

import math

import pytest

from jitdesk.domain.errors import BadInput
from jitdesk.services.kanban.scanning import record_scan
from jitdesk.services.kanban.sizing import suggest_size
from tests.helpers.kanban_plant import MIN, T0, KanbanPlant

HOUR = 60 * MIN


def run_the_loop(plant: KanbanPlant, hours: int, every_min: int, lead_min: int) -> int:
    """Empty a card every `every_min` at the line; the supermarket picks and ships; the line fills it
    `lead_min` later. Returns how many cards were emptied."""
    line, sm = plant.stations["LINE-1"], plant.stations["SM-A"]
    codes = plant.codes["BOLT"]
    plan: list[tuple[int, str, str]] = []
    emptied = 0
    for k in range(hours * 60 // every_min):
        t = T0 + k * every_min * MIN
        code = codes[k % len(codes)]
        plan += [(t, code, line), (t + 10 * MIN, code, sm), (t + 20 * MIN, code, sm), (t + lead_min * MIN, code, line)]
        emptied += 1
    for at, code, station in sorted(plan):
        outcome = record_scan(plant.db, code, station, now_ms=at)
        assert outcome.ok, outcome.message
    return emptied


def test_suggestion_from_measured_demand_and_lead_time(plant: KanbanPlant) -> None:
    emptied = run_the_loop(plant, hours=10, every_min=30, lead_min=45)
    now = T0 + 10 * HOUR
    suggestion = suggest_size(plant.db, plant.loops["BOLT"], now_ms=now, window_hours=10)
    assert suggestion.demand.mean_per_hour == pytest.approx(emptied * 10 / 10)  # qty 10 per card
    assert suggestion.sizing.lead_time_measured
    assert suggestion.lead.mean_minutes == pytest.approx(45)
    expected = math.ceil(20 * 0.75 * 1.2 / 10)
    assert suggestion.suggested == expected == 2
    assert suggestion.cards_now == 3
    assert "retire 1 card(s)" in suggestion.words


def test_without_cycles_the_planned_lead_time_is_used(plant: KanbanPlant) -> None:
    suggestion = suggest_size(plant.db, plant.loops["GEAR"], now_ms=T0, window_hours=24)
    assert not suggestion.sizing.lead_time_measured
    assert suggestion.demand.total == 0 and suggestion.suggested == 1
    assert "planned lead time 60 min" in suggestion.words
    with pytest.raises(BadInput):
        suggest_size(plant.db, plant.loops["GEAR"], now_ms=T0, window_hours=0)
