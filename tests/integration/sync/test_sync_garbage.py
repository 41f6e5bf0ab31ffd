"""A station's sync client against a real server behind a tiny real HTTP server that answers garbage:
bad gzip, redirect loops, pages that are not JSON, a status line that is not HTTP, a mistyped hello,
a pull page with malformed envelopes between good ones. The client keeps running under its
supervisor and says why in plain words; good events are stored, bad ones quarantined with their
text, the cursor passes them, nothing is lost; a bug in the client shows RESTARTING, never ONLINE."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import pytest

from jitdesk.domain.errors import KnownError
from jitdesk.domain.master import Part
from jitdesk.runtime.supervise import Supervisor, TaskState, TaskStatus
from jitdesk.runtime.syncwatch import SYNC_TASK, SyncWatch
from jitdesk.services import master, quarantine, sync_apply
from jitdesk.services.syncstatus import OFFLINE, ONLINE, RESTARTING, SyncStatus
from jitdesk.sync import wire
from jitdesk.sync.client import SyncClient
from jitdesk.sync.remote import Remote, Unreachable
from tests.helpers.garbagehttp import GarbageServer
from tests.helpers.sync_server import ServerProcess, log_digest, make_token, server_events, sync_once

FAST = {"backoff_base_s": 0.05, "backoff_cap_s": 0.2, "long_poll_s": 1.0, "outbox_poll_s": 0.2}


class Watched:
    """A client under a supervisor, with every status the screen would have shown and the task's
    state at that moment."""

    def __init__(self, client_factory: Callable[[Callable[[SyncStatus], None]], SyncClient]) -> None:
        self.supervisor = Supervisor(backoff_initial_s=0.05, backoff_max_s=0.2)
        self.shown: list[tuple[SyncStatus, TaskStatus | None]] = []
        self.watch = SyncWatch(self.supervisor, self._shown)
        self.client = client_factory(self.watch.client_status)

    def _shown(self, status: SyncStatus) -> None:
        self.shown.append((status, self.supervisor.status(SYNC_TASK)))

    async def __aenter__(self) -> Watched:
        self.supervisor.start(SYNC_TASK, self.client.run)
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self.client.stop()
        await self.supervisor.stop()
        self.watch.close()
        await self.client.close()

    async def until(self, check: Callable[[SyncStatus], bool], what: str, timeout: float = 30.0) -> SyncStatus:
        """Wait for a shown status; the cap only stops a hung test."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            status = self.watch.status
            if check(status):
                return status
            await asyncio.sleep(0.02)
        raise AssertionError(f"never happened: {what}; last shown {self.watch.status}")

    def never_online_unless_running(self) -> None:
        for status, task in self.shown:
            if status.state == ONLINE:
                assert task is not None and task.state is TaskState.RUNNING, (status, task)


def task_errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "jitdesk.tasks" and r.levelno >= logging.WARNING]


@pytest.mark.parametrize(("mode", "words"), [
    ("bad-gzip", "could not be decoded"),
    ("redirect-loop", "answered with a redirect (302"),
    ("not-json", "does not look like a jitdesk sync server"),
    ("broken-status", "broke (RemoteProtocolError"),
    ("bad-hello", "its hello has no valid 'max_batch_events'"),
])
def test_garbage_answers_keep_the_client_running_and_say_why(
        mode: str, words: str, sqlite_server_db: str, start_server: Callable[..., ServerProcess],
        stations: Callable[[str], Any], caplog: pytest.LogCaptureFixture) -> None:
    server = start_server(sqlite_server_db)
    db = stations("line")
    token = make_token(sqlite_server_db, "P1", "office", "admin")
    master.save(db, Part("P-1", "Bolt"), actor=None)

    async def main(garbage: GarbageServer) -> None:
        garbage.set(mode)
        async with Watched(lambda on_status: SyncClient(db, garbage.url, token, on_status=on_status,
                                                        **FAST)) as run:
            offline = await run.until(lambda s: s.state == OFFLINE and words in s.message, f"offline: {words}")
            task = run.supervisor.status(SYNC_TASK)
            assert task is not None and task.state is TaskState.RUNNING
            assert task.reason is not None and task.reason.startswith("offline: ") and words in task.reason
            assert offline.pending == 1  # the station's event waits, it is not lost
            assert not any(s.state == ONLINE for s, _ in run.shown)
            garbage.set("pass")  # the link heals: the same client, never restarted, goes online
            await run.until(lambda s: s.state == ONLINE and s.pending == 0, "online with the outbox sent")
            assert run.supervisor.status(SYNC_TASK).restarts == 0  # type: ignore[union-attr]
            run.never_online_unless_running()

    with GarbageServer(server.url) as garbage:
        asyncio.run(main(garbage))
    assert [e["kind"] for e in server_events(sqlite_server_db)] == ["master.part.upserted"]
    assert task_errors(caplog) == []  # handled as the network's fault: no crash, nothing to restart


def test_too_many_redirects_and_invalid_addresses_are_known_errors(
        stations: Callable[[str], Any]) -> None:
    db = stations("line")

    async def redirects(garbage: GarbageServer) -> str:
        remote = Remote(garbage.url, "jdt_x")
        remote._http.follow_redirects = True  # were redirects followed, a loop must still be plain words
        try:
            with pytest.raises(Unreachable) as caught:
                await remote.hello()
            return str(caught.value)
        finally:
            await remote.aclose()

    with GarbageServer() as garbage:
        garbage.set("redirect-loop")
        assert "keeps redirecting" in asyncio.run(redirects(garbage))

    with pytest.raises(KnownError, match="is not a valid address"):
        Remote("http://[::1", "jdt_x")

    async def bad_address() -> None:
        async with Watched(lambda on_status: SyncClient(db, "http://[::1", "jdt_x", on_status=on_status,
                                                        **FAST)) as run:
            await run.until(lambda s: s.state == OFFLINE and "not a valid address" in s.message, "offline")
            task = run.supervisor.status(SYNC_TASK)
            assert task is not None and task.state is TaskState.RUNNING and task.restarts == 0

    asyncio.run(bad_address())


