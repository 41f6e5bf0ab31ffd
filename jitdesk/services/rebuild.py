"""Rebuild every projection from the event log (after a restore, a fold change, or to check one)."""

from __future__ import annotations

import gc
from collections import defaultdict
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from orjson import loads

import jitdesk.domain.catalog  # noqa: F401  (registers every event kind and projector)
from jitdesk.domain.events import REGISTRY, Event
from jitdesk.domain.fold import PROJECTORS
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


def rebuild_all(db: Database) -> RebuildReport:
    """Empty every projection table and fold the whole log again, in one transaction.

    The log is read in storage order (a sequential scan, far cheaper than walking the entity
    index) and grouped by entity in memory; each entity's events are then sorted into fold order.
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
        by_entity: defaultdict[str, list[tuple[Any, ...]]] = defaultdict(list)
        folded = {kind for p in PROJECTORS.all() for kind in p.kinds}
        newest = {kind: REGISTRY.get(kind).version for kind in folded}
        cursor = projections.raw(session).execute(_SQL)
        while chunk := cursor.fetchmany(20_000):
            for raw in chunk:
                if raw[6] in folded:
                    by_entity[raw[7]].append(raw)
        events = 0
        pending: dict[str, list[dict[str, Any]]] = {p.name: [] for p in PROJECTORS.all()}
        for entity_id, raws in by_entity.items():
            raws.sort(key=_order)
            owner = PROJECTORS.for_kind(raws[0][6])
            assert owner is not None
            state: Any = None
            apply = owner.apply
            for r in raws:
                event = Event(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], loads(r[9]), r[10], r[11],
                              r[12])
                if r[10] != newest[r[6]]:
                    event = REGISTRY.upcast(event)
                state = apply(state, event)
            events += len(raws)
            last = raws[-1]
            row = projections.state_to_row(state)
            row.update(id=entity_id, fold_hlc=last[4], fold_device=last[2], fold_seq=last[3])
            rows = pending[owner.name]
            rows.append(row)
            if len(rows) >= _BATCH:
                projections.save_many(session, owner, rows)
                rows.clear()
        for projector in PROJECTORS.all():
            projections.save_many(session, projector, pending[projector.name])
    return RebuildReport(events, len(by_entity))


_order = itemgetter(4, 2, 3)  # (hlc, device_id, device_seq): the fold order


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
