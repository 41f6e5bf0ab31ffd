"""Snapshots and the archive, with a real server process on loopback (SQLite and PostgreSQL).

A fresh station starts from a snapshot made by `jitdesk server snapshot make` and ends with the
projections of a station that replayed every event; a damaged snapshot is refused in plain words
and the station replays; a kill -9 inside the install leaves the station as it was, and it ends
consistent; a station away past the archive horizon resyncs from a snapshot, keeping and pushing
its own unsynced events.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text, update

from bench.fold import generate
from jitdesk.domain.events import Event
from jitdesk.domain.fold import PROJECTORS
from jitdesk.services.rebuild import rebuild_all
from jitdesk.services.snapshot_base import SNAPSHOT_BASE
from jitdesk.services.snapshot_install import THRESHOLD_KEY
from jitdesk.storage import identity
from jitdesk.storage.database import open_database
from jitdesk.sync.server.models import events
from jitdesk.sync.server.snapshot_models import archived_events, snapshots
from jitdesk.sync.server.store import ServerStore
from tests.helpers.sync_events import note
from tests.helpers.sync_server import sync_once

PLANT = "plant"  # bench/fold.py's plant
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def plant_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bench/fold.py's plant: master data, cards, card cycles from 8 devices, late events at the end."""
    path = tmp_path_factory.mktemp("log") / "log.db"
    open_database(path).close()
    generate(path, 4_000)
    return path


def load(log: Path, db_url: str, start: int, stop: int, order: str = "id") -> int:
    """Events start..stop-1 of the plant log into the server (the trusted hub insert), in the order
    they arrived (late ones among them) or in clock order."""
    conn = sqlite3.connect(log)
    rows = conn.execute("SELECT event_id, plant_id, device_id, device_seq, hlc, wall_time, kind, entity_id, actor,"
                        f" payload, schema_version FROM events ORDER BY {order} LIMIT ? OFFSET ?",
                        (stop - start, start)).fetchall()
    conn.close()
    store = ServerStore(db_url)
    try:
        batch = [Event(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], json.loads(r[9]), r[10]) for r in rows]
        return len(store.insert_trusted(batch))
    finally:
        store.close()


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jitdesk", "server", *args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)


def tokens(db_url: str, *devices: str) -> list[str]:
    store = ServerStore(db_url)
    try:
        return [store.create_token(PLANT, d, "station")[1] for d in devices]
    finally:
        store.close()


