"""Sizing: the card count formula, demand and lead-time statistics, and measuring them from events."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jitdesk.domain.errors import BadInput
from jitdesk.domain.events import Event
from jitdesk.domain.kanban.card import CARD_ADDED, CARD_EMPTIED, CARD_FILLED, CARD_SHIPPED
from jitdesk.domain.kanban.codes import card_code
from jitdesk.domain.kanban.sizing import (
    HOUR_MS,
    Cycle,
    DemandStats,
    LeadTimeStats,
    card_count,
    card_history,
    consumption,
    demand_stats,
    lead_time_stats,
    size_loop,
)
from tests.helpers.kanban_events import MIN, T0, Device, make_loop


def test_card_count_examples() -> None:
    assert card_count(50, 2, 0.2, 25) == 5  # 50 * 2 * 1.2 / 25 = 4.8
    assert card_count(100, 1, 0.1, 110) == 1  # exactly 1 on paper: no rounding noise pushes it to 2
    assert card_count(30, 0.5, 0.1, 3) == 6  # 5.5 -> 6
    assert card_count(0, 4, 0.5, 10) == 1  # never fewer than one card
    assert card_count(0, 4, 0.5, 10, min_cards=2) == 2
    assert card_count(120, 8, 0, 960) == 1


@pytest.mark.parametrize(("args", "words"), [
    ((-1, 1, 0, 10), "may not be negative"), ((1, float("nan"), 0, 10), "must be a number"),
    ((1, 1, 0, 0), "quantity per card"), ((1, 1, 0, 2.5), "quantity per card"), ((1, 1, True, 2), "number"),
])
def test_card_count_refuses_nonsense(args: tuple[float, float, float, int], words: str) -> None:
    with pytest.raises(BadInput, match=words):
        card_count(*args)


@given(st.floats(0, 10_000), st.floats(0, 500), st.floats(0, 3), st.integers(1, 10_000))
def test_card_count_covers_demand_over_lead_time(demand: float, lead: float, safety: float, qty: int) -> None:
    n = card_count(demand, lead, safety, qty)
    need = demand * lead * (1 + safety)
    assert n >= 1
    assert n * qty >= need * (1 - 1e-9)  # enough cards
    assert n == 1 or (n - 1) * qty < need * (1 + 1e-9)  # and not one more than needed


def test_demand_stats() -> None:
    events = [(T0 + 10 * MIN, 50.0), (T0 + 20 * MIN, 50.0), (T0 + HOUR_MS + MIN, 100.0),
              (T0 + 3 * HOUR_MS, 999.0), (T0 - 1, 999.0)]  # the last two lie outside the window
    stats = demand_stats(events, T0, T0 + 3 * HOUR_MS)
    assert stats == DemandStats(total=200.0, hours=3.0, mean_per_hour=200 / 3, stdev_per_hour=stats.stdev_per_hour,
                                buckets=3)
    assert stats.stdev_per_hour == pytest.approx(57.735, abs=1e-3)  # rates 100, 100, 0
    partial = demand_stats([(T0 + 90 * MIN, 60.0)], T0, T0 + 90 * MIN + 1)
    assert partial.buckets == 1 and partial.total == 60.0 and partial.stdev_per_hour == 0.0
    quarter = demand_stats([(T0, 10.0), (T0 + 15 * MIN, 30.0)], T0, T0 + 30 * MIN, bucket_ms=15 * MIN)
    assert quarter.mean_per_hour == 80.0 and quarter.stdev_per_hour == pytest.approx(math.sqrt(2) * 40)
    with pytest.raises(BadInput):
        demand_stats([], T0, T0)


def test_lead_time_stats() -> None:
    stats = lead_time_stats([(T0, T0 + 60 * MIN), (T0, T0 + 120 * MIN), (T0, T0 + 90 * MIN), (T0, T0 - MIN)])
    assert stats == LeadTimeStats(count=3, mean_minutes=90.0, stdev_minutes=30.0, min_minutes=60.0,
                                  max_minutes=120.0, discarded=1)
    assert lead_time_stats([]) == LeadTimeStats(0, 0.0, 0.0, 0.0, 0.0, 0)
    assert lead_time_stats([(T0, T0 + MIN)]).stdev_minutes == 0.0


def _history_events() -> list[Event]:
    admin, line, sm, rcv = Device("admin"), Device("line"), Device("sm"), Device("rcv")
    add = {"loop_id": "loop-1", "number": 1, "code": card_code(1)}
    return [
        admin.emit(CARD_ADDED, add, T0, entity_id="a"),
        admin.emit(CARD_ADDED, {**add, "number": 2, "code": card_code(2), "status": "EMPTY"}, T0, entity_id="b"),
        line.emit(CARD_EMPTIED, {"station_id": "line-1"}, T0 + 10 * MIN, entity_id="a"),
        line.emit(CARD_EMPTIED, {"station_id": "line-2"}, T0 + 11 * MIN, entity_id="a"),  # a repeat: not demand
        sm.emit(CARD_SHIPPED, {"station_id": "sm-1"}, T0 + 40 * MIN, entity_id="a"),
        rcv.emit(CARD_FILLED, {"station_id": "rcv-1"}, T0 + 70 * MIN, entity_id="a"),
        rcv.emit(CARD_FILLED, {"station_id": "rcv-1"}, T0 + 30 * MIN, entity_id="b"),
        line.emit(CARD_EMPTIED, {"station_id": "line-1"}, T0 + 100 * MIN, entity_id="a"),
        sm.emit(CARD_SHIPPED, {"station_id": "sm-1"}, T0 + 120 * MIN, entity_id="a"),
        line.emit(CARD_EMPTIED, {"station_id": "line-1"}, T0 + 130 * MIN, entity_id="a"),  # fill missed
        rcv.emit(CARD_FILLED, {"station_id": "rcv-1"}, T0 + 190 * MIN, entity_id="a"),
    ]


def test_card_history_reads_cycles_and_demand_from_events_in_any_order() -> None:
    events = _history_events()
    history = card_history(events)
    assert history.cycles == (
        Cycle("b", T0, T0 + 30 * MIN), Cycle("a", T0 + 10 * MIN, T0 + 70 * MIN),
        Cycle("a", T0 + 130 * MIN, T0 + 190 * MIN),
    )
    assert history.signals == (("a", T0 + 10 * MIN), ("a", T0 + 100 * MIN), ("a", T0 + 130 * MIN))
    shuffled = events + events[:4]
    random.Random(7).shuffle(shuffled)
    assert card_history(shuffled) == history
    assert consumption(history, 25) == [(T0 + 10 * MIN, 25.0), (T0 + 100 * MIN, 25.0), (T0 + 130 * MIN, 25.0)]
    lead = lead_time_stats((c.emptied_ms, c.filled_ms) for c in history.cycles)
    assert (lead.count, lead.mean_minutes) == (3, 50.0)


def test_size_loop_prefers_measured_lead_time() -> None:
    loop = make_loop(qty_per_card=25, lead_time_minutes=240, safety_factor=0.2)
    demand = DemandStats(total=400.0, hours=8.0, mean_per_hour=50.0, stdev_per_hour=5.0, buckets=8)
    planned = size_loop(loop, demand)
    assert (planned.cards, planned.lead_time_hours, planned.lead_time_measured) == (10, 4.0, False)  # 50*4*1.2/25
    measured = size_loop(loop, demand, LeadTimeStats(4, 120.0, 10.0, 100.0, 140.0, 0))
    assert (measured.cards, measured.lead_time_hours, measured.lead_time_measured) == (5, 2.0, True)
    assert size_loop(loop, demand, LeadTimeStats(0, 0.0, 0.0, 0.0, 0.0, 2)).lead_time_measured is False
