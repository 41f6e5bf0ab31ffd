"""Kanban board risk: which loops need someone now, and the material handler's queue.

Only cards in use count (held and retired cards are out of circulation: a held FULL bin is not stock
the line can use). Thresholds are parameters so a plant can tune them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import NamedTuple

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

    level = level_at(loop_stats(loop, map(card_facts, all_cards), limits), now_ms)
    return LoopRisk(level, tuple(reasons), len(in_use), len(full), not_full, held,
                    tuple(late) if loop.active else (), stale if loop.active else (), anomalous,
                    too_many, stockout)


def replenishment_queue(cards: Iterable[Card], loops: Mapping[str, Loop], now_ms: int) -> list[QueueItem]:
    """Cards in use waiting for replenishment, for the material handler: late ones first, then by due
    time (the oldest signal first), then by code. Cards of unknown or inactive loops are left out."""
    items = []
    for card in cards:
        loop = loops.get(card.loop_id)
        entry = None if loop is None else queue_entry(card, loop)
        if loop is not None and entry is not None:
            items.append(QueueItem(card, loop, entry.due_ms, now_ms > entry.due_ms))
    items.sort(key=lambda i: (not i.late, i.due_ms, i.card.code))
    return items


@dataclass(frozen=True)
class LoopStats:
    """A loop's risk apart from the clock: the level its card counts give, and the instants after
    which time alone raises it (a card falls due: AT_RISK; a card has stood still too long: WATCH).
    Kept per loop as a derived projection, so the board sorts every loop by risk without its cards."""

    cards: int  # counted (not retired): in use or held
    cards_in_use: int
    full: int
    level: int  # a RiskLevel
    late_from_ms: int | None  # the earliest due time of a card in replenishment
    stale_from_ms: int | None  # when the card that has stood still longest becomes stale


class CardFacts(NamedTuple):
    """What one card adds to its loop's stats (plain values, so the stats can keep them per card)."""

    in_use: bool
    full: bool
    emptied_ms: int | None
    status_since_ms: int
    anomalous: bool


def card_facts(card: Card) -> CardFacts:
    return CardFacts(card.in_use, card.supply is Supply.FULL, card.emptied_ms, card.status_since_ms,
                     card.anomaly_count > 0)


def loop_stats(loop: Loop | None, cards: Iterable[CardFacts], thresholds: RiskThresholds | None = None
               ) -> LoopStats:
    """The loop's stats from the facts of the cards it counts (not retired); an unknown loop (its
    record has not arrived yet) counts its cards and has no risk until it is known."""
    limits = thresholds or RiskThresholds()
    counted = in_use = full = 0
    anomalous = False
    due: int | None = None
    still: int | None = None
    for card in cards:
        counted += 1
        anomalous = anomalous or card.anomalous
        if not card.in_use:
            continue
        in_use += 1
        if card.full:
            full += 1
        elif card.emptied_ms is not None and (due is None or card.emptied_ms < due):
            due = card.emptied_ms  # the oldest running cycle falls due first
        if still is None or card.status_since_ms < still:
            still = card.status_since_ms
    if loop is None or not loop.active:
        return LoopStats(counted, in_use, full, RiskLevel.OK, None, None)
    if not full:
        level = RiskLevel.STOCKOUT
    elif in_use - full > limits.max_not_full_fraction * in_use:
        level = RiskLevel.AT_RISK
    elif anomalous:
        level = RiskLevel.WATCH
    else:
        level = RiskLevel.OK
    return LoopStats(counted, in_use, full, level, None if due is None else due + loop.lead_time_ms,
                     None if still is None else still + limits.stale_after_ms)


def level_at(stats: LoopStats, now_ms: int) -> RiskLevel:
    """The loop's risk level at `now_ms`: the level of its counts, or what the clock has raised it to."""
    level = stats.level
    if stats.late_from_ms is not None and now_ms > stats.late_from_ms:
        level = max(level, RiskLevel.AT_RISK)
    if stats.stale_from_ms is not None and now_ms > stats.stale_from_ms:
        level = max(level, RiskLevel.WATCH)
    return RiskLevel(level)


@dataclass(frozen=True)
class QueueEntry:
    """A card in use awaiting replenishment, in the material handler's queue (a derived projection)."""

    loop_id: str
    due_ms: int
    supplier_location: str


def queue_entry(card: Card, loop: Loop) -> QueueEntry | None:
    """The card's place in the replenishment queue, or None when it has none (FULL, held, retired,
    or its loop is not in use)."""
    if not loop.active or not card.in_use:
        return None
    due = due_ms(card, loop)
    return None if due is None else QueueEntry(card.loop_id, due, loop.supplier_location)
