"""Rebuild every projection from the event log (after a restore, a fold change, or to check one)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from orjson import loads
from sqlalchemy.orm import Session

import jitdesk.domain.catalog  # noqa: F401  (registers every event kind and projector)
from jitdesk.domain.events import REGISTRY, Event
from jitdesk.domain.fold import PROJECTORS, fold
from jitdesk.storage import eventlog, identity, projections
from jitdesk.storage.database import Database

_BATCH = 5_000
_SQL = (
    "SELECT event_id, plant_id, device_id, device_seq, hlc, wall_time, kind, entity_id, actor, payload,"
    " schema_version, server_seq, received_at FROM events"
)


FOLDED_KINDS = "folded_kinds"  # local setting: the kinds this database's projections were folded with


@dataclass(frozen=True)
class RebuildReport:
    events: int
    entities: int
    refolded: int = 0  # entities that met a late event and were folded again from their own events


def rebuild_all(db: Database) -> RebuildReport:
    """Empty every projection table and fold the whole log again, in one transaction.

    The log is streamed in storage order (a sequential scan, far cheaper than walking the entity
    index) and each event is folded onto its entity's state at once: events mostly arrive in their
    entity's fold order. An entity meeting an event that sorts before one already folded is set
    aside and re-folded from its own events, in order, at the end.
    """
    gc_was_on = gc.isenabled()
    gc.disable()  # a million short-lived tuples would trigger many full collections for nothing
    try:
        return _rebuild(db)
    finally:
        if gc_was_on:
            gc.enable()


def _rebuild(db: Database) -> RebuildReport:
    with db.writing() as session:
        for projector in PROJECTORS.all():
            projections.clear(session, projector)
        owners = {kind: p for p in PROJECTORS.all() for kind in p.kinds}
        newest = {kind: REGISTRY.get(kind).version for kind in owners}
        folds: dict[str, list[Any]] = {}  # entity -> [state, order key of its last event, projector]
        late: set[str] = set()
        events = 0
        cursor = projections.raw(session).execute(_SQL)
        while chunk := cursor.fetchmany(20_000):
            for r in chunk:
                owner = owners.get(r[6])
                if owner is None:
                    continue
                events += 1
                entity_id = r[7]
                key = (r[4], r[2], r[3])
                entry = folds.get(entity_id)
                if entry is None:
                    entry = folds[entity_id] = [None, key, owner]
                elif entity_id in late:
                    continue
                elif key < entry[1]:
                    late.add(entity_id)
                    continue
                event = Event(r[0], r[1], r[2], r[3], r[4], r[5], r[6], entity_id, r[8], loads(r[9]), r[10], r[11],
                              r[12])
                if r[10] != newest[r[6]]:
                    event = REGISTRY.upcast(event)
                entry[0] = owner.apply(entry[0], event)
                entry[1] = key
        for entity_id, history in _histories(session, sorted(late)):
            entry = folds[entity_id]
            entry[0] = fold(entry[2], [REGISTRY.upcast(e) for e in history if e.kind in entry[2].kinds])
            entry[1] = max(e.order_key for e in history)
        pending: dict[str, list[dict[str, Any]]] = {p.name: [] for p in PROJECTORS.all()}
        for entity_id, (state, key, owner) in folds.items():
            row = projections.state_to_row(state)
            row.update(id=entity_id, fold_hlc=key[0], fold_device=key[1], fold_seq=key[2])
            rows = pending[owner.name]
            rows.append(row)
            if len(rows) >= _BATCH:
                projections.save_many(session, owner, rows)
                rows.clear()
        for projector in PROJECTORS.all():
            projections.save_many(session, projector, pending[projector.name])
    return RebuildReport(events, len(folds), len(late))


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


def refold_if_kinds_changed(db: Database) -> RebuildReport | None:
    """Fold events that arrived (by sync) before this version of jitdesk knew their kind.

    The log keeps events of kinds it cannot fold yet; after an upgrade that brings their
    projector, the projections are rebuilt once. Returns the report, or None when nothing was due.
    """
    known = sorted({kind for p in PROJECTORS.all() for kind in p.kinds})
    fingerprint = ",".join(known)
    with db.reading() as session:
        stored = identity.get_setting(session, FOLDED_KINDS)
        if stored == fingerprint:
            return None
        before = set(stored.split(",")) if stored else set()
        new_kinds = [k for k in known if k not in before]
        waiting = stored is not None and bool(new_kinds) and eventlog.has_kinds(session, new_kinds)
    report = rebuild_all(db) if waiting else None
    with db.writing() as session:
        identity.set_setting(session, FOLDED_KINDS, fingerprint)
    return report
