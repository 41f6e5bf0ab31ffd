"""kill -9 of a brand-new station in the middle of a long catch-up (pages stored unfolded, the fold
due at the end): after each kill the station holds exactly the events up to its cursor, once each;
the next run resumes from the cursor, and once caught up its projections equal a rebuild and the
entity-order index is back."""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.fold import generate
from jitdesk.domain.events import Event
from jitdesk.services import catchup, sync_apply
from jitdesk.services.rebuild import rebuild_all, refold_if_changed
from jitdesk.storage import projections
from jitdesk.storage.database import open_database
from tests.faults.test_sync_faults import REPEAT
from tests.helpers.faultproxy import FaultProxy
from tests.helpers.sync_server import ServerProcess, make_token, projections_digest, server_events, sync_once

EVENTS = 40_000  # four pages of 10,000


def _load(server_db: str, log: Path) -> None:
    from jitdesk.sync.server.store import ServerStore

    store = ServerStore(server_db)
    conn = sqlite3.connect(log)
    try:
        rows = conn.execute("SELECT event_id, plant_id, device_id, device_seq, hlc, wall_time, kind, entity_id,"
                            " actor, payload, schema_version FROM events ORDER BY id")
        while chunk := rows.fetchmany(2000):
            store.insert_trusted([Event(*r[:9], json.loads(r[9]), r[10]) for r in chunk])
    finally:
        conn.close()
        store.close()


def _station_ids(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT event_id FROM events")]
    finally:
        conn.close()


@pytest.mark.slow
def test_kill_9_mid_catch_up_loses_and_doubles_nothing(sqlite_server_db: str, tmp_path: Path,
                                                       start_server: Callable[..., ServerProcess]) -> None:
    log = tmp_path / "log.db"
    open_database(log).close()
    generate(log, EVENTS)
    _load(sqlite_server_db, log)
    server = start_server(sqlite_server_db)
    token = make_token(sqlite_server_db, "plant", "new-station")
    seq_of = {e["event_id"]: e["server_seq"] for e in server_events(sqlite_server_db)}
    path = tmp_path / "station.db"
    open_database(path).close()
    rng = random.Random(5)
    mid_catch_up = 0
    with FaultProxy(server.port) as proxy:
        proxy.set("slow", delay=0.003, chunk=32768)  # a page takes about a second to arrive
        url = f"http://127.0.0.1:{proxy.port}"
        for _ in range(REPEAT):
            done = len(_station_ids(path))
            proc = subprocess.Popen([sys.executable, "-m", "jitdesk", "sync", "--db", str(path), "--url", url,
                                     "--token", token, "--once"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 60  # start-up takes seconds on a loaded machine: wait for a page
            while time.monotonic() < deadline and proc.poll() is None and len(_station_ids(path)) <= done:
                time.sleep(0.05)
            time.sleep(rng.uniform(0.0, 1.0))
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            ids = _station_ids(path)
            conn = sqlite3.connect(path)
            try:
                cursor = conn.execute("SELECT coalesce(max(cursor), 0) FROM sync_peer").fetchone()[0]
                pending = conn.execute("SELECT count(*) FROM local_settings WHERE key = ?",
                                       (catchup.UNFOLDED_AFTER,)).fetchone()[0]
            finally:
                conn.close()
            assert len(ids) == len(set(ids))
            assert set(ids) == {e for e, s in seq_of.items() if s <= cursor}, "the log and its cursor disagree"
            mid_catch_up += bool(pending) and 0 < len(ids) < EVENTS
    assert mid_catch_up, "no kill landed mid-catch-up: the test did not test anything"
    db = open_database(path)
    try:
        refold_if_changed(db)  # what a start does: folds what the cut-short catch-up stored
        assert not catchup.pending(db)
        sync_once(db, server.url, token)
        assert not catchup.pending(db)
        assert sorted(_station_ids(path)) == sorted(seq_of)
        assert sync_apply.peer(db).cursor == max(seq_of.values())
        with db.reading() as session:
            assert projections.raw(session).execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'ix_events_entity_order'").fetchone() is not None
        pulled = projections_digest(db)
        rebuild_all(db)
        assert projections_digest(db) == pulled
    finally:
        db.close()
