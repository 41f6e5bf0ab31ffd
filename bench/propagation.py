"""Live propagation: a card emptied by a scan at a line station, until it shows in the supermarket
station's replenishment queue, through a real server process (long-poll, no polling interval).

    .venv/bin/python bench/propagation.py [--cards 100] [--db URL]

Both stations run the real sync client (`SyncClient.run`) in one asyncio loop (set-up:
bench/_stations.py); station A scans with `record_scan` and kicks its client, station B reloads
`replenishment_queue` on each Changes its client reports. Prints ONE JSON object with p50/p99/max in
ms and, as a same-run baseline, the cost of the two local steps alone (the scan transaction and the
queue query), and the machine's load average. Goal: p99 under 500 ms.
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
from bench._stations import Stations, arrival, running, stations


def build_plant(db: Any, cards: int) -> tuple[str, str, str, list[str]]:
    """(plant id, line station id, supermarket station id, card codes) made by the admin station."""
    from jitdesk.domain.fold import PROJECTORS
    from jitdesk.domain.kanban.loop import Loop
    from jitdesk.domain.kanban.status import Rule
    from jitdesk.domain.master import Line, Part, Plant, Station
    from jitdesk.services import master
    from jitdesk.services.kanban.loops import add_cards_in, save_loop_in
    from jitdesk.services.uow import transaction
    from jitdesk.storage import projections

    with transaction(db) as tx:
        plant = master.save_in(tx, Plant(code="BP", name="Bench plant"), actor=None)
        line = master.save_in(tx, Line(code="L1", name="Line 1"), actor=None)
        line_st = master.save_in(tx, Station(code="LINE-1", name="Line 1", role="line", line_id=line), actor=None)
        market = master.save_in(tx, Station(code="SM-A", name="Supermarket", role="supermarket"), actor=None)
        part = master.save_in(tx, Part(number="P-1", name="Hex bolt"), actor=None)
        loop = save_loop_in(tx, Loop(
            code="BOLT", part_id=part, supplier_kind="supermarket", supplier_location="Supermarket A",
            supplier_station_id=market, consumer_station_id=line_st, qty_per_card=10, lead_time_minutes=60,
            safety_factor=0.2, wait_rule=Rule.NOT_ALLOWED, picking_rule=Rule.OPTIONAL,
            in_transit_rule=Rule.REQUIRED, active=True), actor=None)
        ids = add_cards_in(tx, loop, cards, actor=None)
    with db.reading() as session:
        states = projections.all_states(session, PROJECTORS.get("card"))
    return plant, line_st, market, [states[i].code for i in ids]


async def measure(s: Stations, codes: list[str]) -> tuple[list[float], list[float], list[float]]:
    from jitdesk.services.kanban.queue import replenishment_queue
    from jitdesk.services.kanban.scanning import record_scan

    arrived: dict[str, float] = {}
    waiting: set[str] = set()
    checks: list[float] = []
    lookups: set[asyncio.Future[None]] = set()
    latencies: list[float] = []
    scans: list[float] = []

    clients: list[Any] = []  # (A's, B's) client once both run: B's Changes before that wait for nothing

    async def look() -> None:
        if not clients:
            return
        cb = clients[1]
        t0 = time.perf_counter()
        queue = await cb.worker.run(replenishment_queue, s.b, now_ms=time.time_ns() // 1_000_000)
        checks.append(time.perf_counter() - t0)
        now = time.perf_counter()
        for item in queue.items:
            if item.code in waiting and item.code not in arrived:
                arrived[item.code] = now

    def on_changes(_changes: Any) -> None:
        task = asyncio.ensure_future(look())
        lookups.add(task)
        task.add_done_callback(lookups.discard)

    async with running(s, on_changes, settle_s=0.5) as (ca, cb):
        clients[:] = [ca, cb]
        for code in codes:
            waiting.add(code)
            t0 = time.perf_counter()
            outcome = await ca.worker.run(record_scan, s.a, code, s.station_a)
            scans.append(time.perf_counter() - t0)
            if outcome.event_id is None:
                raise RuntimeError(f"scan refused: {outcome.message}")
            ca.kick()
            latencies.append(await arrival(arrived, code, f"card {code} in the supermarket's queue") - t0)
            await asyncio.sleep(0.02)
    return latencies, scans, checks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=100)
    parser.add_argument("--db", help="server database URL (default: an SQLite file in a temp dir)")
    args = parser.parse_args()

    def build(db: Any) -> tuple[str, str, str, list[str]]:
        return build_plant(db, args.cards)

    with stations(build, args.db, names=("line", "market")) as s:
        latencies, scans, checks = asyncio.run(measure(s, s.extra))
    ms = [x * 1000 for x in latencies]
    p50 = percentile(ms, 50)
    print(json.dumps({
        "benchmark": "propagation", "path": "record_scan at LINE-1 -> server -> replenishment_queue at SM-A",
        "cards": len(ms), "p50_ms": round(p50, 1), "p99_ms": round(percentile(ms, 99), 1),
        "max_ms": round(max(ms), 1), "mean_ms": round(statistics.fmean(ms), 1),
        "baseline_local_ms": {"scan_p50": round(statistics.median(scans) * 1000, 1),
                              "queue_query_p50": round(statistics.median(checks) * 1000, 1)},
        "ratio_p50_to_local": round(p50 / max(statistics.median(scans) * 1000
                                              + statistics.median(checks) * 1000, 0.001), 1),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "goal": {"p99_ms": 500},
    }))


if __name__ == "__main__":
    main()
