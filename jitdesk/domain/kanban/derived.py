"""Kanban's derived projections: per-loop risk stats and the replenishment queue.

Both follow the `card` and `loop` projectors and are made from their states by the rules in
`risk` (the same functions the board and the queue use when they read cards), so the rules live once.
A card belongs to a loop only once its `added` event is known: before that it is in no loop's stats.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jitdesk.domain.fold import PROJECTORS, Derived, States
from jitdesk.domain.kanban.card import CARD_PROJECTOR, Card
from jitdesk.domain.kanban.loop import LOOP_PROJECTOR
from jitdesk.domain.kanban.risk import LoopStats, QueueEntry, loop_stats, queue_entry
from jitdesk.domain.kanban.status import Admin

_CARD, _LOOP = CARD_PROJECTOR.name, LOOP_PROJECTOR.name
_SOURCES = frozenset({_CARD, _LOOP})


def _stats_keys(projector: str, entity_id: str, before: Any, after: Any, _states: States) -> Iterable[str]:
    if projector == _LOOP:
        return (entity_id,)
    return {card.loop_id for card in (before, after) if card is not None and card.added}


def _stats(loop_id: str, states: States) -> LoopStats | None:
    loop = states.get(_LOOP, loop_id)
    if loop is None:
        return None
    cards: list[Card] = [c for _, c in states.members(_CARD, "loop_id", loop_id)
                         if c.added and c.admin is not Admin.RETIRED]
    return loop_stats(loop, cards)


def _queue_keys(projector: str, entity_id: str, _before: Any, _after: Any, states: States) -> Iterable[str]:
    if projector == _LOOP:  # a loop edit (lead time, supplier, active) moves every card of it
        return [card_id for card_id, _ in states.members(_CARD, "loop_id", entity_id)]
    return (entity_id,)


def _queue(card_id: str, states: States) -> QueueEntry | None:
    card = states.get(_CARD, card_id)
    if card is None or not card.added:
        return None
    loop = states.get(_LOOP, card.loop_id)
    return None if loop is None else queue_entry(card, loop)


LOOP_STATS = PROJECTORS.add_derived(Derived("loop_stats", LoopStats, _SOURCES, _stats_keys, _stats))
CARD_QUEUE = PROJECTORS.add_derived(Derived("card_queue", QueueEntry, _SOURCES, _queue_keys, _queue))
