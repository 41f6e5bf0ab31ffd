"""Planned vs actual for 50 lines over a shift holding 200,000 cycle events; prints one JSON object.

The plant: 50 lines on one calendar in Europe/Berlin (Early 06:00-14:00 with two breaks), a demand per
line; the log holds 200,000 `takt.cycle.completed` events in that shift, folded into the projections by
the real rebuild (`takt_cycle` and the derived `takt_minutes`). Measured: `services.takt.status.board`
(every line's planned by now, made, efficiency: what the board and `jitdesk takt status` read) near the
shift's end. Baseline in the same run: a bare SQL count of the shift's cycles per line on the indexed
`takt_cycle` table (the least any count from the events must do).
Run: .venv/bin/python bench/takt_count.py [--events N] [--lines N] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path[0] = str(Path(__file__).resolve().parent.parent)  # not bench/: bench/queue.py would shadow stdlib queue

from bench._common import summary_ms
from jitdesk.domain.clock import pack
from jitdesk.domain.ids import uuid7
from jitdesk.domain.master import Line, Plant, ShiftCalendar
from jitdesk.domain.takt.calendar import to_ms
from jitdesk.services import master
from jitdesk.services.rebuild import rebuild_all
from jitdesk.services.takt.demand import set_in
from jitdesk.services.takt.status import board
from jitdesk.services.uow import iso_utc, transaction
from jitdesk.storage.database import open_database

BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2026, 12, 2)
SHIFT = {"name": "Early", "start": "06:00", "end": "14:00",
         "breaks": [{"start": "09:00", "end": "09:15"}, {"start": "11:30", "end": "12:00"}]}


def at(h: int, m: int = 0) -> int:
    return to_ms(datetime(DAY.year, DAY.month, DAY.day, h, m, tzinfo=BERLIN))


def build(path: Path, lines: int, events: int) -> list[str]:
    db = open_database(path)
    with transaction(db, now_ms=lambda: at(5)) as tx:
        master.save_in(tx, Plant(code="BP", name="Bench plant", timezone="Europe/Berlin"), actor=None)
        ids = [master.save_in(tx, Line(code=f"L{n:02d}", name=f"Line {n}"), actor=None) for n in range(lines)]
        master.save_in(tx, ShiftCalendar(name="One shift", shifts=(SHIFT,)), actor=None)
        for line_id in ids:
            set_in(tx, line_id, DAY, events // lines, shift="Early", actor=None)
    db.close()
    rng = random.Random(7)
    conn = sqlite3.connect(path)
    device = uuid7()
    start, end = at(6), at(14)
    times = sorted(rng.randrange(start, end) for _ in range(events))
    rows = []
    for seq, ms in enumerate(times, start=1):
        payload = json.dumps({"line_id": rng.choice(ids), "parts": 1, "source": "serial", "station_id": None},
                             separators=(",", ":"))
        rows.append((uuid7(ms), "plant", device, seq, pack(ms, 0), iso_utc(ms), "takt.cycle.completed", uuid7(ms),
                     None, payload, 1, None, None, 1))
    conn.executemany(
        "INSERT INTO events (event_id, plant_id, device_id, device_seq, hlc, wall_time, kind, entity_id,"
        " actor, payload, schema_version, server_seq, received_at, sync_state) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        rows)
    conn.commit()
    conn.close()
    return ids


def bare_count(path: Path, start: int, end: int) -> dict[str, int]:
    conn = sqlite3.connect(path)
    found = dict(conn.execute("SELECT line_id, count(*) FROM takt_cycle WHERE at_ms >= ? AND at_ms < ?"
                              " GROUP BY line_id", (start, end)).fetchall())
    conn.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--lines", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "takt.db"
        build(path, args.lines, args.events)
        db = open_database(path)
        fold_start = time.perf_counter()
        report = rebuild_all(db)
        fold_s = time.perf_counter() - fold_start
        now = at(13, 55)
        samples, bare = [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            found = board(db, now_ms=now)
            samples.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            counts = bare_count(path, at(6), now)
            bare.append(time.perf_counter() - t0)
        db.close()
    actual = sum(line.status.actual for line in found.lines)
    assert actual == sum(counts.values()), (actual, sum(counts.values()))  # the same answer, two ways
    board_ms, bare_ms = summary_ms(samples), summary_ms(bare)
    print(json.dumps({
        "benchmark": "takt_count",
        "lines": len(found.lines),
        "cycle_events": args.events,
        "events_folded": report.events,
        "rebuild_s": round(fold_s, 2),
        "board_p50_ms": board_ms["p50_ms"], "board_max_ms": board_ms["max_ms"],
        "bare_sql_count_p50_ms": bare_ms["p50_ms"],
        "ratio_to_bare_sql_count": round(board_ms["p50_ms"] / bare_ms["p50_ms"], 3),
        "parts_counted": actual,
        "planned_by_now": sum(line.status.planned for line in found.lines),
        "goal_ms_max": 50,
    }))


if __name__ == "__main__":
    main()
