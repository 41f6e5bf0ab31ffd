"""Catch-up speed: a fresh station pulls and folds a plant's log from a real server over loopback,
against rebuilding the same log locally in the same run.

    .venv/bin/python bench/sync_pull.py [--events 200000] [--backend sqlite|postgres] [--profile FILE]

The log is bench/fold.py's plant (master data, cards, card cycles from 8 devices, a few late events),
loaded into a server database. The station pulls with the real SyncClient (`sync_once(push=False)`)
until caught up; then the same station database is rebuilt from its own log (`rebuild_all`), and the
projections made by the pull are compared with the rebuilt ones (they must be equal: the fold is
deterministic whichever path made it). Prints ONE JSON object; goal >= 20,000 events/s. On a shared
machine the wall-clock figures follow the load (printed with them); the CPU seconds used by the
station process and by the server process say what each side costs whatever the load.
`--profile FILE` writes a cProfile of the client side (pull, parse, apply) to FILE.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse
import asyncio
import cProfile
import json
import os
import tempfile
import time
from typing import Any

from bench._common import load_server
from bench.fold import generate
from bench.sync_throughput import drop_pg, pg_database, start_server

PLANT = "plant"  # bench/fold.py's plant id




def pull_all(station: Any, url: str, token: str, profile: str | None) -> float:
    from jitdesk.sync.client import SyncClient

    async def go() -> float:
        client = SyncClient(station, url, token)
        try:
            t0 = time.perf_counter()
            await client.sync_once(push=False)
            return time.perf_counter() - t0
        finally:
            await client.close()

    if profile is None:
        return asyncio.run(go())
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        return asyncio.run(go())
    finally:
        profiler.disable()
        profiler.dump_stats(profile)


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(events: int, backend: str, profile: str | None = None) -> dict[str, Any]:
    """Generate, load, pull+fold, rebuild; the figures (or {"skipped": reason})."""
    from jitdesk.services.rebuild import rebuild_all
    from jitdesk.storage import eventlog
    from jitdesk.storage.database import open_database
    from jitdesk.sync.server.store import ServerStore
    from tests.helpers.sync_server import projections_digest

    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        log_path = work / "log.db"
        open_database(log_path).close()
        t0 = time.perf_counter()
        generate(log_path, events)
        out["generate_s"] = round(time.perf_counter() - t0, 2)
        db_url = str(work / "server.db") if backend == "sqlite" else pg_database()
        if db_url is None:
            return {"skipped": "no PostgreSQL answers"}
        try:
            t0 = time.perf_counter()
            held = load_server(log_path, db_url)
            out["server_load_s"] = round(time.perf_counter() - t0, 2)
            store = ServerStore(db_url)
            token = store.create_token(PLANT, "bench-station", "station")[1]
            store.close()
            proc, url = start_server(db_url, work)
            try:
                station = open_database(work / "station.db")
                server_cpu0, cpu0 = _cpu_s(proc.pid), time.process_time()
                pulled_s = pull_all(station, url, token, profile)
                out["station_cpu_s"] = round(time.process_time() - cpu0, 2)
                out["server_cpu_s"] = round(_cpu_s(proc.pid) - server_cpu0, 2)
            finally:
                proc.terminate()
                proc.wait(10)
            with station.reading() as session:
                stored = eventlog.count(session)
            pulled = projections_digest(station)
            t0, cpu0 = time.perf_counter(), time.process_time()
            rebuild_all(station)
            rebuild_s = time.perf_counter() - t0
            out["local_rebuild_cpu_s"] = round(time.process_time() - cpu0, 2)
            same = projections_digest(station) == pulled
            station.close()
        finally:
            if backend == "postgres":
                drop_pg(db_url)
    pull_eps = stored / pulled_s
    out.update({
        "server_holds": held, "station_holds": stored,
        "pull_fold_s": round(pulled_s, 2), "pull_fold_events_per_s": round(pull_eps),
        "station_events_per_cpu_s": round(stored / max(out["station_cpu_s"], 1e-9)),
        "local_rebuild_s": round(rebuild_s, 2), "local_rebuild_events_per_s": round(stored / rebuild_s),
        "ratio_to_rebuild": round(pull_eps / (stored / rebuild_s), 3),
        "projections_equal_to_rebuild": same,
    })
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--profile", metavar="FILE")
    args = parser.parse_args()
    out: dict[str, Any] = {"benchmark": "sync_pull", "events": args.events, "backend": args.backend,
                           "goal_events_per_s": 20_000}
    out["load_average_before"] = round(os.getloadavg()[0], 2)
    out.update(measure(args.events, args.backend, args.profile))
    out["load_average_after"] = round(os.getloadavg()[0], 2)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
