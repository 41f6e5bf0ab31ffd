"""Kanban board risk: late, too many empty, stockout, stale, and the replenishment queue order."""

from __future__ import annotations

from typing import Any

from jitdesk.domain.kanban.card import Card
from jitdesk.domain.kanban.risk import (
    HOUR_MS,
    RiskLevel,
    RiskThresholds,
    assess_loop,
    due_ms,
    is_late,
    replenishment_queue,
)
from jitdesk.domain.kanban.status import Admin, Supply
from jitdesk.domain.messages import Message
from jitdesk.services.words import Words
from tests.helpers.kanban_events import MIN, T0, make_loop

LOOP = make_loop(lead_time_minutes=120)  # two hours


def said(reasons: tuple[Message, ...]) -> list[str]:
    """The reasons in words, as the board shows them (UTC, strict under the test suite)."""
    return [Words().render(reason) for reason in reasons]


def card(n: int, supply: Supply = Supply.FULL, *, emptied: int | None = None, since: int = T0,
         loop_id: str = "loop-1", **changes: Any) -> Card:
    if supply is not Supply.FULL and emptied is None:
        emptied = since
    return Card(f"c{n}", loop_id, n, f"K{n:06d}", supply=supply, added=True, status_since_ms=since,
                emptied_ms=emptied, **changes)


def test_due_time_is_emptied_plus_lead_time() -> None:
    assert due_ms(card(1, Supply.EMPTY, emptied=T0), LOOP) == T0 + 120 * MIN
    picked = card(1, Supply.PICKING, emptied=T0, since=T0 + 30 * MIN)
    assert due_ms(picked, LOOP) == T0 + 120 * MIN  # the clock runs from the empty signal, not the last step
    assert due_ms(card(1), LOOP) is None
    assert not is_late(card(1, Supply.EMPTY), LOOP, T0 + 120 * MIN)  # due exactly now is not late yet
    assert is_late(card(1, Supply.EMPTY), LOOP, T0 + 120 * MIN + 1)
    assert not is_late(card(1, Supply.EMPTY, admin=Admin.ON_HOLD), LOOP, T0 + 10 * HOUR_MS)


def test_a_healthy_loop_is_ok() -> None:
    risk = assess_loop(LOOP, [card(1), card(2), card(3), card(4, Supply.EMPTY)], T0 + 30 * MIN)
    assert (risk.level, risk.reasons) == (RiskLevel.OK, ())
    assert (risk.cards_in_use, risk.full, risk.not_full, risk.held) == (4, 3, 1, 0)


def test_late_cards_most_late_first() -> None:
    cards = [card(1), card(2, Supply.EMPTY, emptied=T0), card(3, Supply.IN_TRANSIT, emptied=T0 - HOUR_MS),
             card(4), card(5)]
    risk = assess_loop(LOOP, cards, T0 + 3 * HOUR_MS)
    assert risk.level is RiskLevel.AT_RISK and not risk.too_many_empty
    assert [c.card_id for c in risk.late] == ["c3", "c2"]
    assert risk.late[0].late_by_ms == 2 * HOUR_MS and risk.late[0].due_ms == T0 + HOUR_MS
    assert risk.late[0].emptied_ms == T0 - HOUR_MS
    assert risk.reasons == (Message("loop.late", {"count": 2, "late_by_ms": 2 * HOUR_MS}),)
    assert said(risk.reasons) == ["2 card(s) late, the latest by 2 h 00 min"]


def test_too_many_empty_cards_at_once() -> None:
    cards = [card(1), card(2, Supply.EMPTY), card(3, Supply.WAIT), card(4, Supply.PICKING)]
    risk = assess_loop(LOOP, cards, T0 + MIN)
    assert risk.too_many_empty and risk.level is RiskLevel.AT_RISK
    assert Message("loop.too_many_empty", {"not_full": 3, "in_use": 4}) in risk.reasons
    assert "3 of 4 cards are in replenishment" in said(risk.reasons)
    half = assess_loop(LOOP, cards[:2], T0 + MIN)  # one of two (a two-bin loop) is normal
    assert not half.too_many_empty and half.level is RiskLevel.OK
    strict = assess_loop(LOOP, cards[:2], T0 + MIN, RiskThresholds(max_not_full_fraction=0.25))
    assert strict.too_many_empty