def every_projection(db: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every projection table, entity and derived, row by row."""
    out = {}
    with db.reading() as session:
        for p in [*PROJECTORS.all(), *PROJECTORS.derived()]:
            out[p.name] = [tuple(r) for r in session.execute(text(f'SELECT * FROM "{p.name}" ORDER BY id'))]
    return out


def log_count(db: Any) -> int:
    with db.reading() as session:
        return int(session.execute(text("SELECT count(*) FROM events")).scalar_one())


def set_threshold(db: Any, value: int) -> None:
    with db.writing() as session:
        identity.set_setting(session, THRESHOLD_KEY, str(value))


@pytest.mark.parametrize(("order", "tail_minutes", "tail"), [
    ("hlc", "0", 0),  # every event before the snapshot is folded into it
    ("id", "1440", 3_000),  # late events arrive after it: its day-long tail lets them re-fold exactly
])
def test_fresh_station_starts_from_a_snapshot_and_pulls_the_rest(
        server_db: str, start_server: Any, stations: Any, plant_log: Path, order: str, tail_minutes: str,
        tail: int) -> None:
    load(plant_log, server_db, 0, 3_000, order)
    made = cli("snapshot", "make", "--plant", PLANT, "--tail-minutes", tail_minutes, "--db", server_db)
    assert made.returncode == 0, made.stderr
    assert f"snapshot of plant plant at event 3000: 3000 events ({tail} of them the tail" in made.stdout
    load(plant_log, server_db, 3_000, 4_000, order)
    server = start_server(server_db)
    fresh_token, replay_token = tokens(server_db, "fresh", "replay")

    fresh = stations("fresh")
    set_threshold(fresh, 100)
    sync_once(fresh, server.url, fresh_token)
    replay = stations("replay")  # default threshold (20,000) is above this backlog: replays
    sync_once(replay, server.url, replay_token)

    assert log_count(replay) == 4_000
    assert log_count(fresh) == tail + 1_000  # of the events before the snapshot, only its tail is here
    assert json.loads(fresh.setting(SNAPSHOT_BASE) or "{}")["seq"] == 3_000
    assert every_projection(fresh) == every_projection(replay)
    rebuild_all(fresh)  # a rebuild starts from the snapshot, not from an empty state
    assert every_projection(fresh) == every_projection(replay)


def test_snapshot_routes_answer_in_plain_words(sqlite_server_db: str, start_server: Any, plant_log: Path) -> None:
    load(plant_log, sqlite_server_db, 0, 100)
    server = start_server(sqlite_server_db)
    [token] = tokens(sqlite_server_db, "s1")
    auth = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{server.url}/v1/snapshot").status_code == 401
    none = httpx.get(f"{server.url}/v1/snapshot", headers=auth)
    assert none.status_code == 404 and "no snapshot of the plant yet" in none.json()["detail"]
    assert cli("snapshot", "make", "--plant", PLANT, "--db", sqlite_server_db).returncode == 0
    meta = httpx.get(f"{server.url}/v1/snapshot", headers=auth).json()
    assert meta["seq"] == 100 and meta["events"] == 100 and meta["plant_id"] == PLANT
    body = httpx.get(f"{server.url}/v1/snapshot/{meta['seq']}", headers=auth)
    assert body.headers["x-snapshot-sha256"] == meta["sha256"] and len(body.content) == meta["size"]
    gone = httpx.get(f"{server.url}/v1/snapshot/99", headers=auth)
    assert gone.status_code == 404 and "no snapshot of the plant at 99" in gone.json()["detail"]
    other = ServerStore(sqlite_server_db)
    stranger = other.create_token("other-plant", "x", "station")[1]
    other.close()
    elsewhere = httpx.get(f"{server.url}/v1/snapshot/100", headers={"Authorization": f"Bearer {stranger}"})
    assert elsewhere.status_code == 404  # another plant's token sees no snapshot of this plant
    listed = cli("snapshot", "list", "--db", sqlite_server_db)
    assert f"plant plant  at event 100  {meta['size']} bytes" in listed.stdout


def test_a_damaged_snapshot_is_refused_and_the_station_replays(
        sqlite_server_db: str, start_server: Any, stations: Any, plant_log: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    load(plant_log, sqlite_server_db, 0, 2_000)
    assert cli("snapshot", "make", "--plant", PLANT, "--tail-minutes", "0", "--db", sqlite_server_db).returncode == 0
    store = ServerStore(sqlite_server_db)
    with store.writing() as conn:
        body = conn.execute(select(snapshots.c.body)).scalar_one()
        content = gzip.decompress(body)
        at = content.index(b'"status":"') + 10  # one card's status changed on the way
        damaged = content[:at] + (b"X" if content[at:at + 1] != b"X" else b"Y") + content[at + 1:]
        conn.execute(update(snapshots).values(body=gzip.compress(damaged)))
    store.close()
    server = start_server(sqlite_server_db)
    fresh_token, replay_token = tokens(sqlite_server_db, "fresh", "replay")
    fresh = stations("fresh")
    set_threshold(fresh, 100)
    with caplog.at_level(logging.WARNING, logger="jitdesk.sync"):
        sync_once(fresh, server.url, fresh_token)
    assert "does not match its hash" in caplog.text and "replaying its events instead" in caplog.text
    assert fresh.setting(SNAPSHOT_BASE) is None
    replay = stations("replay")
    sync_once(replay, server.url, replay_token)
    assert log_count(fresh) == 2_000
    assert every_projection(fresh) == every_projection(replay)


CHILD = """
import sys, time
from jitdesk.services import snapshot_install
from jitdesk.storage.database import open_database
from tests.helpers.sync_server import sync_once

real = snapshot_install.rebuild_in

def held_open(session):
    report = real(session)
    print("INSTALLING", flush=True)  # inside the install's transaction: the parent kills now
    time.sleep(120)
    return report

snapshot_install.rebuild_in = held_open
sync_once(open_database(sys.argv[1]), sys.argv[2], sys.argv[3])
"""


def test_kill_9_inside_the_install_leaves_the_station_consistent(
        sqlite_server_db: str, start_server: Any, stations: Any, plant_log: Path, tmp_path: Path) -> None:
    load(plant_log, sqlite_server_db, 0, 3_000, "hlc")
    assert cli("snapshot", "make", "--plant", PLANT, "--tail-minutes", "0", "--db", sqlite_server_db).returncode == 0
    load(plant_log, sqlite_server_db, 3_000, 3_500, "hlc")
    server = start_server(sqlite_server_db)
    token, replay_token = tokens(sqlite_server_db, "victim", "replay")
    path = tmp_path / "victim.db"
    victim = open_database(path)
    set_threshold(victim, 100)
    note(victim, "made before the first sync")  # its own event, kept through it all
    victim.close()
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), server.url, token], cwd=ROOT,
                             stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.stdout is not None
    try:
        assert child.stdout.readline().strip() == b"INSTALLING"
    finally:
        child.kill()  # SIGKILL
        child.wait(10)
        child.stdout.close()
    victim = stations("victim")
    assert victim.setting(SNAPSHOT_BASE) is None  # the install's transaction never committed
    assert log_count(victim) == 1
    sync_once(victim, server.url, token)  # starts again, from the snapshot
    replay = stations("replay")
    sync_once(replay, server.url, replay_token)
    assert json.loads(victim.setting(SNAPSHOT_BASE) or "{}")["seq"] == 3_000
    assert log_count(victim) == 501  # 500 pulled after the snapshot, and its own note
    assert every_projection(victim) == every_projection(replay)
    assert log_count(replay) == 3_501  # the note went up


def test_a_station_away_past_the_archive_horizon_resyncs_from_a_snapshot(
        server_db: str, start_server: Any, stations: Any, plant_log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JITDESK_CURSOR_RECORD_S", "0")  # the server records every pull's cursor
    load(plant_log, server_db, 0, 3_000)
    server = start_server(server_db)
    away_token, here_token = tokens(server_db, "away", "here")
    away, here = stations("away"), stations("here")
    for _ in range(2):  # the server records the cursor a pull asks for: the second pass asks after 3000
        sync_once(away, server.url, away_token)
    for n in range(3):
        note(away, f"written offline {n}")  # waits in its outbox
    load(plant_log, server_db, 3_000, 4_000)
    for _ in range(2):
        sync_once(here, server.url, here_token)

    dry = cli("archive", "--plant", PLANT, "--db", server_db)  # what every device has passed
    assert "device away: pulled up to 3000" in dry.stdout and "device here: pulled up to 4000" in dry.stdout
    assert "server_seq 1..3000" in dry.stdout and "nothing moved" in dry.stdout
    dry = cli("archive", "--plant", PLANT, "--before", "3900", "--db", server_db)
    assert "device away (at 3000) has not passed them: it will resync from a snapshot" in dry.stdout
    store = ServerStore(server_db)
    try:
        with store.reading() as conn:
            assert conn.execute(select(func.count()).select_from(archived_events)).scalar_one() == 0
    finally:
        store.close()
    done = cli("archive", "--plant", PLANT, "--before", "3900", "--yes", "--db", server_db)
    assert done.returncode == 0, done.stderr
    assert "made a snapshot at event 4000 first" in done.stdout and "moved 3899 event(s)" in done.stdout

    answer = httpx.get(f"{server.url}/v1/events", params={"after": 3000},
                       headers={"Authorization": f"Bearer {away_token}"})
    assert answer.status_code == 409 and answer.json()["snapshot"] is True
    assert "archived on this server (it keeps them from 3900 on): resync from a snapshot" in answer.json()["detail"]
    sync_once(away, server.url, away_token)  # told to resync from the snapshot
    assert json.loads(away.setting(SNAPSHOT_BASE) or "{}")["seq"] == 4_000
    sync_once(here, server.url, here_token)  # gets away's notes
    [new_token] = tokens(server_db, "new")
    new = stations("new")  # a brand-new station must start from the snapshot: the old events are archived
    sync_once(new, server.url, new_token)
    assert every_projection(away) == every_projection(here) == every_projection(new)
    rebuild_all(away)
    assert every_projection(away) == every_projection(here)

    store = ServerStore(server_db)
    try:
        with store.reading() as conn:
            ids = [r[0] for r in conn.execute(select(events.c.event_id).where(events.c.kind == "test.note.added"))]
            archived = conn.execute(select(func.count()).select_from(archived_events)).scalar_one()
            kept = conn.execute(select(func.count()).select_from(events)).scalar_one()
    finally:
        store.close()
    assert len(ids) == len(set(ids)) == 3  # its offline notes went up, each once
    assert archived == 3_899 and kept == 101 + 3  # kept in the archive, nothing deleted
    with away.reading() as session:
        waiting = session.execute(text("SELECT count(*) FROM events WHERE sync_state = 0")).scalar_one()
    assert waiting == 0


def test_the_archive_needs_a_snapshot_at_or_after_what_it_moves(sqlite_server_db: str, plant_log: Path) -> None:
    from jitdesk.domain.errors import BadInput
    from jitdesk.sync.server import archive

    load(plant_log, sqlite_server_db, 0, 200)
    store = ServerStore(sqlite_server_db)
    try:
        chosen = archive.plan(store, PLANT, before=150)  # no device known: nobody to wait for
        assert chosen.target == 149 and chosen.events == 149 and chosen.snapshot_seq is None
        with pytest.raises(BadInput, match="no snapshot at or after 149: make one first"):
            archive.run(store, chosen)
        assert archive.horizon(store, PLANT) == 0
        with pytest.raises(BadInput, match="--before must be a server_seq of 1 or more"):
            archive.plan(store, PLANT, before=0)
        everything = archive.plan(store, PLANT, before=10_000)
        assert everything.target == 199  # the plant's newest event always stays
    finally:
        store.close()


def test_the_archive_never_cuts_off_a_hub(sqlite_server_db: str, plant_log: Path) -> None:
    from jitdesk.domain.errors import BadInput
    from jitdesk.sync.server import archive

    load(plant_log, sqlite_server_db, 0, 200)
    store = ServerStore(sqlite_server_db)
    try:
        store.create_token(PLANT, "plant-hub", "hub")  # has not pulled yet
        chosen = archive.plan(store, PLANT, before=150)
        assert chosen.hubs_behind == [("plant-hub", 0)] and chosen.behind == []
        assert "a hub cannot start from a snapshot" in chosen.words()
        with pytest.raises(BadInput, match="hub plant-hub has pulled only up to 0"):
            archive.run(store, chosen)
    finally:
        store.close()
