"""Rebuild every projection from the event log (after a restore, a fold change, or to check one)."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from orjson import loads
from sqlalchemy.orm import Session

import jitdesk.domain.catalog  # noqa: F401  (registers every event kind and projector)
from jitdesk.domain.events import REGISTRY, Event
from jitdesk.domain.fold import PROJECTORS, Aggregate, AnyDerived, fold
from jitdesk.services import catchup, snapshot_base
from jitdesk.storage import eventlog, identity, projections
from jitdesk.storage.database import Database

_BATCH = 5_000
_SQL = (
    "SELECT event_id, plant_id, device_id, device_seq, hlc, wall_time, kind, entity_id, actor, payload,"
    " schema_version, server_seq, received_at FROM events"
)


FOLDED_WITH = "folded_kinds"  # local setting: PROJECTORS.fingerprint() the projections were made with


@dataclass(frozen=True)
class RebuildReport:
    events: int
    entities: int
    refolded: int = 0  # entities that met a late event and were folded again from their own events
    derived: int = 0  # derived rows made


def rebuild_all(db: Database) -> RebuildReport:
    """Empty every projection table and fold the whole log again, in one transaction.

    The log is streamed in storage order (a sequential scan, far cheaper than walking the entity
    index) and each event is folded onto its entity's state at once: events mostly arrive in their
    entity's fold order. An entity meeting an event that sorts before one already folded is set
    aside and re-folded from its own events, in order, at the end. The derived projections are
    then made from the entity states in memory.
    """
    gc_was_on = gc.isenabled()
    gc.disable()  # a million short-lived tuples would trigger many full collections for nothing
    try:
        with db.writing() as session:
            return rebuild_in(session)
    finally:
        if gc_was_on:
            gc.enable()


def rebuild_in(session: Session) -> RebuildReport:
    """`rebuild_all` inside the caller's write transaction. A station that started from a snapshot
    starts from the snapshot's entity states and folds only the events the snapshot does not cover."""
    base = snapshot_base.load(session)
    for projector in PROJECTORS.all():
        projections.clear(session, projector)
    owners = {kind: PROJECTORS.for_kind(kind) for p in PROJECTORS.all() for kind in p.kinds}
    newest = {kind: REGISTRY.get(kind).version for kind in owners}
    # per projector: entity -> [state, order key of its last event]
    folds: dict[str, dict[str, list[Any]]] = {p.name: {} for p in PROJECTORS.all()}
    if base is not None:
        folds = {name: {eid: list(entry) for eid, entry in states.items()} for name, states in base.states.items()}
    holds = base.coverage.holds if base is not None else None
    late: dict[str, set[str]] = {p.name: set() for p in PROJECTORS.all()}
    events = 0
    cursor = projections.raw(session).execute(_SQL)
    while chunk := cursor.fetchmany(20_000):
        for r in chunk:
            followers = owners.get(r[6])
            if followers is None or (holds is not None and holds(r[2], r[3])):
                continue
            events += 1
            entity_id = r[7]
            key = (r[4], r[2], r[3])
            event = None
            for owner in followers:
                states = folds[owner.name]
                entry = states.get(entity_id)
                if entry is None:
                    entry = states[entity_id] = [None, key]
                elif entity_id in late[owner.name]:
                    continue
                elif key < entry[1]:
                    late[owner.name].add(entity_id)
                    continue
                if event is None:
                    event = Event(r[0], r[1], r[2], r[3], r[4], r[5], r[6], entity_id, r[8], loads(r[9]), r[10],
                                  r[11], r[12])
                    if r[10] != newest[r[6]]:
                        event = REGISTRY.upcast(event)
                entry[0] = owner.apply(entry[0], event)
                entry[1] = key
    refolded = 0
    for name, entity_ids in late.items():
        owner = PROJECTORS.get(name)
        refolded += len(entity_ids)
        for entity_id, history in _histories(session, sorted(entity_ids)):
            mine = [REGISTRY.upcast(e) for e in history if e.kind in owner.kinds
                    and (holds is None or not holds(e.device_id, e.device_seq))]
            start = base.states[name].get(entity_id) if base is not None else None
            entry = folds[name][entity_id]
            # An entity the snapshot holds re-folds its uncovered events onto the snapshot's state.
            entry[0] = fold(owner, mine, None if start is None else start[0])
            entry[1] = max([e.order_key for e in mine] + ([start[1]] if start is not None else []))
    for name, states in folds.items():
        owner = PROJECTORS.get(name)
        rows: list[dict[str, Any]] = []
        for entity_id, (state, key) in states.items():
            row = projections.state_to_row(state)
            row.update(id=entity_id, fold_hlc=key[0], fold_device=key[1], fold_seq=key[2])
            rows.append(row)
            if len(rows) >= _BATCH:
                projections.save_many(session, owner, rows)
                rows.clear()
        projections.save_many(session, owner, rows)
    made = _derive(session, PROJECTORS.derived(),
                   {name: {eid: entry[0] for eid, entry in states.items()} for name, states in folds.items()})
    return RebuildReport(events, sum(len(s) for s in folds.values()), refolded, made)


