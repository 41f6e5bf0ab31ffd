"""Kanban board risk: which loops need someone now, and the material handler's queue.

Only cards in use count (held and retired cards are out of circulation: a held FULL bin is not stock
the line can use). Thresholds are parameters so a plant can tune them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum

from jitdesk.domain.kanban.card import Card
from jitdesk.domain.kanban.loop import Loop
from jitdesk.domain.kanban.status import Admin, Supply
from jitdesk.domain.messages import Message, define, message

HOUR_MS = 3_600_000

# Risk reasons: `loop` is the loop's code, counts are cards, `*_ms` are durations in milliseconds.
NOT_IN_USE = define("loop.not_in_use", "loop")
NO_CARDS = define("loop.no_cards", "loop")
STOCKOUT = define("loop.stockout", "loop")
LATE = define("loop.late", "count", "late_by_ms")
TOO_MANY_EMPTY = define("loop.too_many_empty", "not_full", "in_use")
STALE = define("loop.stale", "count", "stale_after_ms")
ANOMALIES = define("loop.anomalies", "count")


class RiskLevel(IntEnum):
    OK = 0
    WATCH = 1  # stale cards or anomalies: look when there is time
    AT_RISK = 2  # late cards or too many empty ones
    STOCKOUT = 3  # no FULL card left at the line


@dataclass(frozen=True)
class RiskThresholds:
    max_not_full_fraction: float = 0.5  # more cards than this share in replenishment is too many
    stale_after_ms: int = 7 * 24 * HOUR_MS  # a card that has not moved for this long is stale


@dataclass(frozen=True)
class LateCard:
    card_id: str
    code: str
    number: int
    emptied_ms: int
    due_ms: int
    late_by_ms: int


@dataclass(frozen=True)
class LoopRisk:
    level: RiskLevel
    reasons: tuple[Message, ...]  # most serious first
    cards_in_use: int
    full: int
    not_full: int
    held: int
    late: tuple[LateCard, ...]  # most late first
    stale: tuple[str, ...]  # card ids
    anomalous: tuple[str, ...]  # card ids with anomaly notes
    too_many_empty: bool
    stockout: bool


@dataclass(frozen=True)
class QueueItem:
    card: Card
    loop: Loop
    due_ms: int
    late: bool


def due_ms(card: Card, loop: Loop) -> int | None:
    """When a card in replenishment is due back FULL: emptied + the loop's lead time (None when FULL)."""
    if card.supply is Supply.FULL or card.emptied_ms is None:
        return None
    return card.emptied_ms + loop.lead_time_ms


def is_late(card: Card, loop: Loop, now_ms: int) -> bool:
    due = due_ms(card, loop)
    return card.in_use and due is not None and now_ms > due


def assess_loop(
    loop: Loop, cards: Iterable[Card], now_ms: int, thresholds: RiskThresholds | None = None,
) -> LoopRisk:
    """Risk of one loop from its cards (the caller passes the cards of this loop)."""
    limits = thresholds or RiskThresholds()
    all_cards = list(cards)
    in_use = [c for c in all_cards if c.in_use]
    held = sum(1 for c in all_cards if c.admin is Admin.ON_HOLD)
    full = [c for c in in_use if c.supply is Supply.FULL]
    not_full = len(in_use) - len(full)
    late = []
    for card in in_use:
        due = due_ms(card, loop)
        if due is not None and now_ms > due:
            emptied = due - loop.lead_time_ms
            late.append(LateCard(card.card_id, card.code, card.number, emptied, due, now_ms - due))
    late.sort(key=lambda c: (-c.late_by_ms, c.code))
    stale = tuple(sorted(c.card_id for c in in_use if now_ms - c.status_since_ms > limits.stale_after_ms))
    anomalous = tuple(sorted(c.card_id for c in all_cards if c.anomaly_count))
    stockout = loop.active and not full
    too_many = loop.active and bool(in_use) and not_full > limits.max_not_full_fraction * len(in_use)

    reasons: list[Message] = []
    if not loop.active:
        reasons.append(message(NOT_IN_USE, loop=loop.code))
    elif not in_use:
        reasons.append(message(NO_CARDS, loop=loop.code))
    elif stockout:
        reasons.append(message(STOCKOUT, loop=loop.code))
    if loop.active and late:
        reasons.append(message(LATE, count=len(late), late_by_ms=late[0].late_by_ms))
    if too_many:
        reasons.append(message(TOO_MANY_EMPTY, not_full=not_full, in_use=len(in_use)))
    if loop.active and stale:
        reasons.append(message(STALE, count=len(stale), stale_after_ms=limits.stale_after_ms))
    if anomalous:
        reasons.append(message(ANOMALIES, count=len(anomalous)))

    if not loop.active:
        level = RiskLevel.OK
    elif stockout:
        level = RiskLevel.STOCKOUT
    elif late or too_many:
        level = RiskLevel.AT_RISK
    elif stale or anomalous:
        level = RiskLevel.WATCH
    else:
        level = RiskLevel.OK
    return LoopRisk(level, tuple(reasons), len(in_use), len(full), not_full, held,
                    tuple(late) if loop.active else (), stale if loop.active else (), anomalous,
                    too_many, stockout)


def replenishment_queue(cards: Iterable[Card], loops: Mapping[str, Loop], now_ms: int) -> list[QueueItem]:
    """Cards in use waiting for replenishment, for the material handler: late ones first, then by due
    time (the oldest signal first), then by code. Cards of unknown or inactive loops are left out."""
    items = []
    for card in cards:
        loop = loops.get(card.loop_id)
        if loop is None or not loop.active or not card.in_use:
            continue
        due = due_ms(card, loop)
        if due is not None:
            items.append(QueueItem(card, loop, due, now_ms > due))
    items.sort(key=lambda i: (not i.late, i.due_ms, i.card.code))
    return items
