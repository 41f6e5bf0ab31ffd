"""Bulk insert of events from elsewhere (a pulled page of thousands): a few statements per page.

Does what `eventlog.insert_foreign` does per event, with the same outcome row for row (idempotent
on event_id, first occurrence in the page wins, the server_seq of an event already here filled in,
the highest seq and stamp seen per device noted), but with one executemany instead of a compiled
SQLAlchemy statement per event, which cost more than SQLite's own insert.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy.orm import Session

from jitdesk.domain.events import Event
from jitdesk.storage.eventlog import dump_payload, from_row
from jitdesk.storage.projections import raw
from jitdesk.storage.schema import SYNCED

_INSERT = (
    "INSERT INTO events (event_id, plant_id, device_id, device_seq, hlc, wall_time, kind, entity_id, actor,"
    " payload, schema_version, server_seq, received_at, sync_state) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
    " ON CONFLICT DO NOTHING"
)
_PRESENT = "SELECT event_id FROM events WHERE event_id IN (SELECT value FROM json_each(?))"
_HISTORY = (
    "SELECT event_id, plant_id, device_id, device_seq, hlc, wall_time, kind, entity_id, actor, payload,"
    " schema_version, server_seq, received_at FROM events WHERE entity_id IN (SELECT value FROM json_each(?))"
    " ORDER BY entity_id, hlc, device_id, device_seq"
)
_FILL_SEQ = ("UPDATE events SET server_seq = ?, received_at = ?, sync_state = ? "
             "WHERE event_id = ? AND server_seq IS NULL")
_SEEN = (
    "INSERT INTO device_state (device_id, last_seq, hlc) VALUES (?, ?, ?) ON CONFLICT (device_id) DO UPDATE"
    " SET last_seq = max(last_seq, excluded.last_seq), hlc = max(hlc, excluded.hlc)"
)


def insert_foreign_many(session: Session, events: Sequence[Event], sync_state: int = SYNCED) -> list[bool]:
    """Insert events from elsewhere in one go; per event, True when this occurrence was stored now
    (False: already here, a repeat within `events`, or a device number another event holds)."""
    if not events:
        return []
    conn = raw(session)
    before = present(session, [e.event_id for e in events])
    seen = set(before)
    fresh: list[Event] = []
    for event in events:
        if event.event_id not in seen:
            seen.add(event.event_id)
            fresh.append(event)
    inserted = conn.executemany(_INSERT, [
        (e.event_id, e.plant_id, e.device_id, e.device_seq, e.hlc, e.wall_time, e.kind, e.entity_id, e.actor,
         _payload_text(e.payload), e.schema_version, e.server_seq, e.received_at, sync_state) for e in fresh]).rowcount
    if inserted == len(fresh):  # every one went in (the usual case)
        stored = {e.event_id for e in fresh}
    else:  # some clashed on their device number: find which
        stored = present(session, [e.event_id for e in fresh]) if fresh else set()
    known = [e for e in events if e.event_id in before and e.server_seq is not None]
    if known:
        conn.executemany(_FILL_SEQ, [(e.server_seq, e.received_at, SYNCED, e.event_id) for e in known])
    highest: dict[str, list[int]] = {}
    for e in fresh:
        if e.event_id in stored:
            top = highest.setdefault(e.device_id, [e.device_seq, e.hlc])
            top[0], top[1] = max(top[0], e.device_seq), max(top[1], e.hlc)
    if highest:
        conn.executemany(_SEEN, [(device, seq, hlc) for device, (seq, hlc) in highest.items()])
    flags: list[bool] = []
    for event in events:
        flags.append(event.event_id in stored)
        stored.discard(event.event_id)  # a repeat later in the page is not stored a second time
    return flags


def _payload_text(payload: Any) -> str:
    """`dump_payload` (sorted keys, compact, UTF-8) through orjson; the standard encoder for what
    orjson does not take (integers beyond 64 bits, non-text keys). A float with an exponent is
    spelt 1e16 rather than 1e+16: the same value once read, which is all the log's readers compare."""
    try:
        return orjson.dumps(payload, option=orjson.OPT_SORT_KEYS).decode()
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return dump_payload(payload)


def histories(session: Session, entity_ids: Sequence[str], chunk: int = 500) -> dict[str, list[Event]]:
    """Each entity's whole history in fold order, a few hundred entities per query (entity index)."""
    out: dict[str, list[Event]] = {}
    conn = raw(session)
    for start in range(0, len(entity_ids), chunk):
        for row in conn.execute(_HISTORY, (json.dumps(list(entity_ids[start:start + chunk])),)):
            out.setdefault(row[7], []).append(from_row(row))
    return out


def present(session: Session, ids: list[str]) -> set[str]:
    """Which of these event ids the log holds."""
    return {row[0] for row in raw(session).execute(_PRESENT, (json.dumps(ids),))}
