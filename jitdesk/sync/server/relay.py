"""The hub relay: a plant server that syncs its plant with an upstream (central) server.

`jitdesk server --upstream URL --token T` runs this beside the API. It is a client of the same
protocol: it pushes the plant's events that arrived locally (in local commit order, after a
watermark kept in the server's meta table) and pulls the plant's events from upstream (master data
from the centre, events other hubs or direct stations wrote), storing them with origin=upstream so
they are never pushed back. Stations on the plant network keep working together while the link to
the centre is down; the relay backs off and catches up when it returns. Events upstream refuses are
kept in `relay_rejects` with the reason (they stay in the plant's log). What upstream sends that is
not a storable event goes to `relay_unreadable` with its text, in the transaction that moves the
upstream cursor past it: nothing is skipped unseen.

The server runs `run()` under a `Supervisor` (see `api.create_app`): network faults are handled here
with backoff (shown as `online`/`message`); anything else ends `run()`, is logged once, and the
supervisor restarts it, while `/v1/health` shows the task's state and reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
from collections.abc import Mapping, Sequence
from typing import Any

from jitdesk.domain.errors import BadInput, KnownError
from jitdesk.runtime.aio import run_until_first
from jitdesk.sync import wire
from jitdesk.sync.remote import Refused, Remote, ResyncNeeded
from jitdesk.sync.server.api import Wakeups
from jitdesk.sync.server.store import ServerStore, Unreadable

log = logging.getLogger("jitdesk.sync.relay")

PUSHED, CURSOR, UP_ID = "upstream_pushed", "upstream_cursor", "upstream_server_id"
HOLDS = "upstream_holds_after"  # the last upstream hold number this hub has applied


class Relay:
    def __init__(self, store: ServerStore, url: str, token: str, *, verify: bool | str = True,
                 long_poll_s: float = 20.0, batch: int = 500, backoff_cap_s: float = 30.0) -> None:
        self.store, self.url, self.token, self.verify = store, url, token, verify
        self.long_poll_s, self.batch, self.backoff_cap_s = long_poll_s, batch, backoff_cap_s
        self.plant_id: str | None = None
        self.online = False
        self.message = "starting"
        self.batch_bytes, self.batch_events = wire.MAX_BATCH_BYTES // 2, batch
        self._names = self._holds = True  # until an upstream of an older version refuses them
        self._progress = False

    async def run(self, wakeups: Wakeups) -> None:
        failures = 0
        # A run (first or restarted after a failure) has not reached upstream yet.
        self.online, self.message = False, "connecting to the upstream server"
        try:
            while True:
                remote: Remote | None = None
                self._progress = False
                try:
                    remote = Remote(self.url, self.token, verify=self.verify)
                    info = await remote.hello()
                    if info.role != "hub":
                        log.warning("the upstream token is a %s token; relaying other devices needs a hub token",
                                    info.role)
                    self.plant_id = info.plant_id
                    self.batch_bytes = max(1024, info.max_batch_bytes // 2)
                    self.batch_events = min(self.batch, info.max_batch_events)
                    known = await asyncio.to_thread(self.store.get_meta, UP_ID)
                    if known != info.server_id:
                        await asyncio.to_thread(self._reset, info.server_id)
                    # Not online yet: only a pull that works says the link works.
                    self.message = "reached the upstream server; first pull under way"
                    log.info("relaying plant %s to %s", info.plant_id, self.url)
                    await run_until_first(self._pusher(remote, wakeups), self._puller(remote, wakeups))
                except ResyncNeeded as need:
                    if not need.snapshot:
                        log.warning("upstream %s", need)
                        await asyncio.to_thread(self._reset, need.server_id)
                        continue
                    # Only stations start from a snapshot: say so and back off, never loop on it.
                    failures += 1
                    self.online = False
                    self.message = (f"the upstream server archived events this hub has not pulled ({need}); "
                                    "its administrator must archive no further than this hub has pulled")
                    log.error("%s", self.message)
                except KnownError as error:
                    # Back off until a round makes progress: a hello that works while every pull
                    # fails must not reset the wait.
                    failures = 1 if self._progress else failures + 1
                    self.online = False
                    if isinstance(error, Refused):
                        self.message = (f"the upstream server refused this hub ({error.status}: {error.reason}); "
                                        "an administrator must fix the hub token or the request")
                        log.error("upstream refused: %s", error)
                    else:
                        self.message = str(error)
                        log.info("upstream offline: %s", error)
                finally:
                    if remote is not None:
                        await remote.aclose()
                delay = min(self.backoff_cap_s, 0.25 * 2 ** min(failures, 10)) * (0.5 + random.random())
                await asyncio.sleep(delay)
        finally:
            self.online = False  # ended (cancelled or failed): never left saying online

    def _made_progress(self, *, pulled: bool) -> None:
        self._progress = True
        if pulled:  # only a pull that works says the link works (health shows it)
            self.online, self.message = True, ""

    def _reset(self, server_id: str | None) -> None:
        """A new upstream (or a resync): pull from 0 and push everything again (duplicates are free)."""
        self.store.set_meta(CURSOR, "0")
        self.store.set_meta(PUSHED, "0")
        self.store.set_meta(HOLDS, "0")
        if server_id:
            self.store.set_meta(UP_ID, server_id)

    async def _pusher(self, remote: Remote, wakeups: Wakeups) -> None:
        assert self.plant_id is not None
        while True:
            woken = wakeups.current(self.plant_id)
            watermark = int(await asyncio.to_thread(self.store.get_meta, PUSHED) or 0)
            rows, last = await asyncio.to_thread(self.store.unrelayed, self.plant_id, watermark, self.batch_events)
            if not rows and last > watermark:  # only held events: pass them
                await asyncio.to_thread(self.store.set_meta, PUSHED, str(last))
                continue
            if rows:
                for row in rows:
                    del row["server_seq"], row["received_at"]
                for batch in byte_batches(rows, self.batch_bytes):
                    await self._send(remote, batch)
                await asyncio.to_thread(self.store.set_meta, PUSHED, str(last))
                self._made_progress(pulled=False)
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(woken.wait(), timeout=2.0)

    async def _send(self, remote: Remote, batch: list[dict[str, Any]]) -> None:
        """Push one batch; on 413 split it, and keep a single event too big for upstream as refused."""
        names = await asyncio.to_thread(self.store.device_names, [r["device_id"] for r in batch]) \
            if self._names else {}
        try:
            results = await remote.push(json.dumps({"events": batch, "devices": names}).encode() if names else batch)
        except Refused as refused:
            if refused.status == 422 and "'devices'" in refused.reason and self._names:
                # an upstream of an older version: it takes no device names (its stations behind
                # this hub then push only through it)
                self._names = False
                await self._send(remote, batch)
                return
            if refused.status != 413:
                raise
            if len(batch) > 1:
                half = len(batch) // 2
                await self._send(remote, batch[:half])
                await self._send(remote, batch[half:])
                return
            results = [{"event_id": batch[0]["event_id"], "status": wire.REJECTED,
                        "reason": f"too large for the upstream server: {refused.reason}"}]
        rejects = [(str(r.get("event_id")), str(r.get("reason"))) for r in results
                   if r.get("status") in (wire.REJECTED, wire.CONFLICT)]
        if rejects:
            log.warning("upstream refused %d events, first: %s", len(rejects), rejects[0][1])
            await asyncio.to_thread(self.store.note_relay_rejects, rejects)

    async def _puller(self, remote: Remote, wakeups: Wakeups) -> None:
        assert self.plant_id is not None
        caught_up = False
        while True:
            cursor = int(await asyncio.to_thread(self.store.get_meta, CURSOR) or 0)
            up_id = await asyncio.to_thread(self.store.get_meta, UP_ID)
            holds_after = int(await asyncio.to_thread(self.store.get_meta, HOLDS) or 0) if self._holds else None
            try:
                page = await remote.pull(cursor, wait=self.long_poll_s if caught_up else 0.0, server_id=up_id,
                                         limit=self.batch, holds_after=holds_after)
            except Refused as refused:
                if refused.status == 422 and "holds_after" in refused.reason and self._holds:
                    self._holds = False  # an upstream of an older version: holds travel only in pages
                    continue
                raise
            parsed = []
            broken: list[Unreadable] = []
            for raw in page.events:
                try:
                    event = wire.parse_event(raw, from_server=True, check_payload=False)
                except BadInput as error:
                    event_id, server_seq = wire.raw_hints(raw)
                    broken.append(Unreadable(wire.raw_text(raw), f"not a readable event: {error}", event_id,
                                             server_seq))
                    continue
                # Server fields are per server: this hub numbers the event itself.
                parsed.append(event._replace(server_seq=None, received_at=None))
            # Held upstream (skipped in this page, or held after this hub had pulled the event): held
            # here too, so this plant's stations skip it as well (this hub serves it as skipped).
            held = skipped_upstream(page.skipped) + skipped_upstream(page.holds)
            if held:
                await asyncio.to_thread(self.store.hold, held, self.plant_id, by="upstream server")
            moved = {CURSOR: str(page.next)}
            if page.holds_next is not None:
                moved[HOLDS] = str(page.holds_next)
            stored = await asyncio.to_thread(self.store.insert_trusted, parsed, meta_values=moved,
                                             unreadable=broken)
            if stored:
                wakeups.wake(self.plant_id)
            self._made_progress(pulled=True)
            caught_up = not page.more


def skipped_upstream(skipped: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """(event id, reason) of the events upstream passed over, where it named them."""
    out = []
    for item in skipped:
        event_id, reason = item.get("event_id"), item.get("reason")
        if isinstance(event_id, str) and wire.storable_text(event_id) and 0 < len(event_id) <= 200:
            out.append((event_id, f"held upstream: {str(reason)[:500]}"))
    return out


def byte_batches(rows: Sequence[dict[str, Any]], max_bytes: int) -> list[list[dict[str, Any]]]:
    """Rows cut into batches of at most about `max_bytes` of JSON (a lone bigger row goes alone)."""
    batches: list[list[dict[str, Any]]] = []
    size = 0
    for row in rows:
        length = len(json.dumps(row, separators=(",", ":")).encode()) + 1
        if not batches or size + length > max_bytes:
            batches.append([])
            size = 16
        batches[-1].append(row)
        size += length
    return batches
