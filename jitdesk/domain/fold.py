"""Fold machinery: per-entity apply functions, a deterministic order, and re-folds for late events.

A projector turns the events of one entity into that entity's state. The order of events inside an
entity is `Event.order_key` (hlc, device_id, device_seq), so every copy of the log that holds the same
set of events folds to the same state, whatever order the events arrived in and however often.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from jitdesk.domain.events import Event

S = TypeVar("S")


@dataclass(frozen=True)
class Projector(Generic[S]):
    """`apply(state, event)` returns the entity's next state; `state` is None before the first event."""

    name: str
    state_type: type[S]
    kinds: frozenset[str]
    apply: Callable[[S | None, Event], S]


def fold(projector: Projector[S], events: Iterable[Event], state: S | None = None) -> S | None:
    """Fold events (any order, duplicates allowed) onto `state`."""
    seen: set[str] = set()
    for event in sorted(events, key=_key):
        if event.event_id in seen:
            continue
        seen.add(event.event_id)
        state = projector.apply(state, event)
    return state


def _key(event: Event) -> tuple[int, str, int]:
    return event.order_key


def needs_refold(head: tuple[int, str, int] | None, event: Event) -> bool:
    """True when `event` sorts before the last event already folded into the entity."""
    return head is not None and event.order_key < head


class Projectors:
    """Which projector owns each event kind (one per kind)."""

    def __init__(self) -> None:
        self._by_kind: dict[str, Projector[Any]] = {}
        self._all: dict[str, Projector[Any]] = {}

    def add(self, projector: Projector[S]) -> Projector[S]:
        for kind in projector.kinds:
            owner = self._by_kind.get(kind)
            if owner is not None and owner.name != projector.name:
                raise ValueError(f"event kind {kind} already folded by {owner.name}")
            self._by_kind[kind] = projector
        self._all[projector.name] = projector
        return projector

    def for_kind(self, kind: str) -> Projector[Any] | None:
        return self._by_kind.get(kind)

    def get(self, name: str) -> Projector[Any]:
        return self._all[name]

    def all(self) -> list[Projector[Any]]:
        return list(self._all.values())


PROJECTORS = Projectors()
