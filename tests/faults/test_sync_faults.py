"""Faults during sync: a fault-injecting proxy between station and server, kill -9 of the server and
of the client at random points. Afterwards the server holds each event exactly once, every outbox
drains, and every copy agrees.

The soak variants repeat `JITDESK_FAULT_REPEAT` times (a few by default; raise it for a long soak).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jitdesk.domain.errors import KnownError
from jitdesk.services import sync_apply
from jitdesk.services.uow import transaction
from jitdesk.sync.client import SyncClient
from tests.helpers.faultproxy import FaultProxy
from tests.helpers.sync_events import NOTE
from tests.helpers.sync_server import ServerProcess, log_digest, make_token, server_events, sync_once, wait_until

REPEAT = int(os.environ.get("JITDESK_FAULT_REPEAT", "8"))


def many_notes(db: Any, count: int, tag: str) -> None:
    with transaction(db) as tx:
        for i in range(count):
            tx.append(NOTE, f"n-{i % 13}", {"text": f"{tag} {i}"})


def assert_exactly_once(server_db: str, *dbs: Any) -> None:
    held = server_events(server_db)
    ids = [e["event_id"] for e in held]
    assert len(ids) == len(set(ids))
    expected = set()
    for db in dbs:
        assert sync_apply.counts(db) == (0, 0), "the outbox did not drain"
        expected |= {e[0] for e in log_digest(db)}
    assert set(ids) == expected


@pytest.mark.parametrize("fault", [
    ("drop", {}), ("reset", {}), ("stall", {}), ("cut", {"n": 300}), ("cut", {"n": 40_000}),
    ("cut", {"n": 250_000}), ("slow", {"delay": 0.002, "chunk": 4096}),
], ids=["drop", "reset", "stall", "cut-300", "cut-40k", "cut-250k", "slow"])
def test_proxy_faults_then_heal(fault: tuple[str, dict[str, Any]], sqlite_server_db: str,
                                start_server: Callable[..., ServerProcess], stations: Callable[[str], Any]) -> None:
    server = start_server(sqlite_server_db)
    a, b = stations("a"), stations("b")
    ta, tb = make_token(sqlite_server_db, "P1", "a"), make_token(sqlite_server_db, "P1", "b")
    many_notes(a, 1500, "a")
    many_notes(b, 700, "b")
    mode, options = fault
    with FaultProxy(server.port) as proxy:
        url = f"http://127.0.0.1:{proxy.port}"
        proxy.set(mode, **options)
        for db, token in ((a, ta), (b, tb), (a, ta)):
            client = SyncClient(db, url, token, batch_events=300)
            try:
                asyncio.run(asyncio.wait_for(client.sync_once(), timeout=4))
            except (KnownError, TimeoutError):
                pass  # the fault may or may not let this pass through
            finally:
                asyncio.run(client.close())
        proxy.set("pass")
        for db, token in ((a, ta), (b, tb), (a, ta)):
            sync_once(db, url, token)
    assert_exactly_once(sqlite_server_db, a, b)
    assert log_digest(a) == log_digest(b)


def test_background_client_rides_out_flapping_link(sqlite_server_db: str, start_server: Callable[..., ServerProcess],
                                                   stations: Callable[[str], Any]) -> None:
    server = start_server(sqlite_server_db)
    a, b = stations("a"), stations("b")
    ta, tb = make_token(sqlite_server_db, "P1", "a"), make_token(sqlite_server_db, "P1", "b")
    rng = random.Random(7)

    async def main(proxy: FaultProxy) -> None:
        url = f"http://127.0.0.1:{proxy.port}"
        ca = SyncClient(a, url, ta, backoff_base_s=0.05, backoff_cap_s=0.3, long_poll_s=2, batch_events=50)
        cb = SyncClient(b, url, tb, backoff_base_s=0.05, backoff_cap_s=0.3, long_poll_s=2, batch_events=50)
        tasks = [asyncio.ensure_future(ca.run()), asyncio.ensure_future(cb.run())]
        try:
            for round_ in range(12):
                await ca.worker.run(many_notes, a, 40, f"a{round_}")
                await cb.worker.run(many_notes, b, 25, f"b{round_}")
                ca.kick()
                mode = rng.choice(["drop", "reset", "cut", "slow", "pass", "stall"])
                proxy.set(mode, n=rng.randint(100, 20000), delay=0.001, chunk=2048)
                await asyncio.sleep(rng.uniform(0.05, 0.4))
            proxy.set("pass")
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                counts = [await c.worker.run(sync_apply.counts, c.db) for c in (ca, cb)]
                if counts == [(0, 0), (0, 0)] and await asyncio.to_thread(
                        lambda: len(log_digest(a)) == len(log_digest(b)) == 12 * 65):
                    break
                await asyncio.sleep(0.1)
        finally:
            for c in (ca, cb):
                c.stop()
            await asyncio.gather(*tasks)
            for c in (ca, cb):
                await c.close()

    with FaultProxy(server.port) as proxy:
        asyncio.run(main(proxy))
    assert_exactly_once(sqlite_server_db, a, b)
    assert log_digest(a) == log_digest(b)


def _sync_process(db_path: Path, url: str, token: str, *, once: bool) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "jitdesk", "sync", "--db", str(db_path), "--url", url, "--token", token,
            "--retry-max", "0.3"]
    if once:
        args.append("--once")
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.slow
def test_kill_9_of_the_client_at_random_points(server_db: str, start_server: Callable[..., ServerProcess],
                                               stations: Callable[[str], Any], tmp_path: Path) -> None:
    server = start_server(server_db)
    db = stations("a")
    token = make_token(server_db, "P1", "a")
    rng = random.Random(11)
    interrupted = 0
    with FaultProxy(server.port) as proxy:
        # A slow link stretches each sync over seconds, so the kills land mid-push and mid-pull.
        proxy.set("slow", delay=0.01, chunk=4096)
        url = f"http://127.0.0.1:{proxy.port}"
        for round_ in range(REPEAT):
            before = len(server_events(server_db))
            many_notes(db, 2500, f"r{round_}")
            proc = _sync_process(tmp_path / "a.db", url, token, once=True)
            if round_ % 2:  # at a random time: python start-up is about 0.7 s, then it is mid-sync
                time.sleep(rng.uniform(0.8, 3.0))
            else:  # just after the server took a first batch of this round (the rest still to go)
                deadline = time.monotonic() + 30
                while len(server_events(server_db)) == before and time.monotonic() < deadline:
                    time.sleep(0.01)
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            behind = sync_apply.counts(db)[0] > 0 or sync_apply.peer(db).cursor < max(
                (e["server_seq"] for e in server_events(server_db)), default=0)
            interrupted += behind
    assert interrupted, "no kill landed mid-sync: the test did not test anything"
    sync_once(db, server.url, token)
    assert_exactly_once(server_db, db)
    assert len(server_events(server_db)) == 2500 * REPEAT


@pytest.mark.slow
def test_kill_9_of_the_server_at_random_points(server_db: str, start_server: Callable[..., ServerProcess],
                                               stations: Callable[[str], Any], tmp_path: Path) -> None:
    server = start_server(server_db)
    a, b = stations("a"), stations("b")
    ta, tb = make_token(server_db, "P1", "a"), make_token(server_db, "P1", "b")
    rng = random.Random(13)
    clients = [_sync_process(tmp_path / "a.db", server.url, ta, once=False),
               _sync_process(tmp_path / "b.db", server.url, tb, once=False)]
    try:
        for round_ in range(REPEAT):
            many_notes(a, 1500, f"a{round_}")
            many_notes(b, 800, f"b{round_}")
            time.sleep(rng.uniform(0.2, 1.5))
            server.kill9()
            time.sleep(rng.uniform(0.0, 0.5))
            server.start()
        wait_until(lambda: sync_apply.counts(a) == (0, 0) and sync_apply.counts(b) == (0, 0)
                   and len(log_digest(a)) == len(log_digest(b)) == 2300 * REPEAT, "every outbox drained", 120)
    finally:
        for proc in clients:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
    assert_exactly_once(server_db, a, b)
    assert log_digest(a) == log_digest(b)
