"""Stations syncing through a real server: convergence, live propagation, quarantine, unknown kinds,
clock skew, duplicated and reordered batches, resync after the server's database is replaced."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

from jitdesk.domain.master import Part
from jitdesk.services import master, quarantine, sync_apply
from jitdesk.sync.client import SyncClient
from tests.helpers.sync_events import NOTE, note
from tests.helpers.sync_server import (
    ServerProcess,
    log_digest,
    make_token,
    projections_digest,
    server_events,
    sync_once,
)


def test_stations_converge_through_the_server(server_db: str, start_server: Callable[..., ServerProcess],
                                              stations: Callable[[str], Any]) -> None:
    server = start_server(server_db)
    admin, line, market = stations("admin"), stations("line"), stations("market")
    tokens = {"admin": make_token(server_db, "P1", "office", "admin"),
              "line": make_token(server_db, "P1", "line-1"), "market": make_token(server_db, "P1", "market")}
    master.save(admin, Part("P-1", "Bolt"), actor=None)
    note(line, "bin opened")
    note(market, "picked")
    for _ in range(2):
        for name, db in (("admin", admin), ("line", line), ("market", market)):
            status = sync_once(db, server.url, tokens[name])
            assert status.state == "online" and status.pending == 0 and status.quarantined == 0
    assert log_digest(admin) == log_digest(line) == log_digest(market)
    assert len(log_digest(admin)) == 3
    assert projections_digest(admin) == projections_digest(line) == projections_digest(market)
    assert [p.value.number for p in master.records(market, Part)] == ["P-1"]
    assert len(server_events(server_db)) == 3


def test_live_propagation_by_long_poll(server_db: str, start_server: Callable[..., ServerProcess],
                                       stations: Callable[[str], Any]) -> None:
    server = start_server(server_db)
    a, b = stations("a"), stations("b")
    ta, tb = make_token(server_db, "P1", "a", "admin"), make_token(server_db, "P1", "b")
    seen: list[Any] = []

    async def main() -> None:
        ca = SyncClient(a, server.url, ta, long_poll_s=20)
        cb = SyncClient(b, server.url, tb, long_poll_s=20, on_changes=seen.append)
        tasks = [asyncio.ensure_future(ca.run()), asyncio.ensure_future(cb.run())]
        try:
            await _until(lambda: cb.status.state == "online" and ca.status.state == "online")
            await asyncio.sleep(0.3)  # both are now parked in a long poll
            await ca.worker.run(master.save, a, Part("P-9", "Nut"), actor=None)
            ca.kick()
            await _until(lambda: any(c.touches("part") for c in seen))
        finally:
            ca.stop()
            cb.stop()
            await asyncio.gather(*tasks)
            await ca.close()
            await cb.close()

    asyncio.run(main())
    assert [p.value.number for p in master.records(b, Part)] == ["P-9"]


async def _until(predicate: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("never happened")
        await asyncio.sleep(0.02)


def test_refused_events_are_quarantined_and_never_block_the_outbox(
        sqlite_server_db: str, start_server: Callable[..., ServerProcess], stations: Callable[[str], Any]) -> None:
    server = start_server(sqlite_server_db)
    db = stations("line")
    token = make_token(sqlite_server_db, "P1", "line-1", "station")
    note(db, "before")
    master.save(db, Part("P-1", "Bolt"), actor=None)  # a station token may not write master data
    note(db, "after")
    status = sync_once(db, server.url, token)
    assert (status.pending, status.quarantined) == (0, 1)
    held = quarantine.quarantined(db)
    assert len(held) == 1 and held[0].kind == "master.part.upserted"
    assert "only admin devices" in held[0].reason
    assert [e["kind"] for e in server_events(sqlite_server_db)] == [NOTE, NOTE]
    quarantine.retry(db)
    assert sync_apply.counts(db) == (1, 0)
    assert sync_once(db, server.url, token).quarantined == 1  # still refused, still kept


def test_a_station_clock_hours_off_is_recorded_not_refused(
        sqlite_server_db: str, start_server: Callable[..., ServerProcess], stations: Callable[[str], Any]) -> None:
    server = start_server(sqlite_server_db)
    fast, slow = stations("fast"), stations("slow")
    hours = 5 * 3600 * 1000

    def ahead() -> int:
        return time.time_ns() // 1_000_000 + hours

    tf, ts = make_token(sqlite_server_db, "P1", "fast", "admin"), make_token(sqlite_server_db, "P1", "slow", "admin")
    master.save(fast, Part("P-1", "from the fast clock"), actor=None, now_ms=ahead)
    status = sync_once(fast, server.url, tf, clock_ms=ahead)
    assert status.pending == 0 and status.skew_ms is not None and status.skew_ms > hours - 60_000
    part_id = master.records(fast, Part)[0].id
    sync_once(slow, server.url, ts)
    # The slow station edits the part later in real time; its clock has seen the fast stamp, so
    # its edit still sorts after it and wins on every copy.
    master.save(slow, Part("P-1", "edited later"), actor=None, entity_id=part_id)
    sync_once(slow, server.url, ts)
    sync_once(fast, server.url, tf, clock_ms=ahead)
    assert master.get(fast, Part, part_id).name == master.get(slow, Part, part_id).name == "edited later"
    assert projections_digest(fast) == projections_digest(slow)


def test_duplicated_and_reordered_batches(sqlite_server_db: str, start_server: Callable[..., ServerProcess],
                                          stations: Callable[[str], Any]) -> None:
    from jitdesk.sync.remote import Remote

    server = start_server(sqlite_server_db)
    a, b = stations("a"), stations("b")
    ta, tb = make_token(sqlite_server_db, "P1", "a"), make_token(sqlite_server_db, "P1", "b")
    for i in range(20):
        note(a, f"n{i}")
    sync_apply.join_plant(a, "P1")
    body, ids, _ = sync_apply.outbox(a, 100, 1_000_000)
    events = json.loads(body)["events"]

    async def go() -> list[list[dict[str, Any]]]:
        remote = Remote(server.url, ta)
        try:
            return [await remote.push(list(reversed(events))), await remote.push(events),
                    await remote.push(events[5:10] + events[:5] + events[5:10])]
        finally:
            await remote.aclose()

    first, second, third = asyncio.run(go())
    assert {r["status"] for r in first} == {"accepted"}
    assert {r["status"] for r in second} == {r["status"] for r in third} == {"duplicate"}
    sync_apply.record_push(a, ids, second)
    assert sync_apply.counts(a) == (0, 0)
    assert len(server_events(sqlite_server_db)) == 20
    sync_once(b, server.url, tb)
    sync_once(a, server.url, ta)
    assert log_digest(a) == log_digest(b)


def test_resync_when_the_server_database_is_replaced(
        tmp_path: Any, start_server: Callable[..., ServerProcess], stations: Callable[[str], Any]) -> None:
    first_db, second_db = str(tmp_path / "one.db"), str(tmp_path / "two.db")
    server = start_server(first_db)
    db = stations("a")
    token = make_token(first_db, "P1", "a")
    for i in range(5):
        note(db, f"n{i}")
    sync_once(db, server.url, token)
    assert len(server_events(first_db)) == 5
    server.stop()
    server.db = second_db
    token2 = make_token(second_db, "P1", "a")
    server.start()
    note(db, "after the swap")
    status = sync_once(db, server.url, token2)
    assert status.pending == 0
    assert len(server_events(second_db)) == 6  # the new server lost nothing this station ever sent


def test_a_station_of_another_plant_is_told_in_plain_words(
        sqlite_server_db: str, start_server: Callable[..., ServerProcess], stations: Callable[[str], Any]) -> None:
    import pytest

    from jitdesk.domain.errors import KnownError

    server = start_server(sqlite_server_db)
    db = stations("a")
    sync_apply.join_plant(db, "PLANT-A")
    note(db, "mine")
    with pytest.raises(KnownError, match=r"belongs to plant 'PLANT-A'.*plant 'PLANT-B'"):
        sync_once(db, server.url, make_token(sqlite_server_db, "PLANT-B", "a"))
    assert sync_apply.counts(db) == (1, 0)  # nothing was sent, nothing quarantined
    assert server_events(sqlite_server_db) == []
