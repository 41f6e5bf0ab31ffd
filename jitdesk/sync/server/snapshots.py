"""Snapshots on the server: the events a snapshot folds, and storing, finding and serving packed ones.

The folding itself is station code (`services.snapshot_pack`, run by `jitdesk server snapshot make`):
this server package never imports station code, so it only hands out the events and keeps the result.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, union_all

from jitdesk.sync.server.models import events, held_events
from jitdesk.sync.server.snapshot_models import archived_events, snapshots
from jitdesk.sync.server.store import ServerStore, now_iso

KEEP = 3  # snapshots kept per plant (the newest ones)


def _columns(table: Any) -> list[Any]:
    c = table.c
    return [c.event_id, c.plant_id, c.device_id, c.device_seq, c.hlc, c.wall_time, c.kind, c.entity_id, c.actor,
            c.payload, c.schema_version, c.server_seq, c.received_at]


def plant_head(store: ServerStore, plant_id: str) -> int:
    """The plant's newest server_seq, archived events included."""
    with store.reading() as conn:
        return max(int(conn.execute(select(func.coalesce(func.max(t.c.server_seq), 0))
                                    .where(t.c.plant_id == plant_id)).scalar_one()) for t in (events, archived_events))


def events_upto(store: ServerStore, plant_id: str, seq: int, chunk: int = 20_000) -> Iterator[list[tuple[Any, ...]]]:
    """Every event of the plant with server_seq <= `seq`, archived ones included and held ones left
    out (no pull serves them either), as chunks of rows (see snapshot_pack.EventRowTuple), in one read."""
    held = select(held_events.c.event_id)
    parts = [select(*_columns(t)).where(t.c.plant_id == plant_id, t.c.server_seq <= seq, t.c.event_id.not_in(held))
             for t in (archived_events, events)]
    stmt = union_all(*parts)
    with _one_read(store) as conn:
        result = conn.execution_options(yield_per=chunk).execute(stmt)
        for part in result.partitions(chunk):
            yield [tuple(r) for r in part]


@contextmanager
def _one_read(store: ServerStore) -> Iterator[Connection]:
    """A read transaction for a streamed result: the PostgreSQL read pool is autocommit, where a
    server-side cursor cannot live; one REPEATABLE READ transaction sees archive and events at once."""
    if store.is_sqlite:
        with store.reading() as conn:
            yield conn
        return
    with store.engine.connect() as raw:
        conn = raw.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


def save(store: ServerStore, meta: dict[str, Any], body: bytes) -> None:
    """Keep a packed snapshot (its meta from `Packed.meta()`); only the newest `KEEP` of a plant stay."""
    plant_id, seq = meta["plant_id"], meta["seq"]
    with store.writing() as conn:
        conn.execute(delete(snapshots).where(snapshots.c.plant_id == plant_id, snapshots.c.seq == seq))
        conn.execute(insert(snapshots).values(plant_id=plant_id, seq=seq, sha256=meta["sha256"],
                                              meta=json.dumps(meta, separators=(",", ":")), body=body,
                                              made_at=now_iso()))
        old = conn.execute(select(snapshots.c.seq).where(snapshots.c.plant_id == plant_id)
                           .order_by(snapshots.c.seq.desc()).offset(KEEP)).scalars().all()
        if old:
            conn.execute(delete(snapshots).where(snapshots.c.plant_id == plant_id, snapshots.c.seq.in_(old)))


def newest(store: ServerStore, plant_id: str) -> dict[str, Any] | None:
    """The newest snapshot's meta (with `made_at`), or None."""
    with store.reading() as conn:
        row = conn.execute(select(snapshots.c.meta, snapshots.c.made_at).where(snapshots.c.plant_id == plant_id)
                           .order_by(snapshots.c.seq.desc()).limit(1)).first()
    return None if row is None else {**json.loads(row.meta), "made_at": row.made_at}


def body(store: ServerStore, plant_id: str, seq: int) -> tuple[bytes, str] | None:
    """(gzip body, sha256 of its content) of the plant's snapshot at `seq`, or None."""
    with store.reading() as conn:
        row = conn.execute(select(snapshots.c.body, snapshots.c.sha256)
                           .where(snapshots.c.plant_id == plant_id, snapshots.c.seq == seq)).first()
    return None if row is None else (bytes(row.body), row.sha256)


def listing(store: ServerStore, plant_id: str | None = None) -> list[dict[str, Any]]:
    stmt = select(snapshots.c.plant_id, snapshots.c.seq, snapshots.c.sha256, snapshots.c.made_at,
                  func.length(snapshots.c.body).label("size")).order_by(snapshots.c.plant_id, snapshots.c.seq)
    if plant_id is not None:
        stmt = stmt.where(snapshots.c.plant_id == plant_id)
    with store.reading() as conn:
        return [dict(r._mapping) for r in conn.execute(stmt)]
