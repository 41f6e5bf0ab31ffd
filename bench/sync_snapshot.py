"""A brand-new station's start: from the server's snapshot against replaying every event, same run.

    .venv/bin/python bench/sync_snapshot.py [--events 200000] [--backend sqlite|postgres] [--tail-minutes 0]

The log is bench/fold.py's plant loaded into a server database; `jitdesk server snapshot make`
folds it into a snapshot (its time is reported too). Two fresh stations then sync once through a
real server on loopback with the real SyncClient: one starts from the snapshot (download, hash and
fingerprint check, install), the other replays every event. Both must end with the same
projections. Prints ONE JSON object; `ratio` is replay seconds / snapshot seconds.
The log is loaded in clock order so that with `--tail-minutes 0` (every event folded into the
snapshot) no event arrives after a newer one of its entity and the projections must be equal.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse
import asyncio
import json
import os
import subprocess
import tempfile
import time
from typing import Any

from bench._common import load_server
from bench.fold import generate
from bench.sync_throughput import drop_pg, pg_database, start_server

PLANT = "plant"




def start(station: Any, url: str, token: str) -> float:
    from jitdesk.sync.client import SyncClient

    async def go() -> float:
        client = SyncClient(station, url, token)
        try:
            t0 = time.perf_counter()
            await client.sync_once(push=False)
            return time.perf_counter() - t0
        finally:
            await client.close()

    return asyncio.run(go())


def measure(events: int, backend: str, tail_minutes: int) -> dict[str, Any]:
    from jitdesk.services.snapshot_install import THRESHOLD_KEY
    from jitdesk.storage import identity
    from jitdesk.storage.database import open_database
    from jitdesk.sync.server.store import ServerStore
    from tests.helpers.sync_server import projections_digest

    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        log_path = work / "log.db"
        open_database(log_path).close()
        generate(log_path, events)
        db_url = str(work / "server.db") if backend == "sqlite" else pg_database()
        if db_url is None:
            return {"skipped": "no PostgreSQL answers"}
        try:
            out["server_holds"] = load_server(log_path, db_url, order="hlc")
            store = ServerStore(db_url)
            snap_token = store.create_token(PLANT, "from-snapshot", "station")[1]
            replay_token = store.create_token(PLANT, "replay", "station")[1]
            store.close()
            t0 = time.perf_counter()
            made = subprocess.run([sys.executable, "-m", "jitdesk", "server", "snapshot", "make", "--plant", PLANT,
                                   "--tail-minutes", str(tail_minutes), "--db", db_url], capture_output=True,
                                  text=True, env={**os.environ, "PYTHONPATH": str(_HERE.parent)}, check=True)
            out["snapshot_make_s"] = round(time.perf_counter() - t0, 2)
            out["snapshot_made"] = made.stdout.strip().split(" (")[0]
            proc, url = start_server(db_url, work)
            try:
                snap = open_database(work / "snap.db")
                with snap.writing() as session:
                    identity.set_setting(session, THRESHOLD_KEY, "1000")
                snapshot_s = start(snap, url, snap_token)
                replay = open_database(work / "replay.db")
                with replay.writing() as session:  # never from a snapshot
                    identity.set_setting(session, THRESHOLD_KEY, str(10 ** 12))
                replay_s = start(replay, url, replay_token)
            finally:
                proc.terminate()
                proc.wait(10)
            out["snapshot_used"] = snap.setting("snapshot_base") is not None
            out["replay_used_snapshot"] = replay.setting("snapshot_base") is not None
            out["projections_equal"] = projections_digest(snap) == projections_digest(replay)
            snap.close()
            replay.close()
        finally:
            if backend == "postgres":
                drop_pg(db_url)
    out.update({"snapshot_start_s": round(snapshot_s, 2), "replay_start_s": round(replay_s, 2),
                "ratio": round(replay_s / snapshot_s, 2), "load_average": [round(x, 2) for x in os.getloadavg()]})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--tail-minutes", type=int, default=0)
    args = parser.parse_args()
    out: dict[str, Any] = {"benchmark": "sync_snapshot", "events": args.events, "backend": args.backend,
                           "tail_minutes": args.tail_minutes}
    out.update(measure(args.events, args.backend, args.tail_minutes))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
