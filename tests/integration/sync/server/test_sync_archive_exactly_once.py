"""Exactly-once outlives the archive: a station that lost a push answer and comes back after the
archive moved its events re-pushes them and is told `duplicate` (or `conflict` for other content,
`rejected` for a reused device_seq); nothing is stored twice. A real server process, SQLite and
PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from jitdesk.sync import wire
from jitdesk.sync.server.models import events
from jitdesk.sync.server.snapshot_models import archived_events
from jitdesk.sync.server.store import ServerStore
from tests.helpers.sync_events import envelope
from tests.helpers.sync_server import ServerProcess, make_token

ROOT = Path(__file__).resolve().parents[4]


def _counts(db: str) -> tuple[int, int]:
    store = ServerStore(db, migrate=False)
    try:
        with store.reading() as conn:
            return tuple(int(conn.execute(select(func.count()).select_from(t)).scalar_one())  # type: ignore[return-value]
                         for t in (events, archived_events))
    finally:
        store.close()


def test_a_re_push_after_the_archive_is_a_duplicate_never_a_second_copy(
        server_db: str, start_server: Callable[..., ServerProcess]) -> None:
    token = make_token(server_db, "P1", "st1")
    server = start_server(server_db)
    batch = [envelope("dev-1", n) for n in range(1, 6)]
    newest = envelope("dev-1", 6)
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30) as c:
        def push(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
            answer = c.post("/v1/events", json={"events": items})
            assert answer.status_code == 200, answer.text
            return list(answer.json()["results"])

        first = push([*batch, newest])
        assert [r["status"] for r in first] == [wire.ACCEPTED] * 6
        done = subprocess.run([sys.executable, "-m", "jitdesk", "server", "archive", "--plant", "P1", "--before", "6",
                               "--yes", "--db", server_db], capture_output=True, text=True, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
        assert done.returncode == 0, done.stderr
        assert "moved 5 event(s)" in done.stdout, done.stdout
        assert _counts(server_db) == (1, 5)

        again = push(batch)  # the answer was lost: the same batch once more
        assert [r["status"] for r in again] == [wire.DUPLICATE] * 5
        assert [r["server_seq"] for r in again] == [r["server_seq"] for r in first[:5]]
        assert _counts(server_db) == (1, 5)

        other = push([{**batch[0], "payload": {"n": 999}}])[0]  # the same id, other content
        assert other["status"] == wire.CONFLICT and other["server_seq"] is None
        reused = push([envelope("dev-1", 2)])[0]  # a new id on an archived device_seq
        assert reused["status"] == wire.REJECTED and "device_seq 2 of device dev-1 is already used" in reused["reason"]
        mixed = push([batch[1], envelope("dev-1", 7)])  # an archived copy beside a new event
        assert [r["status"] for r in mixed] == [wire.DUPLICATE, wire.ACCEPTED]
        assert mixed[1]["server_seq"] == 7
    assert _counts(server_db) == (2, 5)
