"""The station's sync client: plain asyncio coroutines (the app runs them in the qasync loop).

    client = SyncClient(db, url, token, on_status=..., on_changes=..., worker=hub.worker)
    task = asyncio.ensure_future(client.run())   # until client.stop()
    client.kick()                                 # after a local change: push now

While the server answers, two loops run side by side: the pusher sends the outbox in batches
(capped in count and bytes) whenever it is kicked or finds pending events, and the puller long-polls
`GET /v1/events` so events from other stations arrive within a second, applying each page and its
cursor in one transaction. When the server cannot be reached, the client waits with exponential
backoff and jitter and tries again; the station keeps working on its own database meanwhile.
A pulled item that is not a readable envelope is quarantined with its text (never skipped), in the
transaction that moves the cursor past it. Every network or protocol fault arrives here as a
KnownError (see `remote`); anything else is a bug, which ends `run()` for its supervisor to report
and restart (see `jitdesk.runtime.supervise`).
All database work runs on the DB worker thread; the event loop never blocks on SQLite.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import logging
import random
import time
from collections.abc import Callable
from typing import Any

import httpx

from jitdesk.domain.errors import BadInput, KnownError
from jitdesk.domain.events import Event
from jitdesk.runtime.aio import run_until_first
from jitdesk.services import catchup, sync_apply
from jitdesk.services.changes import NO_CHANGES, Changes
from jitdesk.services.syncstatus import CONNECTING, OFFLINE, ONLINE, SyncStatus
from jitdesk.services.worker import DbWorker
from jitdesk.storage import eventlog_bulk
from jitdesk.storage.database import Database
from jitdesk.sync import snapshot_client, wire
from jitdesk.sync.remote import Page, Refused, Remote, ResyncNeeded, Unreachable

log = logging.getLogger("jitdesk.sync")
ECHO_HOLD_S = 5.0  # a page of events already held here writes nothing while the cursor was stored this recently
HOLDS_KEY = "sync_holds_after"  # the last server hold number this station has applied


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


class SyncClient:
    def __init__(
        self, db: Database, url: str, token: str, *,
        on_status: Callable[[SyncStatus], None] | None = None,
        on_changes: Callable[[Changes], None] | None = None,
        worker: DbWorker | None = None,
        verify: bool | str = True,
        batch_events: int = 500, batch_bytes: int = 1_000_000,
        long_poll_s: float = 20.0, outbox_poll_s: float = 2.0, push_window: int = 3, pull_limit: int = 10_000,
        backoff_base_s: float = 0.5, backoff_cap_s: float = 60.0,
        transport: httpx.AsyncBaseTransport | None = None,
        rng: random.Random | None = None,
        clock_ms: Callable[[], int] = wall_ms,
    ) -> None:
        self.db = db
        self.url, self._token, self._verify, self._transport = url, token, verify, transport
        self._on_status = on_status
        self._on_changes = on_changes
        self._own_worker = worker is None
        self.worker = worker or DbWorker()
        self.batch_events, self.batch_bytes = batch_events, batch_bytes
        self.long_poll_s, self.outbox_poll_s = long_poll_s, outbox_poll_s
        self.push_window = max(1, push_window)
        self.pull_limit = max(1, pull_limit)
        self._page_limit = min(self.pull_limit, wire.DEFAULT_PULL_LIMIT)  # until a hello names the server's
        self.backoff_base_s, self.backoff_cap_s = backoff_base_s, backoff_cap_s
        self._rng = rng or random.Random()
        self._clock_ms = clock_ms  # this station's wall clock (tests skew it)
        self._persisted = 0.0
        self._holds_after: int | None = None  # the hold cursor (setting HOLDS_KEY), read at the first pull
        self._ask_holds = True  # until a server of an older version refuses holds_after
        self._cursor_saved = 0.0  # when a pulled page last wrote (and stored the cursor)
        self._stop = asyncio.Event()
        self._kick = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._status = SyncStatus(state=CONNECTING)
        self._server_id: str | None = None
        self._head = 0  # the plant's newest server_seq, from the last hello
        self._snapshot_required = False  # the server archived what this station lacks (see snapshot_client)
        self.failures = 0

    # --- control --------------------------------------------------------------------------------
    @property
    def status(self) -> SyncStatus:
        return self._status

    def kick(self) -> None:
        """Push now (call after a local change); safe from any thread."""
        loop = self._loop
        if loop is not None and loop.is_running():
            loop.call_soon_threadsafe(self._kick.set)
        else:
            self._kick.set()

    def stop(self) -> None:
        loop = self._loop
        if loop is not None and loop.is_running():
            loop.call_soon_threadsafe(self._stop.set)
        else:
            self._stop.set()

    async def close(self) -> None:
        if self._own_worker:
            self.worker.shutdown()

    # --- one pass, for `jitdesk sync --once` and tests --------------------------------------------
    async def sync_once(self, *, push: bool = True, pull: bool = True) -> SyncStatus:
        """Hello, push the whole outbox, pull until caught up (either can be left out); raises
        KnownError if the server fails."""
        self._loop = asyncio.get_running_loop()
        remote: Remote | None = None
        try:
            remote = self._remote()
            for _attempt in range(3):
                try:
                    await self._hello(remote)
                    if pull:
                        await self._snapshot_if_due(remote)
                    if push:
                        await self._push_all(remote)
                    if pull:
                        await self._catch_up(remote)
                    break
                except ResyncNeeded as need:
                    await self._resync(need)
            else:
                raise Unreachable("the server keeps asking for a resync; try again later")
            await self._contact(success=True)
            return self._status
        except KnownError as error:
            await self._problem(error)
            raise
        finally:
            if remote is not None:
                await remote.aclose()

    # --- background task ------------------------------------------------------------------------
    async def run(self) -> None:
        """Sync until stop(): online while the server answers, backing off while it does not."""
        self._loop = asyncio.get_running_loop()
        self._stop.clear()
        # A run (first or after a restart) knows nothing yet: never carry an ONLINE over from before.
        self._set_status(state=CONNECTING)
        while not self._stop.is_set():
            remote: Remote | None = None
            try:
                remote = self._remote()  # a bad address is a KnownError here, shown and retried
                await self._hello(remote)
                # failures are not reset here: only a round that moves data does (backoff holds
                # while hello works and every pull fails).
                await self._contact(success=True)
                await self._snapshot_if_due(remote)
                await self._connected(remote)
            except ResyncNeeded as need:
                await self._resync(need)
                continue
            except KnownError as error:
                self.failures += 1
                await self._problem(error)
            finally:
                if remote is not None:
                    await remote.aclose()
            if not self._stop.is_set():
                await self._sleep(self._backoff())

    def _backoff(self) -> float:
        step = min(self.backoff_cap_s, self.backoff_base_s * (2 ** min(self.failures - 1, 16)))
        return step * (0.5 + self._rng.random())  # jitter: stations do not all come back at once

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), timeout=seconds)

    async def _connected(self, remote: Remote) -> None:
        """Push and pull side by side until stop() or the first failure (which is raised)."""
        await run_until_first(self._pusher(remote), self._puller(remote), self._stop.wait())

    async def _pusher(self, remote: Remote) -> None:
        while True:
            self._kick.clear()
            if await self._push_all(remote):
                self.failures = 0
                await self._alive()  # `_push_all` has just refreshed the counts
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._kick.wait(), timeout=self.outbox_poll_s)

    async def _puller(self, remote: Remote) -> None:
        while True:
            cursor = await self._catch_up(remote)
            self.failures = 0  # a round that moved data: backoff starts again from the base
            await self._contact(success=True)
            while True:
                # The next long-poll is armed at once, from the cursor just committed: no database
                # round trip stands between a page and the next wait (a wake-up then finds it waiting).
                more, cursor = await self._pull_once(remote, wait=self.long_poll_s, cursor=cursor)
                if more:
                    break
                self.failures = 0
                await self._alive()

    # --- steps ----------------------------------------------------------------------------------
    def _remote(self) -> Remote:
        return Remote(self.url, self._token, verify=self._verify, transport=self._transport)

    async def _hello(self, remote: Remote) -> None:
        self._set_status(state=CONNECTING if self._status.state != ONLINE else ONLINE)
        t0 = self._clock_ms()
        info = await remote.hello()
        t1 = self._clock_ms()
        skew = (t0 + t1) // 2 - info.server_time_ms
        await self.worker.run(sync_apply.join_plant, self.db, info.plant_id)
        await self.worker.run(sync_apply.record_role, self.db, info.role)
        peer = await self.worker.run(sync_apply.peer, self.db)
        if peer.server_id != info.server_id or peer.protocol != info.protocol:
            if peer.server_id is not None:
                log.warning("server %s is not the one this station synced with (%s): resync",
                            info.server_id, peer.server_id)
            await self.worker.run(sync_apply.resync, self.db, info.server_id, info.protocol)
        self._server_id = info.server_id
        self._head = info.head
        self.batch_events = min(self.batch_events, info.max_batch_events)
        self.batch_bytes = min(self.batch_bytes, info.max_batch_bytes // 2)
        self._page_limit = min(self.pull_limit, info.max_pull_limit)
        await self.worker.run(sync_apply.record_contact, self.db, success=True, skew_ms=skew)
        self._set_status(skew_ms=skew)

    async def _snapshot_if_due(self, remote: Remote) -> None:
        assert self._server_id is not None  # set by the hello before
        if self._snapshot_required:
            done = await snapshot_client.start_from_snapshot(self.db, self.worker, remote, self._server_id,
                                                             required=True)
            self._snapshot_required = False
        else:
            done = await snapshot_client.bootstrap_if_due(self.db, self.worker, remote, self._server_id, self._head)
        if done is not None:
            self._changed(done.changes)

    async def _resync(self, need: ResyncNeeded) -> None:
        log.warning("%s", need)
        self._snapshot_required = self._snapshot_required or need.snapshot
        requeued = await self.worker.run(sync_apply.resync, self.db, need.server_id, wire.PROTOCOL)
        if requeued:
            log.warning("resync: %d events of this station queued again for the server", requeued)

    async def _push_all(self, remote: Remote) -> int:
        """Push until the outbox is empty; returns how many events went up.

        Up to `push_window` batches are on the wire at once: while the server stores one, it parses
        the next, and the DB worker records answers and reads the batch after the last row id in
        flight, so station and server work overlap. Batches may commit on the server in any order
        (the fold orders by hlc, not server_seq). A crash anywhere only leaves events PENDING: they go
        up again and come back `duplicate`."""
        total = 0
        after = 0
        inflight: collections.deque[asyncio.Future[int]] = collections.deque()
        last_counts = time.monotonic()
        try:
            while True:
                while len(inflight) < self.push_window:
                    body, ids, after = await self.worker.run(
                        sync_apply.outbox, self.db, self.batch_events, self.batch_bytes, after)
                    if not ids:
                        break
                    inflight.append(asyncio.ensure_future(self._push_batch(remote, body, ids)))
                if not inflight:
                    break
                total += await inflight.popleft()
                if time.monotonic() - last_counts > 0.5:  # counting is O(outbox): not after every batch
                    last_counts = time.monotonic()
                    await self._refresh_counts()
        finally:
            for task in inflight:
                task.cancel()
            await asyncio.gather(*inflight, return_exceptions=True)
        if total:
            await self._refresh_counts()
        return total

    async def _push_batch(self, remote: Remote, body: bytes, ids: list[str]) -> int:
        try:
            results = await remote.push(body)
        except Refused as refused:
            if refused.status != 413 or len(ids) != 1:
                raise
            # One event too big for any batch: quarantine it rather than block the queue for ever.
            results = [{"status": wire.REJECTED, "reason": f"too large to send: {refused.reason}"}]
        if len(results) != len(ids):
            raise Unreachable("the server answered a push with the wrong number of results")
        self._changed(await self.worker.run(sync_apply.record_push, self.db, ids, results))
        return len(ids)

    async def _pull_once(self, remote: Remote, wait: float, cursor: int) -> tuple[bool, int]:
        """Pull and apply one page after `cursor`; (the server has more right away, the new cursor)."""
        page = await self._pull(remote, cursor, wait)
        await self._apply(page, cursor)
        return page.more, page.next

    async def _catch_up(self, remote: Remote) -> int:
        """Pull until the server has nothing more, fetching the next page while this one is folded
        (the server reads and sends page n+1 while the DB worker applies page n), so a backlog streams
        through at the speed of the slower side. Each page still commits with its cursor; returns it."""
        await self._finish_fold()  # a catch-up cut short before (a crash, a lost link) folds first
        cursor = (await self.worker.run(sync_apply.peer, self.db)).cursor
        fetch = asyncio.ensure_future(self._pull(remote, cursor, 0.0))
        # A backlog (the first page is not the last) is stored page by page and folded once at the
        # end (see services.catchup); a short catch-up folds each page as it comes.
        deferred = False
        try:
            while True:
                page = await fetch
                deferred = deferred or page.more
                if page.more:
                    fetch = asyncio.ensure_future(self._pull(remote, page.next, 0.0))
                await self._apply(page, cursor, fold=not deferred)
                cursor = page.next
                if not page.more:
                    return cursor
        finally:
            if not fetch.done():
                fetch.cancel()
                with contextlib.suppress(asyncio.CancelledError, KnownError):
                    await fetch
            if deferred:  # also when the link failed mid-way: the station works on what it holds
                await self._finish_fold()

    async def _pull(self, remote: Remote, after: int, wait: float) -> Page:
        """One page after `after`, asking for the holds decided since this station's hold cursor (a
        hold on an event it already pulled); an older server that refuses the parameter is asked
        without it from then on (its holds reach the station only as skipped items in pages)."""
        if self._holds_after is None and self._ask_holds:
            self._holds_after = int(await self.worker.run(self.db.setting, HOLDS_KEY) or 0)
        while True:
            try:
                return await remote.pull(after, limit=self._page_limit, wait=wait, server_id=self._server_id,
                                         holds_after=self._holds_after if self._ask_holds else None)
            except Refused as refused:
                if refused.status == 422 and "holds_after" in refused.reason and self._ask_holds:
                    self._ask_holds = False
                    continue
                raise

    async def _apply_holds(self, page: Page) -> None:
        if page.holds_next is None or (not page.holds and page.holds_next == self._holds_after):
            return
        items = [_held(hold) for hold in page.holds]
        self._changed(await self.worker.run(sync_apply.record_holds, self.db, items, HOLDS_KEY, page.holds_next))
        self._holds_after = page.holds_next
        if items:
            await self._refresh_counts()

    async def _finish_fold(self) -> None:
        self._changed(await self.worker.run(catchup.finish, self.db))

    async def _apply(self, page: Page, cursor: int, *, fold: bool = True) -> None:
        await self._apply_page(page, cursor, fold=fold)
        await self._apply_holds(page)

    async def _apply_page(self, page: Page, cursor: int, *, fold: bool = True) -> None:
        if page.events or page.next != cursor or page.skipped:
            hold = time.monotonic() - self._cursor_saved < ECHO_HOLD_S
            changes, broken, wrote = await self.worker.run(_apply_page, self.db, page, hold, fold)
            if wrote:
                self._cursor_saved = time.monotonic()
            if broken:
                await self._refresh_counts()
            self._changed(changes)

    async def _refresh_counts(self) -> None:
        self._set_status(**await self._counts())

    async def _counts(self) -> dict[str, int]:
        pending, quarantined, unreadable = await self.worker.run(sync_apply.status_counts, self.db)
        return {"pending": pending, "quarantined": quarantined, "unreadable": unreadable}

    async def _contact(self, success: bool) -> None:
        if success and time.monotonic() - self._persisted > 10.0:
            # The time of the last success survives a restart; written at most every 10 s.
            self._persisted = time.monotonic()
            await self.worker.run(sync_apply.record_contact, self.db, success=True)
        peer = await self.worker.run(sync_apply.peer, self.db)
        counts = await self._counts()
        last = peer.last_success
        if success:
            last = sync_apply.iso_utc(self._clock_ms())
        self._set_status(state=ONLINE, last_success=last, skew_ms=peer.skew_ms, message="", **counts)

    async def _alive(self) -> None:
        """A long-poll answered: online now. Only the in-memory status moves (the counts a pull can
        change are refreshed by `_apply`), and the contact time is written at most every 10 s, so the
        next long-poll is armed without waiting for the database."""
        if time.monotonic() - self._persisted > 10.0:
            self._persisted = time.monotonic()
            await self.worker.run(sync_apply.record_contact, self.db, success=True)
        self._set_status(state=ONLINE, last_success=sync_apply.iso_utc(self._clock_ms()), message="")

    async def _problem(self, error: KnownError) -> None:
        message = str(error)
        if isinstance(error, Refused):
            log.error("sync refused: %s", message)
        else:
            log.info("sync offline: %s", message)
        try:
            await self.worker.run(sync_apply.record_contact, self.db, success=False, message=message)
            peer = await self.worker.run(sync_apply.peer, self.db)
            counts = await self._counts()
            self._set_status(state=OFFLINE, message=message, last_success=peer.last_success,
                             skew_ms=peer.skew_ms, **counts)
        except KnownError as db_error:
            self._set_status(state=OFFLINE, message=f"{message}; {db_error}")

    def _set_status(self, **changes: Any) -> None:
        values = {**self._status.__dict__, **changes}
        status = SyncStatus(**values)
        if status != self._status:
            self._status = status
            if self._on_status is not None:
                self._on_status(status)

    def _changed(self, changes: Changes) -> None:
        if changes and self._on_changes is not None:
            self._on_changes(changes)


def _held(hold: dict[str, Any]) -> sync_apply.Unreadable:
    """A hold on an event this station may already hold: kept (and shown) with the server's reason."""
    event_id = hold.get("event_id") if isinstance(hold.get("event_id"), str) else None
    reason = str(hold.get("reason") or "no reason given")[:500]
    log.warning("server holds event %s: %s", event_id, reason)
    return sync_apply.Unreadable(json.dumps(hold, ensure_ascii=True, sort_keys=True, default=str),
                                 sync_apply.HELD_BY_SERVER + reason, event_id, None)


