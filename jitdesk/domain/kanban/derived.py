"""Kanban's derived projections: per-loop risk stats and the replenishment queue.

Both follow the `card` and `loop` projectors and are made from their states by the rules in
`risk` (the same functions the board and the queue use when they read cards), so the rules live once.
A card counts in its loop's stats once its `added` event is known and until it is retired. The stats
keep each card's facts, so a scan updates its loop's row without reading the loop's other cards.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from jitdesk.domain.fold import PROJECTORS, Aggregate, Derived, States
from jitdesk.domain.kanban.card import CARD_PROJECTOR, Card
from jitdesk.domain.kanban.loop import LOOP_PROJECTOR
from jitdesk.domain.kanban.risk import CardFacts, LoopStats, QueueEntry, card_facts, loop_stats, queue_entry
from jitdesk.domain.kanban.status import Admin

_CARD, _LOOP = CARD_PROJECTOR.name, LOOP_PROJECTOR.name
_SOURCES = frozenset({_CARD, _LOOP})


def _stats_group(card: Card) -> str | None:
    return card.loop_id if card.added and card.admin is not Admin.RETIRED else None


def _stats(loop_id: str, cards: Mapping[str, Any], states: States) -> LoopStats:
    return loop_stats(states.get(_LOOP, loop_id), (CardFacts(*facts) for facts in cards.values()))


def _loop_edited(loop_id: str, _before: Any, _after: Any) -> Iterable[str]:
    return (loop_id,)


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


LOOP_STATS = PROJECTORS.add_derived(Aggregate("loop_stats", LoopStats, _CARD, _stats_group, card_facts, _stats,
                                               {_LOOP: _loop_edited}))
CARD_QUEUE = PROJECTORS.add_derived(Derived("card_queue", QueueEntry, _SOURCES, _queue_keys, _queue))
