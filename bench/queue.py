"""Benchmark: the replenishment queue and the kanban board's first screen on a big plant.

Builds (once per run, in a temp dir) a station database with 50,000 loops and 200,000 cards, about a
third of them in replenishment, over 500 stations on 50 lines, 200 supplier locations and 20,000
parts; the projection rows are written directly (folding 200,000 card histories is not what is
measured here). Then times, through the same service calls the views make:
* `replenishment_queue`: the first 300 cards awaiting replenishment by due time, with totals;
* `board_page`: the first 30 loops (by code), with risk assessed for those loops;
* `board_page` filtered by a line and by a part search.
Prints one JSON object; each figure's ratio is against a bare sqlite3 insert+commit measured in the
same run (bench/_common.py). Goal: p99 under 100 ms for the queue and the board's first screen.

    .venv/bin/python -m bench.queue [--loops 50000] [--cards 200000] [--runs 30]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path[0] = str(Path(__file__).resolve().parent.parent)  # not bench/: bench/queue.py would shadow stdlib queue

from bench._common import bare_sqlite_commits, summary_ms

HOUR_MS = 3_600_000


def build(path: Path, loops: int, cards: int, now_ms: int) -> dict[str, str]:
    """A migrated database filled with projection rows; returns ids for the filtered runs."""
    from jitdesk.domain.kanban.codes import card_code
    from jitdesk.storage.database import open_database

    open_database(path).close()  # migrations
    rng = random.Random(7)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    fold = (0, "bench", 0)
    lines = [f"line-{i}" for i in range(50)]
    conn.executemany("INSERT INTO line (id, code, name, active, fold_hlc, fold_device, fold_seq)"
                     " VALUES (?,?,?,1,?,?,?)", [(lid, f"L{i:02d}", f"Line {i}", *fold) for i, lid in enumerate(lines)])
    stations = [f"st-{i}" for i in range(500)]
    conn.executemany(
        "INSERT INTO station (id, code, name, role, line_id, active, fold_hlc, fold_device, fold_seq)"
        " VALUES (?,?,?,?,?,1,?,?,?)",
        [(sid, f"S{i:03d}", f"Station {i}", "line", lines[i % 50], *fold) for i, sid in enumerate(stations)])
    parts = [f"part-{i}" for i in range(20_000)]
    conn.executemany(
        "INSERT INTO part (id, number, name, unit, active, fold_hlc, fold_device, fold_seq) VALUES (?,?,?,?,1,?,?,?)",
        [(pid, f"P-{i:05d}", f"Part number {i} {rng.choice(('bolt', 'gear', 'seal', 'shaft'))}", "pcs", *fold)
         for i, pid in enumerate(parts)])
    suppliers = [f"Supplier location {i}" for i in range(200)]
    loop_rows = []
    for i in range(loops):
        loop_rows.append((f"loop-{i}", f"LP-{i:06d}", parts[i % len(parts)], "supermarket", suppliers[i % 200],
                          stations[rng.randrange(500)], rng.choice((10, 20, 50)), rng.choice((30, 60, 120, 240)),
                          0.1, None, "not_allowed", "optional", "required", 1, *fold))
    conn.executemany(
        "INSERT INTO loop (id, code, part_id, supplier_kind, supplier_location, consumer_station_id, qty_per_card,"
        " lead_time_minutes, safety_factor, supplier_station_id, wait_rule, picking_rule, in_transit_rule, active,"
        " fold_hlc, fold_device, fold_seq) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", loop_rows)
    card_rows = []
    per_loop = cards // loops
    serial = 0
    for i in range(loops):
        for n in range(1, per_loop + 1):
            serial += 1
            supply = rng.choices(("FULL", "EMPTY", "PICKING", "IN_TRANSIT"), (66, 17, 7, 10))[0]
            since = now_ms - rng.randrange(6 * HOUR_MS)
            emptied = None if supply == "FULL" else since - rng.randrange(HOUR_MS)
            admin = "ON_HOLD" if rng.random() < 0.01 else "ACTIVE"
            card_rows.append((f"card-{serial}", f"card-{serial}", f"loop-{i}", n, card_code(serial), supply, admin, 1,
                              since << 16, since, None, emptied, since, 1, "[]", 0, *fold))
    conn.executemany(
        "INSERT INTO card (id, card_id, loop_id, number, code, supply, admin, print_version, status_since_hlc,"
        " status_since_ms, status_station_id, emptied_ms, last_moved_ms, added, anomalies, anomaly_count,"
        " fold_hlc, fold_device, fold_seq) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", card_rows)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    return {"line_id": lines[3], "search": "P-0123"}


def timed(fn: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    fn()  # warm the page cache and the statement cache
    samples = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return samples, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--loops", type=int, default=50_000)
    parser.add_argument("--cards", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    from jitdesk.services.kanban.board import BoardQuery, board_page
    from jitdesk.services.kanban.queue import replenishment_queue
    from jitdesk.storage.database import open_database

    now_ms = int(time.time() * 1000)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.db"
        started = time.perf_counter()
        picks = build(path, args.loops, args.cards, now_ms)
        build_s = time.perf_counter() - started
        db = open_database(path)
        try:
            queue_s, queue = timed(lambda: replenishment_queue(db, now_ms=now_ms), args.runs)
            board_s, board = timed(lambda: board_page(db, now_ms=now_ms), args.runs)
            line_s, _ = timed(lambda: board_page(db, BoardQuery(line_id=picks["line_id"]), now_ms=now_ms), args.runs)
            search_s, _ = timed(lambda: board_page(db, BoardQuery(search=picks["search"]), now_ms=now_ms), args.runs)
        finally:
            db.close()
        baseline = bare_sqlite_commits(Path(tmp) / "bare.db", 200)
    base_ms = statistics.median(baseline) * 1000

    def figures(samples: list[float]) -> dict[str, float]:
        out = summary_ms(samples)
        out["p50_vs_bare_commit"] = round(out["p50_ms"] / base_ms, 2)
        return out

    print(json.dumps({
        "benchmark": "queue",
        "loops": args.loops, "cards": args.cards, "runs": args.runs, "build_s": round(build_s, 1),
        "queue_rows": len(queue.items), "queue_total": queue.total, "queue_late": queue.late,
        "board_rows": len(board.rows), "board_total": board.total,
        "queue": figures(queue_s),
        "board_first_screen": figures(board_s),
        "board_by_line": figures(line_s),
        "board_part_search": figures(search_s),
        "bare_commit_p50_ms": round(base_ms, 3),
        "goal_p99_ms": 100,
        "queue_meets_goal": summary_ms(queue_s)["p99_ms"] < 100,
        "board_meets_goal": summary_ms(board_s)["p99_ms"] < 100,
    }))


if __name__ == "__main__":
    main()
