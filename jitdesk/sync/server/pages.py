"""Pull pages as ready-made JSON bytes: the stored payload text is spliced in, never parsed again.

A page of thousands of events was the slow part of a catch-up on the server side: every payload was
decoded from its stored text and the whole page encoded again. Here each event's envelope head is
encoded with orjson and the payload text (canonical JSON, stored as accepted) is spliced in as it is,
so the page costs about one copy of its bytes. A page stops at `max_bytes` (but holds at least one
event), so pages of big events stay bounded.

A row held back by an admin, or one that cannot be served (a lone surrogate, absurd nesting or text
that is not JSON, stored before pushes refused them), is skipped: the cursor moves past it and the page
lists it under `skipped` with the reason (see `serving`), so a pull never fails on anything stored.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import Any

import orjson
from anyio import to_thread
from sqlalchemy import func, select

from jitdesk.domain.payload_rules import MAX_DEPTH
from jitdesk.sync import wire
from jitdesk.sync.server.models import events
from jitdesk.sync.server.serving import as_wire
from jitdesk.sync.server.store import ServerStore

log = logging.getLogger("jitdesk.sync.server")

_COLUMNS = (
    events.c.event_id, events.c.plant_id, events.c.device_id, events.c.device_seq, events.c.hlc,
    events.c.wall_time, events.c.kind, events.c.entity_id, events.c.actor, events.c.payload,
    events.c.schema_version, events.c.server_seq, events.c.received_at,
)


@dataclass(frozen=True)
class Page:
    items: bytes  # the events as JSON array items, comma-separated, without the brackets
    count: int
    last: int  # server_seq of the last row looked at (served or skipped): the cursor after it
    newest: int  # the plant's newest server_seq
    skipped: tuple[dict[str, Any], ...] = ()  # rows passed over: server_seq, event_id, reason


def read_page(store: ServerStore, plant_id: str, after: int, limit: int, max_bytes: int) -> Page:
    """Up to `limit` rows of the plant after `after`, at most about `max_bytes`; held and unservable
    rows are skipped with their reason (unservable ones are held from now on, see `serving`)."""
    with store.reading() as conn:
        rows = conn.execute(
            select(*_COLUMNS).where(events.c.plant_id == plant_id, events.c.server_seq > after)
            .order_by(events.c.server_seq).limit(limit)
        ).all()
        held = store.held_of(conn, plant_id)
        newest = int(conn.execute(select(func.coalesce(func.max(events.c.server_seq), 0))
                                  .where(events.c.plant_id == plant_id)).scalar_one())
    parts: list[bytes] = []
    skipped: list[dict[str, Any]] = []
    unservable: list[tuple[str, str]] = []
    size = 0
    last = after
    for row in rows:
        reason = held.get(row[0])
        item: bytes | None = None
        if reason is None:
            item, reason = encode_item(row)
        if item is None:
            skipped.append({"server_seq": row[11], "event_id": wire.raw_hints({"event_id": row[0]})[0],
                            "reason": reason})
            if row[0] not in held:
                unservable.append((row[0], reason or "cannot be served"))
        else:
            if parts and size + len(item) > max_bytes:
                break
            parts.append(item)
            size += len(item) + 1
        last = row[11]
    if unservable:
        log.error("plant %s: %d stored event(s) cannot be served, held back; first %s: %s", plant_id,
                  len(unservable), *unservable[0])
        store.hold(unservable, plant_id, by="server (cannot be served)")
    return Page(b",".join(parts), len(parts), last, newest, tuple(skipped))


def encode_item(r: Any) -> tuple[bytes | None, str | None]:
    """One stored event in wire form as JSON bytes, or None and why it cannot be served. The usual row
    (readable JSON, shallow) has its stored text spliced in; anything else goes through `serving`."""
    text = r[9]
    head = {"event_id": r[0], "plant_id": r[1], "device_id": r[2], "device_seq": r[3], "hlc": r[4],
            "wall_time": r[5], "kind": r[6], "entity_id": r[7], "actor": r[8], "schema_version": r[10],
            "server_seq": r[11], "received_at": r[12]}
    try:
        # orjson refuses text that is not JSON or not valid UTF-8; fewer brackets than the depth limit
        # cannot nest too deep
        if (isinstance(text, str) and type(orjson.loads(text)) is dict
                and text.count("{") + text.count("[") <= MAX_DEPTH):
            return orjson.dumps(head)[:-1] + b',"payload":' + text.encode("utf-8") + b"}", None
    except (orjson.JSONDecodeError, orjson.JSONEncodeError, UnicodeEncodeError, TypeError):
        pass
    envelope, reason = as_wire(r)
    if envelope is None:
        return None, reason
    try:
        return orjson.dumps(envelope), None
    except (orjson.JSONEncodeError, TypeError):
        pass
    try:  # orjson writes no integer past 64 bits; the standard encoder writes any JSON number
        return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), None
    except (ValueError, TypeError, UnicodeEncodeError):
        return None, "the stored event cannot be encoded"


def page_body(page: Page, server_id: str, server_time_ms: int) -> bytes:
    more = bool(page.count or page.skipped) and page.last < page.newest
    tail = orjson.dumps({"next": page.last, "more": more, "server_id": server_id, "server_time_ms": server_time_ms,
                         "skipped": list(page.skipped)})
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
