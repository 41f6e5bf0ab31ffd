"""The append-only event log: insert (idempotent on event_id), read back by entity, outbox, after a cursor."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, cast

from sqlalchemy import CursorResult, Row, func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from jitdesk.domain.events import Event
from jitdesk.storage.projections import raw
from jitdesk.storage.schema import PENDING, SYNCED, DeviceState, EventRow, table

EVENTS = table(EventRow)
_DEVICES = table(DeviceState)
COLUMNS = (
    EVENTS.c.event_id, EVENTS.c.plant_id, EVENTS.c.device_id, EVENTS.c.device_seq, EVENTS.c.hlc,
    EVENTS.c.wall_time, EVENTS.c.kind, EVENTS.c.entity_id, EVENTS.c.actor, EVENTS.c.payload,
    EVENTS.c.schema_version, EVENTS.c.server_seq, EVENTS.c.received_at,
)


_INSERT_SQL = (
    "INSERT INTO events (event_id, plant_id, device_id, device_seq, hlc, wall_time, kind, entity_id, actor,"
    " payload, schema_version, server_seq, received_at, sync_state) VALUES (:event_id, :plant_id, :device_id,"
    " :device_seq, :hlc, :wall_time, :kind, :entity_id, :actor, :payload, :schema_version, :server_seq,"
    " :received_at, :sync_state)"
)


def dump_payload(payload: Any) -> str:
    return json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def to_row(event: Event, sync_state: int) -> dict[str, Any]:
    return {
        "event_id": event.event_id, "plant_id": event.plant_id, "device_id": event.device_id,
        "device_seq": event.device_seq, "hlc": event.hlc, "wall_time": event.wall_time, "kind": event.kind,
        "entity_id": event.entity_id, "actor": event.actor, "payload": dump_payload(event.payload),
        "schema_version": event.schema_version, "server_seq": event.server_seq,
        "received_at": event.received_at, "sync_state": sync_state,
    }


def from_row(row: Row[Any] | Sequence[Any]) -> Event:
    r: Sequence[Any] = row
    return Event(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], json.loads(r[9]), r[10], r[11], r[12])


def append_local(session: Session, event: Event) -> None:
    """Insert an event made on this device; a clash on event_id or device_seq is a bug and raises."""
    row = to_row(event, PENDING)
    raw(session).execute(_INSERT_SQL, row)


def insert_foreign(session: Session, event: Event, sync_state: int = SYNCED) -> bool:
    """Insert an event from elsewhere; False when it was already here (idempotent on event_id)."""
    stmt = sqlite_insert(EVENTS).values(to_row(event, sync_state)).on_conflict_do_nothing()
    inserted = cast(CursorResult[Any], session.execute(stmt)).rowcount == 1
    if not inserted and event.server_seq is not None:
        session.execute(
            update(EVENTS)
            .where(EVENTS.c.event_id == event.event_id, EVENTS.c.server_seq.is_(None))
            .values(server_seq=event.server_seq, received_at=event.received_at, sync_state=SYNCED)
        )
    if inserted:
        _note_seen_seq(session, event)
    return inserted


def _note_seen_seq(session: Session, event: Event) -> None:
    stmt = sqlite_insert(_DEVICES).values(device_id=event.device_id, last_seq=event.device_seq, hlc=event.hlc)
    stmt = stmt.on_conflict_do_update(
        index_elements=[_DEVICES.c.device_id],
        set_={
            "last_seq": func.max(_DEVICES.c.last_seq, stmt.excluded.last_seq),
            "hlc": func.max(_DEVICES.c.hlc, stmt.excluded.hlc),
        },
    )
    session.execute(stmt)


def entity_events(session: Session, entity_id: str, kinds: Iterable[str]) -> list[Event]:
    stmt = (
        select(*COLUMNS)
        .where(EVENTS.c.entity_id == entity_id, EVENTS.c.kind.in_(list(kinds)))
        .order_by(EVENTS.c.hlc, EVENTS.c.device_id, EVENTS.c.device_seq)
    )
    return [from_row(r) for r in session.execute(stmt)]


def has_kinds(session: Session, kinds: Iterable[str]) -> bool:
    """True when the log holds any event of these kinds."""
    stmt = select(EVENTS.c.id).where(EVENTS.c.kind.in_(list(kinds))).limit(1)
    return session.execute(stmt).first() is not None


def count(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(EVENTS)).scalar_one())


def iter_all(session: Session, batch: int = 20_000) -> Iterator[Event]:
    """Every event, grouped by entity in fold order (the index makes this a sorted scan)."""
    stmt = select(*COLUMNS).order_by(
        EVENTS.c.entity_id, EVENTS.c.hlc, EVENTS.c.device_id, EVENTS.c.device_seq
    )
    result = session.execute(stmt.execution_options(yield_per=batch))
    for row in result:
        yield from_row(row)


def recent(session: Session, limit: int = 100, kinds: Iterable[str] | None = None) -> list[Event]:
    stmt = select(*COLUMNS).order_by(EVENTS.c.id.desc()).limit(limit)
    if kinds is not None:
        stmt = stmt.where(EVENTS.c.kind.in_(list(kinds)))
    return [from_row(r) for r in session.execute(stmt)]