def _skipped(item: dict[str, Any]) -> sync_apply.Unreadable:
    """A stored event the server passed over (held or unservable): kept here with its reason."""
    event_id, server_seq = wire.raw_hints(item)
    reason = str(item.get("reason") or "the server holds this event back")[:500]
    log.warning("server skipped event %s: %s", event_id, reason)
    return sync_apply.Unreadable(wire.raw_text(item), f"skipped by the server: {reason}", event_id, server_seq)
def _apply_page(db: Database, page: Page, hold_echo: bool = False, fold: bool = True) -> tuple[Changes, int, bool]:
    """Parse a pulled page and apply it with its cursor (on the DB worker: parsing thousands of
    envelopes would stall the event loop, which is the GUI's). Returns the changes, how many items
    were quarantined as unreadable, and whether it wrote. With `hold_echo`, a page of events the log
    already holds (this station's own, coming back) writes nothing: the caller goes on from its
    cursor in memory, and the next page that writes stores the cursor past it (pulled again after a
    restart, it is a duplicate)."""
    items: list[tuple[Event, bool]] = []
    broken = [_skipped(item) for item in page.skipped]
    for raw in page.events:
        parsed = _parse(raw)
        if isinstance(parsed, sync_apply.Unreadable):
            broken.append(parsed)
        else:
            items.append(parsed)
    if hold_echo and items and not broken:
        ids = [event.event_id for event, _ in items]
        with db.reading() as session:
            if len(eventlog_bulk.present(session, ids)) == len(set(ids)):
                return NO_CHANGES, 0, False
    return sync_apply.apply_page(db, items, page.next, page.server_id, broken, fold=fold), len(broken), True


def _parse(raw: Any) -> tuple[Event, bool] | sync_apply.Unreadable:
    """A pulled event and whether this station can fold it, or (logged) an item for the quarantine."""
    try:
        # No size check: the server checked it at push, and a page is capped in bytes as a whole.
        event = wire.parse_pulled(raw)
        return event, wire.foldable(event)
    except BadInput as error:
        try:
            event = wire.parse_event(raw, from_server=True, check_payload=False)
        except BadInput as broken:
            event_id, server_seq = wire.raw_hints(raw)
            log.error("server sent an item that is not a readable event (%s); quarantined", broken)
            return sync_apply.Unreadable(wire.raw_text(raw), f"not a readable event: {broken}", event_id,
                                         server_seq)
        log.warning("event %s kept unfolded: %s", event.event_id, error)
        return event, False
