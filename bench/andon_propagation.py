"""Live andon: a call raised at station A until it is in station B's board model, through a real server
process on loopback (long-poll), for N calls.

    .venv/bin/python bench/andon_propagation.py [--calls 500] [--db URL]

Both stations run the real sync client in one asyncio loop (set-up: bench/_stations.py); A raises with
`raise_call` and kicks its client; B reads `andon_board` into a `BoardModel` on each Changes its client
reports (what the board view does). Each call is then taken back at A (cancelled at the raising
station), so the next raise is allowed. Prints ONE JSON object: p50/p99/max ms, and as the same-run
baseline the bare server round trip (GET /v1/health on the same server), with their ratio, and the
machine's load average. Goal: p99 under 100 ms.
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
import os
import statistics
import time
from typing import Any

from bench._common import percentile
from bench._stations import Stations, arrival, bare_round_trips, running, stations


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


async def measure(s: Stations, calls: int) -> tuple[list[float], list[float]]:
    """(latencies, local raise times) of `calls` calls raised at A and seen in B's board model."""
    from jitdesk.gui.andon.model import BoardModel
    from jitdesk.services.andon.board import andon_board
    from jitdesk.services.andon.calls import cancel, raise_call

    model = BoardModel()
    arrived: dict[str, float] = {}
    waiting: set[str] = set()
    lookups: set[asyncio.Future[None]] = set()
    latencies: list[float] = []
    raises: list[float] = []

    clients: list[Any] = []  # (A's, B's) client once both run: B's Changes before that wait for nothing

    async def look() -> None:
        if not clients:
            return
        cb = clients[1]
        board = await cb.worker.run(andon_board, s.b)
        model.set_board(board)
        now = time.perf_counter()
        for call_id in list(waiting):
            if call_id not in arrived and model.has_call(call_id):
                arrived[call_id] = now

    def on_changes(_changes: Any) -> None:
        task = asyncio.ensure_future(look())
        lookups.add(task)
        task.add_done_callback(lookups.discard)

    async with running(s, on_changes) as (ca, cb):
        clients[:] = [ca, cb]
        for _ in range(calls):
            t0 = time.perf_counter()
            outcome = await ca.worker.run(raise_call, s.a, s.extra, s.station_a)
            raises.append(time.perf_counter() - t0)
            if outcome.call_id is None:
                raise RuntimeError(f"raise refused: {outcome.words}")
            waiting.add(outcome.call_id)
            ca.kick()
            latencies.append(await arrival(arrived, outcome.call_id, f"call {outcome.call_id} on B's board") - t0)
            await ca.worker.run(cancel, s.a, outcome.call_id, actor=None, station_id=s.station_a)
            ca.kick()
    return latencies, raises


def run(calls: int, server_db: str | None = None) -> dict[str, Any]:
    with stations(build_plant, server_db) as s:
        latencies, raises = asyncio.run(measure(s, calls))
        bare = bare_round_trips(s.url)
    ms = [x * 1000 for x in latencies]
    bare_ms = [x * 1000 for x in bare]
    p50, bare_p50 = percentile(ms, 50), percentile(bare_ms, 50)
    return {
        "benchmark": "andon_propagation", "path": "raise_call at A -> server long-poll -> andon_board model at B",
        "calls": len(ms), "p50_ms": round(p50, 2), "p99_ms": round(percentile(ms, 99), 2),
        "max_ms": round(max(ms), 1), "mean_ms": round(statistics.fmean(ms), 2),
        "local_raise_p50_ms": round(statistics.median(raises) * 1000, 2),
        "baseline_bare_round_trip_ms": {"p50": round(bare_p50, 2), "p99": round(percentile(bare_ms, 99), 2)},
        "ratio_p50_to_bare": round(p50 / max(bare_p50, 0.001), 1),
        "load_avg_1m": round(os.getloadavg()[0], 2),
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
