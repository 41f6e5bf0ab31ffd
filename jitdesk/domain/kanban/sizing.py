"""Loop sizing: how many cards a loop needs, from demand and lead time, measured from the event log.

Classic formula: cards = ceil(demand_per_hour * lead_time_hours * (1 + safety_factor) / qty_per_card).
Inputs are read as the decimals people typed (0.1 is one tenth, not the float nearest to it), so a
result that is a whole number on paper is not pushed up by one by rounding noise.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from jitdesk.domain.clock import physical_ms
from jitdesk.domain.errors import BadInput
from jitdesk.domain.events import Event
from jitdesk.domain.kanban.card import CARD_ADDED, CARD_EMPTIED, CARD_KINDS, Card, apply
from jitdesk.domain.kanban.loop import Loop
from jitdesk.domain.kanban.status import Supply

HOUR_MS = 3_600_000
MINUTE_MS = 60_000


def _exact(value: float, name: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise BadInput(f"{name} must be a number")
    if value < 0:
        raise BadInput(f"{name} may not be negative")
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def card_count(
    demand_per_hour: float, lead_time_hours: float, safety_factor: float, qty_per_card: int,
    *, min_cards: int = 1,
) -> int:
    """Cards a loop needs: ceil(demand * lead time * (1 + safety) / qty per card), at least `min_cards`."""
    demand = _exact(demand_per_hour, "demand per hour")
    lead = _exact(lead_time_hours, "lead time")
    safety = _exact(safety_factor, "safety factor")
    if isinstance(qty_per_card, bool) or not isinstance(qty_per_card, int) or qty_per_card < 1:
        raise BadInput("quantity per card must be a whole number of at least 1")
    return max(min_cards, math.ceil(demand * lead * (1 + safety) / qty_per_card))


@dataclass(frozen=True)
class DemandStats:
    total: float
    hours: float
    mean_per_hour: float  # total / hours over the whole window
    stdev_per_hour: float  # sample standard deviation of the complete buckets' rates
    buckets: int  # complete buckets measured


def demand_stats(
    consumption: Iterable[tuple[int, float]], start_ms: int, end_ms: int, bucket_ms: int = HOUR_MS,
) -> DemandStats:
    """Demand over [start_ms, end_ms) from (time ms, quantity) consumption records.

    Give working time as the window (a shift, a week of shifts) or the mean is diluted by nights.
    """
    if end_ms <= start_ms or bucket_ms <= 0:
        raise BadInput("the demand window must end after it starts")
    n_buckets = (end_ms - start_ms) // bucket_ms
    per_bucket = [0.0] * n_buckets
    total = 0.0
    for ms, qty in consumption:
        if start_ms <= ms < end_ms:
            total += qty
            index = (ms - start_ms) // bucket_ms
            if index < n_buckets:
                per_bucket[index] += qty
    hours = (end_ms - start_ms) / HOUR_MS
    rates = [q * HOUR_MS / bucket_ms for q in per_bucket]
    stdev = statistics.stdev(rates) if len(rates) >= 2 else 0.0
    return DemandStats(total, hours, total / hours, stdev, n_buckets)


@dataclass(frozen=True)
class LeadTimeStats:
    count: int
    mean_minutes: float
    stdev_minutes: float  # sample standard deviation; 0 with fewer than two cycles
    min_minutes: float
    max_minutes: float
    discarded: int  # cycles that ended before they started (clock trouble), left out


def lead_time_stats(cycles: Iterable[tuple[int, int]]) -> LeadTimeStats:
    """Replenishment lead time from (emptied ms, filled ms) pairs."""
    minutes: list[float] = []
    discarded = 0
    for emptied, filled in cycles:
        if filled < emptied:
            discarded += 1
        else:
            minutes.append((filled - emptied) / MINUTE_MS)
    if not minutes:
        return LeadTimeStats(0, 0.0, 0.0, 0.0, 0.0, discarded)
    stdev = statistics.stdev(minutes) if len(minutes) >= 2 else 0.0
    mean = statistics.fmean(minutes)
    return LeadTimeStats(len(minutes), mean, stdev, min(minutes), max(minutes), discarded)


@dataclass(frozen=True)
class Cycle:
    card_id: str
    emptied_ms: int
    filled_ms: int


@dataclass(frozen=True)
class History:
    """What a loop's card events say about demand and lead time."""

    cycles: tuple[Cycle, ...]  # completed replenishment cycles, by fill time
    signals: tuple[tuple[str, int], ...]  # (card id, ms) each time a card left FULL (a bin used up)


def card_history(events: Iterable[Event]) -> History:
    """Replay card events (any order, duplicates allowed) through the card fold and note each cycle.

    A cycle starts when a card leaves FULL (not when it is added EMPTY: that is a new card, not demand,
    though its first fill still counts as a lead time) and ends when it is FULL again.
    """
    by_card: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        if event.kind in CARD_KINDS:
            by_card[event.entity_id].append(event)
    cycles: list[Cycle] = []
    signals: list[tuple[str, int]] = []
    for card_id in sorted(by_card):
        state: Card | None = None
        seen: set[str] = set()
        for event in sorted(by_card[card_id], key=lambda e: e.order_key):
            if event.event_id in seen:
                continue
            seen.add(event.event_id)
            before = state
            state = apply(state, event)
            ms = physical_ms(event.hlc)
            was = Supply.FULL if before is None else before.supply
            # the same rule as the fold's: a cycle starts leaving FULL, or emptied again mid-cycle
            started = was is Supply.FULL or (event.kind == CARD_EMPTIED and was is not Supply.EMPTY)
            if started and state.supply is not Supply.FULL and event.kind != CARD_ADDED:
                signals.append((card_id, ms))
            ended = was is not Supply.FULL and state.supply is Supply.FULL
            if ended and before is not None and before.emptied_ms is not None:
                cycles.append(Cycle(card_id, before.emptied_ms, ms))
    cycles.sort(key=lambda c: (c.filled_ms, c.card_id))
    signals.sort(key=lambda s: (s[1], s[0]))
    return History(tuple(cycles), tuple(signals))


def consumption(history: History, qty_per_card: int) -> list[tuple[int, float]]:
    """(time ms, quantity) records: one card's quantity each time a card left FULL."""
    return [(ms, float(qty_per_card)) for _card, ms in history.signals]


@dataclass(frozen=True)
class Sizing:
    cards: int
    demand_per_hour: float
    lead_time_hours: float
    lead_time_measured: bool  # False: the loop's planned lead time was used (no cycles measured)
    safety_factor: float
    qty_per_card: int


def size_loop(loop: Loop, demand: DemandStats, lead: LeadTimeStats | None = None) -> Sizing:
    """Suggested card count for a loop from measured demand and, when there is any, measured lead time."""
    measured = lead is not None and lead.count > 0
    lead_hours = lead.mean_minutes / 60 if lead is not None and measured else loop.lead_time_minutes / 60
    cards = card_count(demand.mean_per_hour, lead_hours, loop.safety_factor, loop.qty_per_card)
    return Sizing(cards, demand.mean_per_hour, lead_hours, measured, loop.safety_factor, loop.qty_per_card)
