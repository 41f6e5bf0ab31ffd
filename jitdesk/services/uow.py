"""The unit of work: one transaction that appends events and folds them into the projections.

    with transaction(db) as tx:
        tx.append("master.part.upserted", part_id, payload, actor)
    tx.changes  # -> Changes, after commit

Local events get the next gapless device_seq and a hybrid-clock stamp; events from other devices
(`ingest`) are inserted idempotently and advance the clock past their stamp. An event that sorts
before what its entity has already folded makes that entity re-fold from the log. Derived
projections follow the entities the transaction changed: their rows are made again just before it
commits, once per row however many events touched it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

import jitdesk.domain.catalog  # noqa: F401  (registers every event kind and projector)
from jitdesk.domain.clock import Hlc, HybridClock
from jitdesk.domain.clock import bound as clock_bound
from jitdesk.domain.errors import PayloadError
from jitdesk.domain.events import REGISTRY, Event
from jitdesk.domain.fold import PROJECTORS, Aggregate, Derived, Key, Projector, fold_one, needs_refold
from jitdesk.domain.ids import uuid7
from jitdesk.domain.payload_rules import payload_problem
from jitdesk.services import snapshot_base
from jitdesk.services.changes import Changes
from jitdesk.storage import eventlog, eventlog_bulk, identity, projections
from jitdesk.storage.database import PLANT_ID, UNASSIGNED_PLANT, Database
from jitdesk.storage.schema import PENDING, SYNCED

_LEFT = object()  # an entity left an aggregate's group
_REFOLD_CHUNK = 2_000  # entities whose histories `Tx.refold` reads at once


def _order(event: Event) -> Key:
    return event.order_key


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


def iso_utc(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class Tx:
    def __init__(self, db: Database, session: Session, now_ms: Callable[[], int]) -> None:
        self.db = db
        self.session = session
        self._now_ms = now_ms
        self._clock: HybridClock | None = None
        self._seq = 0
        self._entities: set[tuple[str, str]] = set()
        self._events: list[Event] = []
        self._plant_id: str | None = None
        self._dirty: dict[str, tuple[Derived[Any], set[str]]] = {}
        # aggregate -> group -> {entity id: its new contribution, or _LEFT}
        self._groups: dict[str, tuple[Aggregate[Any], dict[str, dict[str, Any]]]] = {}
        self._states: projections.SessionStates | None = None

    @property
    def plant_id(self) -> str:
        self._local_clock()
        return self._plant_id or UNASSIGNED_PLANT

    def adopt_plant(self, plant_id: str) -> None:
        """Make this database belong to `plant_id`; events appended from now on carry it."""
        self._local_clock()
        identity.set_setting(self.session, PLANT_ID, plant_id)
        self._plant_id = plant_id

    def now_ms(self) -> int:
        return self._now_ms()

    def _local_clock(self) -> HybridClock:
        if self._clock is None:
            plant, last_seq, last_hlc, top = identity.local_state(self.session, self.db.device_id)
            # Never stamp below anything already in the log (a restored or copied database), but
            # another device's clock running fast only pulls this one up to the bound.
            self._clock = HybridClock(max(last_hlc, min(top, clock_bound(self._now_ms()))))
            self._seq = last_seq
            self._plant_id = plant
        return self._clock

    def append(
        self, kind: str, entity_id: str, payload: Mapping[str, Any], actor: str | None = None,
        *, after_hlc: int = 0,
    ) -> Event:
        """Validate and append an event made here, then fold it. Bad payloads raise PayloadError.

        `after_hlc`: the stamp of the version this event replaces; the new stamp sorts after it even
        when that version came from a clock running ahead (the clock itself is not dragged along)."""
        spec = REGISTRY.get(kind)
        problem = payload_problem(dict(payload))
        if problem is not None:  # an event no server would store must never be made here
            raise PayloadError(kind, "payload", f"is refused: {problem}")
        REGISTRY.validate(kind, spec.version, payload)
        clock = self._local_clock()
        wall = self._now_ms()
        stamp = clock.now(wall)
        if stamp <= after_hlc:  # just above the replaced version; this device's clock stays where it is
            stamp = Hlc(after_hlc + 1)
        self._seq += 1
        event = Event(
            event_id=uuid7(wall), plant_id=self.plant_id, device_id=self.db.device_id,
            device_seq=self._seq, hlc=stamp, wall_time=iso_utc(wall), kind=kind,
            entity_id=entity_id, actor=actor, payload=dict(payload), schema_version=spec.version,
        )
        eventlog.append_local(self.session, event)
        identity.store_device_state(self.session, self.db.device_id, self._seq, clock.last)
        self._project(event)
        self._events.append(event)
        return event

    def ingest(self, event: Event, *, outbox: bool = False) -> bool:
        """Store and fold an already validated event from another device; False if it was a duplicate.

        `outbox`: this database is where the event enters the plant (an import, the demo's history),
        so it waits to go up to the server like the station's own events; otherwise it came from there.
        """
        if not eventlog.insert_foreign(self.session, event, PENDING if outbox else SYNCED):
            return False
        clock = self._local_clock()
        clock.observe(event.hlc, self._now_ms())
        identity.store_device_state(self.session, self.db.device_id, self._seq, clock.last)
        self._project(event)
        self._events.append(event)
        return True

    def ingest_many(self, events: Sequence[Event], fold: Sequence[bool] | None = None) -> list[bool]:
        """`ingest` for a whole pulled page (same outcome as ingesting the events one by one): one bulk
        insert, then each touched entity is loaded once, folded with its page events in fold order (or
        re-folded from its log when one sorts before its head) and saved once. `fold[i]` False keeps
        event i in the log unfolded (a kind this version does not know). Per event: True if stored now.
        """
        flags = eventlog_bulk.insert_foreign_many(self.session, events)
        stored = [e for e, new in zip(events, flags, strict=True) if new]
        if not stored:
            return flags
        clock = self._local_clock()
        clock.observe(max(e.hlc for e in stored), self._now_ms())
        identity.store_device_state(self.session, self.db.device_id, self._seq, clock.last)
        wanted = fold or [True] * len(events)
        self._project_many([e for e, new, f in zip(events, flags, wanted, strict=True) if new and f])
        self._events.extend(stored)
        return flags

    def store_many(self, events: Sequence[Event]) -> list[bool]:
        """`ingest_many` without the fold: the events are stored (and the clock advanced) only; the
        caller must make the projections follow later (`refold`, or a rebuild). For a long catch-up."""
        flags = eventlog_bulk.insert_foreign_many(self.session, events)
        stored = [e for e, new in zip(events, flags, strict=True) if new]
        if stored:
            clock = self._local_clock()
            clock.observe(max(e.hlc for e in stored), self._now_ms())
            identity.store_device_state(self.session, self.db.device_id, self._seq, clock.last)
        return flags

    def refold(self, entity_ids: Sequence[str]) -> None:
        """Fold these entities again from their whole history in the log, whatever their projections
        hold now (after `store_many`), and make the derived rows follow. A station started from a snapshot
        folds from the snapshot's state (`snapshot_base.refold`)."""
        changed: list[tuple[Projector[Any], str, Any, Any]] = []
        for start in range(0, len(entity_ids), _REFOLD_CHUNK):  # a few thousand histories in memory at once
            histories = eventlog_bulk.histories(self.session, entity_ids[start:start + _REFOLD_CHUNK])
            for projector in PROJECTORS.all():
                mine = {entity_id: [REGISTRY.upcast(e) for e in history if e.kind in projector.kinds]
                        for entity_id, history in histories.items()}
                mine = {entity_id: found for entity_id, found in mine.items() if found}
                if not mine:
                    continue
                current = projections.load_many(self.session, projector, list(mine))
                folded: list[tuple[str, Any, Key]] = []
                for entity_id, history in mine.items():
                    state, key = snapshot_base.refold(self.session, projector, entity_id, history)
                    folded.append((entity_id, state, key))
                    found = current.get(entity_id)
                    changed.append((projector, entity_id, None if found is None else found[0], state))
                projections.save_states(self.session, projector, folded)
        self._follow(changed)  # once every state is saved, as for a page

    def _project_many(self, events: Sequence[Event]) -> None:
        pages: dict[str, tuple[Projector[Any], dict[str, list[Event]]]] = {}
        for event in events:
            projectors = PROJECTORS.for_kind(event.kind)
            if not projectors:
                continue
            event = REGISTRY.upcast(event)
            for projector in projectors:
                pages.setdefault(projector.name, (projector, {}))[1].setdefault(event.entity_id, []).append(event)
        changed: list[tuple[Projector[Any], str, Any, Any]] = []
        for projector, entities in pages.values():
            current = projections.load_many(self.session, projector, list(entities))
            folded: list[tuple[str, Any, Key]] = []
            for entity_id, mine in entities.items():
                mine.sort(key=_order)
                found = current.get(entity_id)
                if found is not None and needs_refold(found[1], mine[0]):
                    state, key = self._refold(projector, entity_id)
                else:
                    state = None if found is None else found[0]
                    for event in mine:
                        state = projector.apply(state, event)
                    key = mine[-1].order_key
                folded.append((entity_id, state, key))
                changed.append((projector, entity_id, None if found is None else found[0], state))
            projections.save_states(self.session, projector, folded)
        self._follow(changed)

    def _follow(self, changed: Sequence[tuple[Projector[Any], str, Any, Any]]) -> None:
        """Note the changed entities (projector, id, state before, state after) and their derived rows."""
        # Derived rows follow each entity's state before and after the page; the new states are all
        # saved first, so a derived projector reading other entities sees the page's final states.
        for projector, entity_id, _before, state in changed:
            self._entities.add((projector.name, entity_id))
            if self._states is not None or PROJECTORS.derived_of(projector.name):
                self._entity_states().written[(projector.name, entity_id)] = state
        for projector, entity_id, before, state in changed:
            for derived in PROJECTORS.derived_of(projector.name):
                if isinstance(derived, Aggregate):
                    self._regroup(derived, projector.name, entity_id, before, state)
                else:
                    keys = self._dirty.setdefault(derived.name, (derived, set()))[1]
                    keys.update(derived.keys(projector.name, entity_id, before, state, self._entity_states()))

    def _project(self, event: Event) -> None:
        projectors = PROJECTORS.for_kind(event.kind)
        if not projectors:
            return
        event = REGISTRY.upcast(event)
        for projector in projectors:
            current = projections.load(self.session, projector, event.entity_id)
            if current is not None and needs_refold(current[1], event):
                state, key = self._refold(projector, event.entity_id)
            else:
                state, key = fold_one(projector, current, event, partial(self._history, event.entity_id,
                                                                          projector.kinds))
            projections.save(self.session, projector, event.entity_id, state, key)
            self._entities.add((projector.name, event.entity_id))
            if self._states is not None:  # keep its read cache true
                self._states.written[(projector.name, event.entity_id)] = state
            followers = PROJECTORS.derived_of(projector.name)
            if followers:
                before = None if current is None else current[0]
                states = self._entity_states()
                states.written[(projector.name, event.entity_id)] = state
                for derived in followers:
                    if isinstance(derived, Aggregate):
                        self._regroup(derived, projector.name, event.entity_id, before, state)
                    else:
                        keys = self._dirty.setdefault(derived.name, (derived, set()))[1]
                        keys.update(derived.keys(projector.name, event.entity_id, before, state, states))

    def _regroup(self, aggregate: Aggregate[Any], projector: str, entity_id: str, before: Any, after: Any) -> None:
        groups = self._groups.setdefault(aggregate.name, (aggregate, {}))[1]
        if projector == aggregate.source:
            old = None if before is None else aggregate.group(before)
            new = aggregate.group(after)
            if old is not None and old != new:
                groups.setdefault(old, {})[entity_id] = _LEFT
            if new is not None:
                groups.setdefault(new, {})[entity_id] = aggregate.member(after)
        refresh = aggregate.refresh.get(projector)
        if refresh is not None:
            for key in refresh(entity_id, before, after):
                groups.setdefault(key, {})

    def latest(self, entity_id: str, kind: str) -> Event | None:
        """The entity's newest event of `kind` here, in fold order (None if none)."""
        found = eventlog.entity_events(self.session, entity_id, [kind])
        return max(found, key=lambda e: (e.hlc, e.device_id, e.device_seq), default=None)

    def _refold(self, projector: Projector[Any], entity_id: str) -> tuple[Any, Key]:
        """The entity folded again from its log (from the snapshot's state if it started from one)."""
        return snapshot_base.refold(self.session, projector, entity_id, self._history(entity_id, projector.kinds))

    def _history(self, entity_id: str, kinds: frozenset[str]) -> list[Event]:
        return [REGISTRY.upcast(e) for e in eventlog.entity_events(self.session, entity_id, kinds)]

    def _entity_states(self) -> projections.SessionStates:
        if self._states is None:
            self._states = projections.SessionStates(self.session, {p.name: p for p in PROJECTORS.all()})
        return self._states

    def flush_derived(self) -> None:
        """Make the derived rows the changed entities touched (called before commit)."""
        states = self._entity_states()
        dirty, self._dirty = self._dirty, {}
        for derived, keys in dirty.values():
            ordered = sorted(keys)
            projections.save_derived_many(self.session, derived,
                                          [(key, derived.compute(key, states), None) for key in ordered])
            self._entities.update((derived.name, key) for key in ordered)
        regrouped, self._groups = self._groups, {}
        for aggregate, groups in regrouped.values():
            kept = projections.load_members_many(self.session, aggregate, list(groups))
            rows: list[tuple[str, Any, dict[str, Any]]] = []
            for key, moves in sorted(groups.items()):
                members = kept.get(key, {})
                for entity_id, contribution in moves.items():
                    if contribution is _LEFT:
                        members.pop(entity_id, None)
                    else:
                        members[entity_id] = contribution
                rows.append((key, aggregate.combine(key, members, states) if members else None, members))
                self._entities.add((aggregate.name, key))
            projections.save_derived_many(self.session, aggregate, rows)

    def touch(self, projection: str, entity_id: str) -> None:
        """Note a change that did not come from an event (local-only state such as sync status)."""
        self._entities.add((projection, entity_id))

    @property
    def changes(self) -> Changes:
        return Changes(frozenset(self._entities), tuple(self._events))


@contextmanager
def transaction(db: Database, now_ms: Callable[[], int] = wall_clock_ms) -> Iterator[Tx]:
    with db.writing() as session:
        tx = Tx(db, session, now_ms)
        yield tx
        tx.flush_derived()
