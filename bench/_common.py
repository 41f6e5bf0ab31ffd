"""Shared bits for benchmarks: percentiles, a temp dir, and the bare-sqlite3 baseline."""

from __future__ import annotations

import json
import sqlite3
import statistics
import time
from pathlib import Path


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(samples_s: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in samples_s]
    return {
        "p50_ms": round(percentile(ms, 50), 3),
        "p99_ms": round(percentile(ms, 99), 3),
        "mean_ms": round(statistics.fmean(ms), 3),
        "max_ms": round(max(ms), 3),
    }


def bare_sqlite_commits(path: Path, count: int) -> list[float]:
    """Insert+commit of one event-sized row at a time, with the station's pragmas (the floor)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=10000"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, event_id TEXT UNIQUE, entity_id TEXT,"
        " hlc INTEGER, kind TEXT, payload TEXT)"
    )
    samples = []
    payload = '{"name":"Hex bolt M8x30","number":"P-00001","unit":"pcs","active":true}'
    for i in range(count):
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO t (event_id, entity_id, hlc, kind, payload) VALUES (?, ?, ?, ?, ?)",
            (f"e{i}-{time.time_ns()}", f"x{i}", i, "master.part.upserted", payload),
        )
        conn.execute("COMMIT")
        samples.append(time.perf_counter() - start)
    conn.close()
    return samples


def load_server(log_path: Path, db_url: str, order: str = "id") -> int:
    """Copy a generated log (bench/fold.py) into a server database through the trusted (hub) insert path,
    in `order` ("id": as made; "hlc": clock order)."""
    from jitdesk.domain.events import Event
    from jitdesk.sync.server.store import ServerStore

    store = ServerStore(db_url)
    conn = sqlite3.connect(log_path)
    total = 0
    try:
        cursor = conn.execute("SELECT event_id, plant_id, device_id, device_seq, hlc, wall_time, kind, entity_id,"
                              f" actor, payload, schema_version FROM events ORDER BY {order}")
        while chunk := cursor.fetchmany(1000):
            batch = [Event(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], json.loads(r[9]), r[10])
                     for r in chunk]
            total += len(store.insert_trusted(batch))
    finally:
        conn.close()
        store.close()
    return total
