"""Live propagation: a card emptied by a scan at a line station, until it shows in the supermarket
station's replenishment queue, through a real server process (long-poll, no polling interval).

    .venv/bin/python bench/propagation.py [--cards 100] [--db URL]

Both stations run the real sync client (`SyncClient.run`) in one asyncio loop; station A scans with
`record_scan` and kicks its client, station B reloads `replenishment_queue` on each Changes its client
reports. Prints ONE JSON object with p50/p99/max in ms and, as a same-run baseline, the cost of the
two local steps alone (the scan transaction and the queue query). Goal: p99 under 500 ms.
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


async def measure(a: Any, b: Any, url: str, tokens: tuple[str, str], line_st: str, codes: list[str]
                  ) -> tuple[list[float], list[float], list[float]]:
    from jitdesk.services.kanban.queue import replenishment_queue
    from jitdesk.services.kanban.scanning import record_scan
    from jitdesk.sync.client import SyncClient

    arrived: dict[str, float] = {}
    waiting: set[str] = set()
    checks: list[float] = []

    cb: SyncClient

    lookups: set[asyncio.Future[None]] = set()

    def on_changes(_changes: Any) -> None:
        task = asyncio.ensure_future(look())
        lookups.add(task)
        task.add_done_callback(lookups.discard)

    async def look() -> None:
        t0 = time.perf_counter()
        queue = await cb.worker.run(replenishment_queue, b, now_ms=time.time_ns() // 1_000_000)
        checks.append(time.perf_counter() - t0)
        now = time.perf_counter()
        for item in queue.items:
            if item.code in waiting and item.code not in arrived:
                arrived[item.code] = now

    ca = SyncClient(a, url, tokens[0], long_poll_s=20)
    cb = SyncClient(b, url, tokens[1], long_poll_s=20, on_changes=on_changes)
    tasks = [asyncio.ensure_future(ca.run()), asyncio.ensure_future(cb.run())]
    latencies: list[float] = []
    scans: list[float] = []
    try:
        while not (ca.status.state == cb.status.state == "online"):
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)
        for code in codes:
            waiting.add(code)
            t0 = time.perf_counter()
            outcome = await ca.worker.run(record_scan, a, code, line_st)
            scans.append(time.perf_counter() - t0)
            if outcome.event_id is None:
                raise RuntimeError(f"scan refused: {outcome.message}")
            ca.kick()
            deadline = time.perf_counter() + 10
            while code not in arrived:
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"card {code} never reached the supermarket's queue")
                await asyncio.sleep(0.001)
            latencies.append(arrived[code] - t0)
            await asyncio.sleep(0.02)
    finally:
        ca.stop()
        cb.stop()
        await asyncio.gather(*tasks)
        await ca.close()
        await cb.close()
    return latencies, scans, checks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=100)
    parser.add_argument("--db", help="server database URL (default: an SQLite file in a temp dir)")
    args = parser.parse_args()
    from jitdesk.services import station_identity
    from jitdesk.storage.database import open_database
    from jitdesk.sync.client import SyncClient
    from jitdesk.sync.server.store import ServerStore

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        admin, a, b = (open_database(work / f"{n}.db") for n in ("admin", "line", "market"))
        plant, line_st, market, codes = build_plant(admin, args.cards)
        server_db = args.db or str(work / "server.db")
        store = ServerStore(server_db)
        t_admin = store.create_token(plant, "office", "admin")[1]
        t_a, t_b = store.create_token(plant, "line-1", "station")[1], store.create_token(plant, "sm-a", "station")[1]
        store.close()
        port = free_port()
        proc = subprocess.Popen([sys.executable, "-m", "jitdesk", "server", "--db", server_db, "--port", str(port),
                                 "--log-level", "warning"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
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
            station_identity.assign(a, line_st, actor=None)
            station_identity.assign(b, market, actor=None)
            latencies, scans, checks = asyncio.run(measure(a, b, url, (t_a, t_b), line_st, codes))
        finally:
            proc.terminate()
            proc.wait(10)
            for db in (admin, a, b):
                db.close()
    ms = sorted(x * 1000 for x in latencies)

    def pct(values: list[float], p: float) -> float:
        return round(values[min(len(values) - 1, int(p / 100 * len(values)))], 1)

    print(json.dumps({
        "benchmark": "propagation", "path": "record_scan at LINE-1 -> server -> replenishment_queue at SM-A",
        "cards": len(ms), "p50_ms": pct(ms, 50), "p99_ms": pct(ms, 99), "max_ms": round(ms[-1], 1),
        "mean_ms": round(statistics.fmean(ms), 1),
        "baseline_local_ms": {"scan_p50": round(statistics.median(scans) * 1000, 1),
                              "queue_query_p50": round(statistics.median(checks) * 1000, 1)},
        "ratio_p50_to_local": round(pct(ms, 50) / max(statistics.median(scans) * 1000
                                                      + statistics.median(checks) * 1000, 0.001), 1),
        "goal": {"p99_ms": 500},
    }))


if __name__ == "__main__":
    main()
