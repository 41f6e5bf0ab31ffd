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

sys.path[0] = str(Path(__file__).resolve().parent.parent)  # not bench/: bench/queue.py would shadow stdlib queue

from jitdesk.domain.ids import uuid7
from jitdesk.services.rebuild import rebuild_all
from jitdesk.storage.database import open_database

DEVICES = [uuid7() for _ in range(8)]
BASE_HLC = 1_795_000_000_000 << 16
LATE_SHARE = 0.002  # share of events that arrive after newer events of their entity
CYCLE = ("kanban.card.emptied", "kanban.card.picked", "kanban.card.shipped", "kanban.card.filled")


def generate(path: Path, total: int) -> None:
    """A plant's log: parts, stations and loops (master data), cards added to the loops, and then
    mostly card moves (empty -> pick -> ship -> fill cycles) from several devices, as on a real floor;
    a few events arrive late, after newer events of their card (a device that was offline)."""
    random.seed(7)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    seqs = dict.fromkeys(DEVICES, 0)
    rows: list[tuple[object, ...]] = []
    clock = [0]

    held: list[tuple[object, ...]] = []  # events that reach this copy late (a device that was offline)

    def emit(kind: str, entity: str, payload: dict[str, object]) -> None:
        device = random.choice(DEVICES)
        seqs[device] += 1
        clock[0] += random.randint(1, 40)
        row = (uuid7(), "plant", device, seqs[device], BASE_HLC + (clock[0] << 16), "2026-11-22T05:00:00.000Z",
               kind, entity, None, json.dumps(payload, separators=(",", ":")), 1, None, None, 1)
        if random.random() < LATE_SHARE:
            held.append(row)
        else:
            rows.append(row)
        if len(rows) >= 50_000:
            rows.extend(held)  # the late ones arrive with this batch, after newer events of their entities
            held.clear()
            _insert(conn, rows)

    n_loops = max(10, total // 200)
    stations = [uuid7() for _ in range(40)]
    for i, station in enumerate(stations):
        emit("master.station.upserted", station, {"code": f"S{i:03d}", "name": f"Station {i}",
                                                  "role": "line", "line_id": None})
    parts = [uuid7() for _ in range(n_loops // 2)]
    for i, part in enumerate(parts):
        emit("master.part.upserted", part, {"number": f"P-{i:06d}", "name": f"Part {i}", "unit": "pcs"})
    cards: list[tuple[str, str]] = []
    for i in range(n_loops):
        loop_id = uuid7()
        emit("master.loop.upserted", loop_id, {
            "code": f"L{i:06d}", "part_id": random.choice(parts), "supplier_kind": "supermarket",
            "supplier_location": "SM-1", "consumer_station_id": random.choice(stations), "qty_per_card": 20,
            "lead_time_minutes": 120, "safety_factor": 0.2, "supplier_station_id": None,
            "wait_rule": "not_allowed", "picking_rule": "optional", "in_transit_rule": "required", "active": True})
        for number in range(1, random.randint(2, 6) + 1):
            card_id = uuid7()
            emit("kanban.card.added", card_id, {"loop_id": loop_id, "number": number, "code": f"K{len(cards):07d}"})
            cards.append((card_id, random.choice(stations)))
    position = dict.fromkeys((c for c, _ in cards), 0)
    while sum(seqs.values()) < total:
        card_id, station = random.choice(cards)
        step = position[card_id]
        emit(CYCLE[step], card_id, {"station_id": station})
        position[card_id] = (step + 1) % len(CYCLE)
    rows.extend(held)
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
        "entities_refolded_for_late_events": report.refolded,
        "rebuild_s": round(fold_s, 3),
        "events_per_s": round(report.events / fold_s),
        "bare_scan_s": round(scan_s, 3),
        "ratio_to_bare_scan": round(fold_s / scan_s, 2),
        "goal_events_per_s_min": 100_000,
    }))


if __name__ == "__main__":
    main()
