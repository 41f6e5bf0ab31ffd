"""Pull pages as ready-made JSON bytes: the stored payload text is spliced in, never parsed again.

A page of thousands of events was the slow part of a catch-up on the server side: every payload was
decoded from its stored text and the whole page encoded again. Here each event's envelope head is
encoded with orjson and the payload text (canonical JSON, stored as accepted) is spliced in as it is,
so the page costs about one copy of its bytes. A page stops at `max_bytes` (but holds at least one
event), so pages of big events stay bounded.

An item whose stored text cannot be sent as UTF-8 (a lone surrogate accepted before pushes refused
them) is sent ASCII-escaped, and one whose payload cannot be read back at all goes with its payload
as a JSON string, which the station quarantines as unreadable with its text: a pull never fails on
anything already stored.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

import orjson
from anyio import to_thread
from sqlalchemy import func, select

from jitdesk.sync import wire
from jitdesk.sync.server.models import events
from jitdesk.sync.server.store import ServerStore

_COLUMNS = (
    events.c.event_id, events.c.plant_id, events.c.device_id, events.c.device_seq, events.c.hlc,
    events.c.wall_time, events.c.kind, events.c.entity_id, events.c.actor, events.c.payload,
    events.c.schema_version, events.c.server_seq, events.c.received_at,
)


@dataclass(frozen=True)
class Page:
    items: bytes  # the events as JSON array items, comma-separated, without the brackets
    count: int
    last: int  # server_seq of the last event in it (the cursor after it), or the cursor asked with
    newest: int  # the plant's newest server_seq


def read_page(store: ServerStore, plant_id: str, after: int, limit: int, max_bytes: int) -> Page:
    """Up to `limit` events of the plant after `after`, at most about `max_bytes`."""
    with store.reading() as conn:
        rows = conn.execute(
            select(*_COLUMNS).where(events.c.plant_id == plant_id, events.c.server_seq > after)
            .order_by(events.c.server_seq).limit(limit)
        ).all()
        newest = int(conn.execute(select(func.coalesce(func.max(events.c.server_seq), 0))
                                  .where(events.c.plant_id == plant_id)).scalar_one())
    parts: list[bytes] = []
    size = 0
    last = after
    for row in rows:
        item = encode_item(row)
        if parts and size + len(item) > max_bytes:
            break
        parts.append(item)
        size += len(item) + 1
        last = row[11]
    return Page(b",".join(parts), len(parts), last, newest)


def encode_item(r: Any) -> bytes:
    """One stored event in wire form, as JSON bytes."""
    head = {"event_id": r[0], "plant_id": r[1], "device_id": r[2], "device_seq": r[3], "hlc": r[4],
            "wall_time": r[5], "kind": r[6], "entity_id": r[7], "actor": r[8], "schema_version": r[10],
            "server_seq": r[11], "received_at": r[12]}
    try:
        return orjson.dumps(head)[:-1] + b',"payload":' + r[9].encode("utf-8") + b"}"
    except (orjson.JSONEncodeError, UnicodeEncodeError):
        return _escaped(head, r[9])


def _escaped(head: dict[str, Any], payload_text: str) -> bytes:
    try:
        payload: Any = json.loads(payload_text)
    except (ValueError, RecursionError):
        payload = payload_text  # not an object: the station quarantines the item with its text
    try:
        return json.dumps({**head, "payload": payload}, ensure_ascii=True, separators=(",", ":")).encode()
    except RecursionError:
        return json.dumps({**head, "payload": payload_text}, ensure_ascii=True, separators=(",", ":")).encode()


def page_body(page: Page, server_id: str, server_time_ms: int) -> bytes:
    more = page.count > 0 and page.last < page.newest
    tail = orjson.dumps({"next": page.last, "more": more, "server_id": server_id, "server_time_ms": server_time_ms})
    return b'{"events":[' + page.items + b"]," + tail[1:]


class SharedReads:
    """Pulls waiting on one plant wake together after a push and ask for the same page: one read
    serves them all. A pull joins a read already running only when both took the same wake-up
    generation (the `asyncio.Event` of `Wakeups.current`) before it started: a commit whose wake-up
    came before the read began has replaced that generation, so whoever took the new one reads anew,
    and a commit after it sets the generation, so everyone who joined looks again."""

    def __init__(self, store: ServerStore) -> None:
        self._store = store
        self._running: dict[tuple[str, int, int, object], asyncio.Future[Page]] = {}

    async def read(self, plant_id: str, after: int, limit: int, generation: object) -> Page:
        key = (plant_id, after, limit, generation)
        running = self._running.get(key)
        if running is not None:
            return await asyncio.shield(running)
        future: asyncio.Future[Page] = asyncio.ensure_future(
            to_thread.run_sync(read_page, self._store, plant_id, after, limit, wire.PULL_PAGE_BYTES))
        self._running[key] = future
        future.add_done_callback(lambda _f: self._running.pop(key, None))
        return await asyncio.shield(future)
