"""Benchmark: scan latency through the whole station pipeline, from a real pseudo-terminal to the screen.

1,000 card codes are written to a pty master at 50 scans per second, as a serial scanner would send
them. The app side is the real one: SerialScanner (pyserial on the pty slave, reader thread) hands
each code to the asyncio loop (qasync on a QApplication, offscreen), `ScanPipeline` runs `record_scan`
on the DB worker (one transaction: card event + projection + scan log, committed with
synchronous=FULL), and the station view's scan model shows the result. Each sample is the time from
the scan's last byte written to the model holding that scan's row (so the event is committed).

Baseline, measured in the same run: a bare sqlite3 insert+commit with the station's pragmas
(bench/_common.py). Prints one JSON object; goal: p99 under 25 ms.

    .venv/bin/python -m bench.scan_latency [--scans 1000] [--rate 50]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path[0] = str(Path(__file__).resolve().parent.parent)  # not bench/: bench/queue.py would shadow stdlib queue

from bench._common import bare_sqlite_commits, summary_ms

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("JITDESK_NO_SOUND", "1")


def make_plant(path: Path, cards: int) -> tuple[str, list[str]]:
    """A station database with one line station and `cards` FULL cards it uses; (station id, codes)."""
    from jitdesk.domain.kanban.loop import Loop
    from jitdesk.domain.master import Line, Part, Plant, Station
    from jitdesk.services import master
    from jitdesk.services.kanban.loops import add_cards_in, save_loop_in
    from jitdesk.services.station_identity import assign_in
    from jitdesk.services.uow import transaction
    from jitdesk.storage import kanban_repo
    from jitdesk.storage.database import open_database

    db = open_database(path)
    with transaction(db) as tx:
        master.save_in(tx, Plant(code="B", name="Bench plant"), actor=None)
    ids: list[str] = []
    with transaction(db) as tx:
        line = master.save_in(tx, Line(code="L1", name="Line 1"), actor=None)
        station = master.save_in(tx, Station(code="S1", name="Line station", role="line", line_id=line), actor=None)
        market = master.save_in(tx, Station(code="SM", name="Supermarket", role="supermarket"), actor=None)
        per_loop = 250
        for n in range(-(-cards // per_loop)):
            part = master.save_in(tx, Part(number=f"P-{n}", name=f"Part {n}"), actor=None)
            loop = save_loop_in(tx, Loop(code=f"LOOP-{n}", part_id=part, supplier_kind="supermarket",
                                         supplier_location="Supermarket", consumer_station_id=station,
                                         qty_per_card=10, lead_time_minutes=60, supplier_station_id=market),
                                actor=None)
            ids += add_cards_in(tx, loop, min(per_loop, cards - n * per_loop), actor=None)
        assign_in(tx, station)
    with db.reading() as session:
        found = kanban_repo.cards_by_id(session, ids)
    db.close()
    return station, [found[i].code for i in ids]


async def drive(view: Any, pipeline: Any, master_fd: int, codes: list[str], rate: float) -> list[float]:
    """Write the codes at `rate` per second; return each scan's write-to-model latency in seconds."""
    written: dict[str, float] = {}
    shown: dict[str, float] = {}

    def on_reset() -> None:
        now = time.perf_counter()
        for row in view.scans.rows[:5]:
            if row.text in written and row.text not in shown:
                shown[row.text] = now

    view.scans.modelReset.connect(on_reset)
    deadline = time.monotonic() + 20
    while pipeline.state != "connected":
        if time.monotonic() > deadline:
            raise RuntimeError("the scanner did not connect to the pty")
        await asyncio.sleep(0.01)
    interval = 1.0 / rate
    start = time.perf_counter()
    for i, code in enumerate(codes):
        delay = start + i * interval - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        os.write(master_fd, code.encode() + b"\r")
        written[code] = time.perf_counter()
    deadline = time.monotonic() + 30
    while len(shown) < len(codes) and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    view.scans.modelReset.disconnect(on_reset)
    missing = len(codes) - len(shown)
    if missing:
        raise RuntimeError(f"{missing} scans never reached the station view")
    return [shown[c] - written[c] for c in codes]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scans", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=50.0)
    args = parser.parse_args()

    import qasync
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from jitdesk.config import Settings
    from jitdesk.devices.framing import ScannerConfig
    from jitdesk.gui.context import AppContext
    from jitdesk.gui.scanning import pipeline_for
    from jitdesk.gui.views.station import StationView
    from jitdesk.services.hub import ServiceHub
    from jitdesk.storage import eventlog
    from jitdesk.storage.database import open_database

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "station.db"
        _station, codes = make_plant(path, args.scans)
        db = open_database(path)
        with db.reading() as session:
            events_before = eventlog.count(session)
        hub = ServiceHub(db)
        app = QApplication.instance() or QApplication(["bench"])
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        ctx = AppContext(hub, Settings())
        view = StationView(ctx)
        master_fd, slave_fd = os.openpty()
        pipeline = pipeline_for(ctx)
        try:
            with loop:
                pipeline.attach_devices(app, serial_config=ScannerConfig(port=os.ttyname(slave_fd)),  # type: ignore[arg-type]
                                        retry_initial_s=0.05, retry_max_s=0.2)
                samples = loop.run_until_complete(drive(view, pipeline, master_fd, codes, args.rate))
                results = [r.result for r in view.scans.rows]
        finally:
            pipeline.stop()
            os.close(master_fd)
            os.close(slave_fd)
            for obj in (view, ctx):  # delete Qt objects while the QApplication still exists
                obj.deleteLater()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            app.processEvents()
            asyncio.set_event_loop(None)
            hub.close()
            del view, ctx, pipeline
        db = open_database(path)
        with db.reading() as session:
            events_written = eventlog.count(session) - events_before
        db.close()
        baseline = bare_sqlite_commits(Path(tmp) / "bare.db", 1000)
    scan = summary_ms(samples)
    base = summary_ms(baseline)
    print(json.dumps({
        "benchmark": "scan_latency",
        "scans": args.scans, "rate_per_s": args.rate, "events_written": events_written,
        "last_results_shown": results[:3],
        "write_to_station_model": scan,
        "bare_sqlite_insert_commit": base,
        "p50_ratio_to_bare_commit": round(scan["p50_ms"] / base["p50_ms"], 2),
        "p99_ratio_to_bare_commit": round(scan["p99_ms"] / base["p99_ms"], 2),
        "bare_commit_median_ms": round(statistics.median(baseline) * 1000, 3),
        "goal_p99_ms": 25,
        "meets_goal": scan["p99_ms"] < 25,
    }), flush=True)


if __name__ == "__main__":
    main()
