"""Fold machinery: per-entity projectors, derived projectors over them, and re-folds for late events.

A `Projector` turns the events of one entity into that entity's state. The order of events inside an
entity is `Event.order_key` (hlc, device_id, device_seq), so every copy of the log that holds the same
set of events folds to the same state, whatever order the events arrived in and however often.
Several projectors may follow one event kind (each keeps its own state per entity).

Derived projections never see events; they follow entity states, so a derived row is a function of
the entity states alone, and those are a function of the set of events: arrival order cannot show.
* `Derived`: when an entity it follows changes, `keys` names the rows that change (from the entity's
  state before and after) and `compute` makes each again from the current entity states (the
  replenishment queue: one row per card, from the card and its loop).
* `Aggregate`: one row per group of member entities (a loop's cards, a line's cycles), made by
  `combine` from each member's contribution; the contributions are kept with the row, so a member's
  change updates its group without reading the other members, however many there are.

Each projector has a version; `Projectors.fingerprint` holds every name, version and input, so a
changed fold rebuilds what it made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from jitdesk.domain.events import Event

S = TypeVar("S")
R = TypeVar("R")
Key = tuple[int, str, int]


@dataclass(frozen=True)
class Projector(Generic[S]):
    """`apply(state, event)` returns the entity's next state; `state` is None before the first event."""

    name: str
    state_type: type[S]
    kinds: frozenset[str]
    apply: Callable[[S | None, Event], S]
    version: int = 1


class States(Protocol):
    """Read access to the current entity states, as a derived projector needs them."""

    def get(self, projector: str, entity_id: str) -> Any | None:
        """The state of one entity, or None when it has none."""

    def members(self, projector: str, field: str, value: Any) -> Sequence[tuple[str, Any]]:
        """(entity id, state) of every entity of `projector` whose `field` equals `value`."""


@dataclass(frozen=True)
class Derived(Generic[R]):
    """An aggregate kept from the states of the entity projectors it `follows`.

    `keys(projector, entity_id, before, after, states)`: the rows an entity's change touches (its old
    and new group, say); `compute(key, states)`: that row now, or None for no row.
    """

    name: str
    row_type: type[R]
    follows: frozenset[str]
    keys: Callable[[str, str, Any | None, Any | None, States], Iterable[str]]
    compute: Callable[[str, States], R | None]
    version: int = 1


@dataclass(frozen=True)
class Aggregate(Generic[R]):
    """Rows per group of the `source` projector's entities.

    `group(state)`: the row an entity counts in (None: none); `member(state)`: its contribution (plain
    JSON values); `combine(key, contributions, states)`: the row from its members' contributions.
    `refresh[projector](entity_id, before, after)`: groups to combine again when an entity of another
    projector changes (a loop's lead time for its stats). A group with no members has no row.
    """

    name: str
    row_type: type[R]
    source: str
    group: Callable[[Any], str | None]
    member: Callable[[Any], Any]
    combine: Callable[[str, Mapping[str, Any], States], R]
    refresh: Mapping[str, Callable[[str, Any | None, Any | None], Iterable[str]]] = field(default_factory=dict)
    version: int = 1

    @property
    def follows(self) -> frozenset[str]:
        return frozenset({self.source, *self.refresh})


AnyDerived = Derived[Any] | Aggregate[Any]


def fold(projector: Projector[S], events: Iterable[Event], state: S | None = None) -> S | None:
    """Fold events (any order, duplicates allowed) onto `state`."""
    seen: set[str] = set()
    for event in sorted(events, key=_key):
        if event.event_id in seen:
            continue
        seen.add(event.event_id)
        state = projector.apply(state, event)
    return state


def _key(event: Event) -> Key:
    return event.order_key


def needs_refold(head: Key | None, event: Event) -> bool:
    """True when `event` sorts before the last event already folded into the entity."""
    return head is not None and event.order_key < head


def fold_one(projector: Projector[S], current: tuple[S, Key] | None, event: Event,
             history: Callable[[], Iterable[Event]]) -> tuple[S, Key]:
    """The entity's (state, head key) after `event` arrives: applied on top when it is the newest,
    else the entity is folded again from `history()` (its whole log, `event` included)."""
    if current is not None and needs_refold(current[1], event):
        events = list(history())
        state = fold(projector, events)
        assert state is not None  # history holds at least `event`
        return state, max(e.order_key for e in events)
    return projector.apply(None if current is None else current[0], event), event.order_key


D = TypeVar("D", Derived[Any], Aggregate[Any])


class Projectors:
    """Every projector: which follow each event kind, and which derived ones follow each projector."""

    def __init__(self) -> None:
        self._all: dict[str, Projector[Any]] = {}
        self._derived: dict[str, AnyDerived] = {}
        self._by_kind: dict[str, tuple[Projector[Any], ...]] = {}
        self._by_source: dict[str, tuple[AnyDerived, ...]] = {}

    def add(self, projector: Projector[S]) -> Projector[S]:
        """Register (or replace, by name) an entity projector."""
        if projector.name in self._derived:
            raise ValueError(f"projection name {projector.name} is taken by a derived projector")
        self._all[projector.name] = projector
        self._index()
        return projector

    def add_derived(self, derived: D) -> D:
        if derived.name in self._all:
            raise ValueError(f"projection name {derived.name} is taken by an entity projector")
        unknown = derived.follows - set(self._all)
        if unknown:
            raise ValueError(f"{derived.name} follows unknown projectors: {', '.join(sorted(unknown))}")
        self._derived[derived.name] = derived
        self._index()
        return derived

    def remove(self, name: str) -> None:
        self._all.pop(name, None)
        self._derived.pop(name, None)
        self._index()

    def _index(self) -> None:
        by_kind: dict[str, list[Projector[Any]]] = {}
        for projector in self._all.values():
            for kind in projector.kinds:
                by_kind.setdefault(kind, []).append(projector)
        self._by_kind = {k: tuple(v) for k, v in by_kind.items()}
        self._by_source = {name: tuple(d for d in self._derived.values() if name in d.follows) for name in self._all}

    def for_kind(self, kind: str) -> tuple[Projector[Any], ...]:
        return self._by_kind.get(kind, ())

    def derived_of(self, projector: str) -> tuple[AnyDerived, ...]:
        return self._by_source.get(projector, ())

    def get(self, name: str) -> Projector[Any]:
        return self._all[name]

    def all(self) -> list[Projector[Any]]:
        return list(self._all.values())

    def derived(self) -> list[AnyDerived]:
        return list(self._derived.values())

    def fingerprint(self) -> dict[str, list[Any]]:
        """What the projections were folded with: per name, [version, sorted inputs]; derived names
        start with '+' and list the projectors they follow."""
        out: dict[str, list[Any]] = {p.name: [p.version, sorted(p.kinds)] for p in self._all.values()}
        out.update({f"+{d.name}": [d.version, sorted(d.follows)] for d in self._derived.values()})
        return dict(sorted(out.items()))


PROJECTORS = Projectors()