def test_malformed_envelopes_in_a_page_are_quarantined_and_the_rest_stored(
        sqlite_server_db: str, start_server: Callable[..., ServerProcess],
        stations: Callable[[str], Any]) -> None:
    server = start_server(sqlite_server_db)
    office, line = stations("office"), stations("line")
    t_office = make_token(sqlite_server_db, "P1", "office", "admin")
    t_line = make_token(sqlite_server_db, "P1", "line-1", "station")
    for i in range(6):
        master.save(office, Part(f"P-{i}", f"part {i}"), actor=None)
    sync_once(office, server.url, t_office)
    good = server_events(sqlite_server_db)
    bad_items: list[Any] = [
        "not an event at all",
        {**good[0], "event_id": 12345, "server_seq": 99},  # a mistyped field
        {k: v for k, v in good[1].items() if k != "kind"},  # a missing field
        {**good[2], "server_seq": "seven"},  # a server field of the wrong type
        [1, 2, {"deep": [None]}],
    ]

    async def main(garbage: GarbageServer) -> None:
        garbage.set("bad-page", items=bad_items)
        async with Watched(lambda on_status: SyncClient(db_line, garbage.url, t_line, on_status=on_status,
                                                        **FAST)) as run:
            status = await run.until(lambda s: s.state == ONLINE and s.unreadable == len(bad_items),
                                     "online with the unreadable items counted")
            assert status.quarantined == 0
            assert run.supervisor.status(SYNC_TASK).restarts == 0  # type: ignore[union-attr]

    db_line = line
    with GarbageServer(server.url) as garbage:
        asyncio.run(main(garbage))
        assert garbage.injected == len(bad_items)
    # Every good event is stored, the cursor is past the page, and each bad item is kept as sent.
    assert log_digest(line) == log_digest(office)
    assert sync_apply.peer(line).cursor == max(e["server_seq"] for e in good)
    held = quarantine.unreadable(line)
    assert sorted(h.raw for h in held) == sorted(wire.raw_text(item) for item in bad_items)
    assert all(h.reason.startswith("not a readable event: ") for h in held)
    by_raw = {h.raw: h for h in held}
    mistyped = by_raw[wire.raw_text(bad_items[1])]
    assert mistyped.event_id is None and mistyped.server_seq == 99 and "event_id" in mistyped.reason
    assert "'kind' is missing" in by_raw[wire.raw_text(bad_items[2])].reason
    assert "server_seq" in by_raw[wire.raw_text(bad_items[3])].reason
    assert by_raw[wire.raw_text(bad_items[3])].event_id == good[2]["event_id"]
    # Pulled again from 0 (a resync) through the same garbage: no second copy of anything.
    sync_apply.resync(line, sync_apply.peer(line).server_id, wire.PROTOCOL)
    with GarbageServer(server.url) as garbage:
        garbage.set("bad-page", items=bad_items)
        sync_once(line, garbage.url, t_line)
    assert len(quarantine.unreadable(line)) == len(bad_items)
    assert log_digest(line) == log_digest(office)


def test_a_bug_in_the_client_shows_restarting_then_recovers(
        sqlite_server_db: str, start_server: Callable[..., ServerProcess], stations: Callable[[str], Any],
        caplog: pytest.LogCaptureFixture) -> None:
    server = start_server(sqlite_server_db)
    db = stations("line")
    token = make_token(sqlite_server_db, "P1", "office", "admin")
    master.save(db, Part("P-1", "Bolt"), actor=None)

    class Buggy(SyncClient):
        """The real client with one bug planted in its first two pulls."""

        bugs = 2

        async def _pull_once(self, remote: Remote, wait: float, cursor: int) -> tuple[bool, int]:
            if self.bugs:
                self.bugs -= 1
                raise ZeroDivisionError("planted pull bug")
            return await super()._pull_once(remote, wait, cursor)

    async def main() -> None:
        async with Watched(lambda on_status: Buggy(db, server.url, token, on_status=on_status, **FAST)) as run:
            restarting = await run.until(lambda s: s.state == RESTARTING, "restarting")
            assert "unexpected error (ZeroDivisionError: planted pull bug)" in restarting.message
            assert "trying again in" in restarting.message
            await run.until(lambda s: s.state == ONLINE and run.supervisor.status(SYNC_TASK).restarts == 2  # type: ignore[union-attr]
                            and s.pending == 0, "online again after two restarts")
            run.never_online_unless_running()
            states = [s.state for s, _ in run.shown]
            first_restart = states.index(RESTARTING)
            assert ONLINE in states[first_restart:]  # it came back
            for status, task in run.shown:
                if task is not None and task.state is TaskState.RESTARTING:
                    assert status.state == RESTARTING

    asyncio.run(main())
    errors = task_errors(caplog)
    assert len(errors) == 1 and errors[0].exc_info is not None  # the same bug twice is logged once
    assert [e["kind"] for e in server_events(sqlite_server_db)] == ["master.part.upserted"]
