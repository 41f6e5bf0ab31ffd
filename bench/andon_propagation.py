"""Live andon: a call raised at station A until it is in station B's board model, through a real server
process on loopback (long-poll), for N calls.

    .venv/bin/python bench/andon_propagation.py [--calls 500] [--db URL]

Both stations run the real sync client in one asyncio loop; A raises with `raise_call` and kicks its
client; B reads `andon_board` into a `BoardModel` on each Changes its client reports (what the board
view does). Each call is then taken back at A (cancelled at the raising station), so the next raise is
allowed. Prints ONE JSON object: p50/p99/max ms, and as the same-run baseline the bare server round trip
(GET /v1/health on the same server), with their ratio. Goal: p99 under 100 ms.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]  # bench/queue.py shadows stdlib
sys.path.insert(0, str(_HERE.parent))

import argparse
import asyncio
import json
import socket
import statistics
import subprocess
import tempfile
import time
from typing import Any

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def build_plant(db: Any) -> tuple[str, str, str, str]:
    """(plant id, station A, station B, call type id) made by the admin station."""
    from jitdesk.domain.master import CallType, Line, Plant, Station
    from jitdesk.services import master
    from jitdesk.services.uow import transaction

    with transaction(db) as tx:
        plant = master.save_in(tx, Plant(code="BP", name="Bench plant"), actor=None)
        line = master.save_in(tx, Line(code="L1", name="Line 1"), actor=None)
        a = master.save_in(tx, Station(code="L1-S1", name="Station A", role="line", line_id=line), actor=None)
        b = master.save_in(tx, Station(code="SUP", name="Supervisor", role="supervisor"), actor=None)
        ct = master.save_in(tx, CallType(code="MAINT", name="Maintenance", color="#2979FF", symbol="✚"), actor=None)
    return plant, a, b, ct


async def measure(a: Any, b: Any, url: str, tokens: tuple[str, str], station_a: str, type_id: str,
                  calls: int) -> tuple[list[float], list[float]]:
    """(latencies, local raise times) of `calls` calls raised at A and seen in B's board model."""
    from jitdesk.gui.andon.model import BoardModel
    from jitdesk.services.andon.board import andon_board
    from jitdesk.services.andon.calls import cancel, raise_call
    from jitdesk.sync.client import SyncClient

    model = BoardModel()
    arrived: dict[str, float] = {}
    waiting: set[str] = set()
    cb: SyncClient
    lookups: set[asyncio.Future[None]] = set()

    def on_changes(_changes: Any) -> None:
        task = asyncio.ensure_future(look())
        lookups.add(task)
        task.add_done_callback(lookups.discard)

    async def look() -> None:
        board = await cb.worker.run(andon_board, b)
        model.set_board(board)
        now = time.perf_counter()
        for call_id in list(waiting):
            if call_id not in arrived and model.has_call(call_id):
                arrived[call_id] = now

    ca = SyncClient(a, url, tokens[0], long_poll_s=20)
    cb = SyncClient(b, url, tokens[1], long_poll_s=20, on_changes=on_changes)
    tasks = [asyncio.ensure_future(ca.run()), asyncio.ensure_future(cb.run())]
    latencies: list[float] = []
    raises: list[float] = []
    try:
        while not (ca.status.state == cb.status.state == "online"):
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)
        for _ in range(calls):
            t0 = time.perf_counter()
            outcome = await ca.worker.run(raise_call, a, type_id, station_a)
            raises.append(time.perf_counter() - t0)
            if outcome.call_id is None:
                raise RuntimeError(f"raise refused: {outcome.words}")
            waiting.add(outcome.call_id)
            ca.kick()
            deadline = time.perf_counter() + 10
            while outcome.call_id not in arrived:
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"call {outcome.call_id} never reached B's board")
                await asyncio.sleep(0.001)
            latencies.append(arrived[outcome.call_id] - t0)
            await ca.worker.run(cancel, a, outcome.call_id, actor=None, station_id=station_a)
            ca.kick()
    finally:
        ca.stop()
        cb.stop()
        await asyncio.gather(*tasks)
        await ca.close()
        await cb.close()
    return latencies, raises


def run(calls: int, server_db: str | None = None) -> dict[str, Any]:
    from jitdesk.services import station_identity
    from jitdesk.storage.database import open_database
    from jitdesk.sync.client import SyncClient
    from jitdesk.sync.server.store import ServerStore

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        admin, a, b = (open_database(work / f"{n}.db") for n in ("admin", "a", "b"))
        plant, st_a, st_b, type_id = build_plant(admin)
        server_db = server_db or str(work / "server.db")
        store = ServerStore(server_db)
        t_admin = store.create_token(plant, "office", "admin")[1]
        t_a, t_b = store.create_token(plant, "st-a", "station")[1], store.create_token(plant, "st-b", "station")[1]
        store.close()
        port = free_port()
        proc = subprocess.Popen([sys.executable, "-m", "jitdesk", "server", "--db", server_db, "--port", str(port),
                                 "--log-level", "warning"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(url + "/v1/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.05)

            async def setup() -> None:
                for db, token in ((admin, t_admin), (a, t_a), (b, t_b)):
                    client = SyncClient(db, url, token)
                    await client.sync_once()
                    await client.close()

            asyncio.run(setup())
            station_identity.assign(a, st_a, actor=None)
            station_identity.assign(b, st_b, actor=None)
            latencies, raises = asyncio.run(measure(a, b, url, (t_a, t_b), st_a, type_id, calls))
            with httpx.Client() as http:  # the baseline: a bare round trip to the same server
                bare = []
                for _ in range(200):
                    t0 = time.perf_counter()
                    http.get(url + "/v1/health")
                    bare.append(time.perf_counter() - t0)
        finally:
            proc.terminate()
            proc.wait(10)
            for db in (admin, a, b):
                db.close()
    ms = sorted(x * 1000 for x in latencies)
    bare_ms = sorted(x * 1000 for x in bare)

    def pct(values: list[float], p: float) -> float:
        return round(values[min(len(values) - 1, int(p / 100 * len(values)))], 2)

    return {
        "benchmark": "andon_propagation", "path": "raise_call at A -> server long-poll -> andon_board model at B",
        "calls": len(ms), "p50_ms": pct(ms, 50), "p99_ms": pct(ms, 99), "max_ms": round(ms[-1], 1),
        "mean_ms": round(statistics.fmean(ms), 2), "local_raise_p50_ms": round(statistics.median(raises) * 1000, 2),
        "baseline_bare_round_trip_ms": {"p50": pct(bare_ms, 50), "p99": pct(bare_ms, 99)},
        "ratio_p50_to_bare": round(pct(ms, 50) / max(pct(bare_ms, 50), 0.001), 1),
        "goal": {"p99_ms": 100},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--db", help="server database URL (default: an SQLite file in a temp dir)")
    args = parser.parse_args()
    print(json.dumps(run(args.calls, args.db)))


if __name__ == "__main__":
    main()
