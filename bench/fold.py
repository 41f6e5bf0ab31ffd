"""Rebuild every projection from a log of 1,000,000 events; prints one JSON object with events/s.

The baseline, measured in the same run, is a bare scan of the same log with the JSON payloads
decoded (what any fold must at least do); the ratio says what the fold itself costs.
Run: .venv/bin/python bench/fold.py [--events N]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jitdesk.domain.ids import uuid7
from jitdesk.services.rebuild import rebuild_all
from jitdesk.storage.database import open_database

DEVICES = [uuid7() for _ in range(8)]


def payload_for(kind: str, n: int) -> dict[str, object]:
    if kind == "master.part.upserted":
        return {"number": f"P-{n:06d}", "name": f"Part {n} rev {random.randint(1, 9)}", "unit": "pcs",
                "active": True}
    if kind == "master.station.upserted":
        return {"code": f"S-{n:06d}", "name": f"Station {n}", "role": "line", "line_id": None, "active": True}
    return {"code": f"L-{n:06d}", "name": f"Line {n}", "active": random.random() > 0.1}


def generate(path: Path, total: int) -> None:
    """A realistic mix: many entities, several events each, from several devices."""
    random.seed(7)
    kinds = ["master.part.upserted"] * 6 + ["master.station.upserted"] * 3 + ["master.line.upserted"]
    entities = max(1, total // 10)
    entity_ids = [uuid7(1_700_000_000_000 + i) for i in range(entities)]
    entity_kind = [random.choice(kinds) for _ in range(entities)]
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    seqs = dict.fromkeys(DEVICES, 0)
    rows = []
    base = 1_795_000_000_000 << 16
    for i in range(total):
        e = random.randrange(entities)
        device = random.choice(DEVICES)
        seqs[device] += 1
        kind = entity_kind[e]
        rows.append((uuid7(), "plant", device, seqs[device], base + i * 7, "2026-11-22T05:00:00.000Z", kind,
                     entity_ids[e], None, json.dumps(payload_for(kind, e), separators=(",", ":")), 1, i + 1,
                     None, 1))
        if len(rows) == 50_000:
            _insert(conn, rows)
    _insert(conn, rows)
    conn.close()


def _insert(conn: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    conn.executemany(
        "INSERT INTO events (event_id, plant_id, device_id, device_seq, hlc, wall_time, kind, entity_id,"
        " actor, payload, schema_version, server_seq, received_at, sync_state)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    conn.commit()
    rows.clear()


def bare_scan(path: Path) -> float:
    conn = sqlite3.connect(path)
    start = time.perf_counter()
    sql = "SELECT event_id, entity_id, kind, hlc, device_id, device_seq, payload FROM events"
    for row in conn.execute(sql):
        json.loads(row[6])
    conn.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fold.db"
        open_database(path).close()
        generate(path, args.events)
        scan_s = bare_scan(path)
        db = open_database(path)
        start = time.perf_counter()
        report = rebuild_all(db)
        fold_s = time.perf_counter() - start
        db.close()
    print(json.dumps({
        "benchmark": "fold",
        "events": report.events,
        "entities": report.entities,
        "rebuild_s": round(fold_s, 3),
        "events_per_s": round(report.events / fold_s),
        "bare_scan_s": round(scan_s, 3),
        "ratio_to_bare_scan": round(fold_s / scan_s, 2),
        "goal_events_per_s_min": 100_000,
    }))


if __name__ == "__main__":
    main()