def rebuild_derived(db: Database, derived: list[AnyDerived]) -> RebuildReport:
    """Make the given derived projections again from the entity states (no replay of the log)."""
    with db.writing() as session:
        sources = {name for d in derived for name in d.follows}
        states = {name: projections.all_states(session, PROJECTORS.get(name)) for name in sources}
        made = _derive(session, derived, states)
    return RebuildReport(0, 0, 0, made)


def _derive(session: Session, derived: list[AnyDerived], states: dict[str, dict[str, Any]]) -> int:
    memory = projections.MemoryStates(states)
    made = 0
    for d in derived:
        projections.clear(session, d)
        rows: list[dict[str, Any]] = []
        if isinstance(d, Aggregate):
            groups: dict[str, dict[str, Any]] = {}
            for entity_id, state in states.get(d.source, {}).items():
                key = d.group(state)
                if key is not None:
                    groups.setdefault(key, {})[entity_id] = d.member(state)
            for key in sorted(groups):
                rows.append(projections.row_values(key, d.combine(key, groups[key], memory), groups[key]))
        else:
            keys: set[str] = set()
            for source in d.follows:
                for entity_id, state in states.get(source, {}).items():
                    keys.update(d.keys(source, entity_id, None, state, memory))
            for key in sorted(keys):
                row = d.compute(key, memory)
                if row is not None:
                    rows.append(projections.row_values(key, row))
        for start in range(0, len(rows), _BATCH):
            projections.save_many(session, d, rows[start:start + _BATCH])
        made += len(rows)
    return made


def _histories(session: Session, entity_ids: list[str], chunk: int = 500) -> Iterator[tuple[str, list[Event]]]:
    """Each entity's whole history in fold order, a few hundred entities per query (entity index)."""
    for start in range(0, len(entity_ids), chunk):
        ids = entity_ids[start:start + chunk]
        sql = f"{_SQL} WHERE entity_id IN ({','.join('?' * len(ids))}) ORDER BY entity_id, hlc, device_id, device_seq"
        grouped: dict[str, list[Event]] = {}
        for r in projections.raw(session).execute(sql, ids):
            grouped.setdefault(r[7], []).append(
                Event(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], loads(r[9]), r[10], r[11], r[12]))
        yield from grouped.items()


def refold_if_changed(db: Database) -> RebuildReport | None:
    """Bring the projections in line with this version's folds, once, at start-up.

    The stored fingerprint says which projectors (names, versions, kinds) made the projections. A
    projector whose version changed, or that learnt kinds the log already holds events of (sent by a
    newer peer before this version knew them), rebuilds everything from the log; a changed derived
    projector only remakes its rows from the entity states. Returns the report, or None when nothing
    was due.
    """
    catchup.finish(db)  # a catch-up cut short (kill -9) left events stored unfolded: fold them now
    current = PROJECTORS.fingerprint()
    with db.reading() as session:
        stored = _parse(identity.get_setting(session, FOLDED_WITH))
        if stored == current:
            return None
        full = False
        derived: list[AnyDerived] = []
        if stored is None:  # a new database, or one folded before fingerprints held versions
            full = eventlog.count(session) > 0
        else:
            for name, (version, inputs) in current.items():
                before = stored.get(name)
                if name.startswith("+"):
                    if before != [version, inputs]:
                        derived.append(next(d for d in PROJECTORS.derived() if d.name == name[1:]))
                elif before is None or before[0] != version:
                    full = full or eventlog.has_kinds(session, inputs)
                else:
                    new_kinds = [k for k in inputs if k not in before[1]]
                    full = full or (bool(new_kinds) and eventlog.has_kinds(session, new_kinds))
    report = rebuild_all(db) if full else rebuild_derived(db, derived) if derived else None
    with db.writing() as session:
        identity.set_setting(session, FOLDED_WITH, json.dumps(current, separators=(",", ":")))
    return report


def _parse(text: str | None) -> dict[str, list[Any]] | None:
    try:
        found = json.loads(text) if text else None
    except ValueError:
        return None
    return found if isinstance(found, dict) else None