def test_stockout_when_no_full_card_is_left() -> None:
    risk = assess_loop(LOOP, [card(1, Supply.EMPTY), card(2, Supply.IN_TRANSIT),
                              card(3, admin=Admin.ON_HOLD)], T0 + MIN)
    assert risk.stockout and risk.level is RiskLevel.STOCKOUT and risk.held == 1
    assert risk.reasons[0] == Message("loop.stockout", {"loop": "L-BOLT"})
    assert said(risk.reasons)[0] == "stockout: no full card left in loop L-BOLT"
    empty_loop = assess_loop(LOOP, [card(1, admin=Admin.RETIRED)], T0)
    assert empty_loop.level is RiskLevel.STOCKOUT and empty_loop.reasons[0].code == "loop.no_cards"
    assert "has no cards in use" in said(empty_loop.reasons)[0]


def test_stale_and_anomalous_cards_are_worth_a_look() -> None:
    week = 7 * 24 * HOUR_MS
    cards = [card(1, since=T0), card(2, since=T0 + week), card(3, since=T0 + week, anomaly_count=1)]
    risk = assess_loop(LOOP, cards, T0 + week + MIN)
    assert risk.level is RiskLevel.WATCH
    assert risk.stale == ("c1",) and risk.anomalous == ("c3",)
    assert Message("loop.stale", {"count": 1, "stale_after_ms": week}) in risk.reasons
    assert Message("loop.anomalies", {"count": 1}) in risk.reasons
    assert any("have not moved for over 7 d 0 h" in r for r in said(risk.reasons))
    short = assess_loop(LOOP, cards[:2], T0 + 2 * HOUR_MS, RiskThresholds(stale_after_ms=HOUR_MS))
    assert short.stale == ("c1",)


def test_an_inactive_loop_is_not_a_risk() -> None:
    risk = assess_loop(make_loop(active=False), [card(1, Supply.EMPTY, emptied=T0 - 99 * HOUR_MS)], T0)
    assert risk.level is RiskLevel.OK and not risk.stockout and risk.late == ()
    assert risk.reasons == (Message("loop.not_in_use", {"loop": "L-BOLT"}),)
    assert said(risk.reasons) == ["loop L-BOLT is not in use"]


def test_replenishment_queue_late_first_then_oldest() -> None:
    fast = make_loop(code="FAST", lead_time_minutes=30)
    loops = {"loop-1": LOOP, "loop-2": fast, "loop-3": make_loop(active=False)}
    cards = [
        card(1, Supply.EMPTY, emptied=T0),  # due T0+2h, not late
        card(2, Supply.EMPTY, emptied=T0 + MIN, loop_id="loop-2"),  # due T0+31min: late at T0+1h
        card(3, Supply.PICKING, emptied=T0 - MIN),  # due T0+119min, not late
        card(4, Supply.EMPTY, emptied=T0 - 5 * MIN, loop_id="loop-2"),  # late by more
        card(5),  # full: not queued
        card(6, Supply.EMPTY, admin=Admin.ON_HOLD),  # held: not queued
        card(7, Supply.EMPTY, loop_id="loop-3"),  # inactive loop
        card(8, Supply.EMPTY, loop_id="nowhere"),  # unknown loop
    ]
    queue = replenishment_queue(cards, loops, T0 + HOUR_MS)
    assert [(i.card.card_id, i.late) for i in queue] == [("c4", True), ("c2", True), ("c3", False), ("c1", False)]
    assert queue[0].loop is fast and queue[0].due_ms == T0 + 25 * MIN
