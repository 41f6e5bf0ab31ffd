"""The takt board with 50 lines updating at 4 Hz for 20 s, offscreen at 1920x1080; prints one JSON object.

Each frame every line's status moves on (a few lines complete a part, the clock advances, as on a busy
floor) and the board ticks (`TaktBoardView.tick`: each line's status moved on by the domain) and paints
at once (`repaint`). Every other frame it also asks for a reload from the database, as a change
on the bus would (coalesced by the view, read on the DB worker). Measured: CPU seconds per wall second
of the whole process (all threads) and the longest frame. Baseline in the same run: the same 4 Hz loop
repainting an empty widget of the same size (what any frame costs at all).
Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/takt_board.py [--seconds S] [--lines N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path[0] = str(Path(__file__).resolve().parent.parent)  # not bench/: bench/queue.py would shadow stdlib queue

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from bench._common import summary_ms
from bench.takt_count import at, build
from jitdesk.config import Settings
from jitdesk.gui import theme
from jitdesk.gui.context import AppContext
from jitdesk.gui.takt.board import TaktBoardView
from jitdesk.services.hub import ServiceHub
from jitdesk.services.takt.status import Board
from jitdesk.storage.database import open_database

FRAME_MS = 250


async def drive(seconds: float, frame: object) -> tuple[list[float], float, float]:
    """Call `frame()` every FRAME_MS for `seconds`; (frame durations, cpu s, wall s)."""
    durations: list[float] = []
    done = asyncio.get_event_loop().create_future()
    timer = QTimer()
    timer.setInterval(FRAME_MS)
    cpu0, wall0 = time.process_time(), time.perf_counter()

    def tick() -> None:
        start = time.perf_counter()
        frame()  # type: ignore[operator]
        durations.append(time.perf_counter() - start)
        if time.perf_counter() - wall0 >= seconds and not done.done():
            timer.stop()
            done.set_result(None)

    timer.timeout.connect(tick)
    timer.start()
    await done
    return durations, time.process_time() - cpu0, time.perf_counter() - wall0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--baseline-seconds", type=float, default=10.0)
    parser.add_argument("--lines", type=int, default=50)
    args = parser.parse_args()
    app = QApplication([])
    theme.apply(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "board.db"
        build(path, args.lines, 20_000)
        hub = ServiceHub(open_database(path))
        ctx = AppContext(hub, Settings())
        clock = [at(10)]
        view = TaktBoardView(ctx, now_ms=lambda: clock[0])
        view.ticker.stop()  # the benchmark drives the frames
        view.resize(1920, 1080)
        view.show()
        rng = random.Random(3)
        frames = [0]

        def board_frame() -> None:
            clock[0] += FRAME_MS
            frames[0] += 1
            loaded = view.loaded
            if loaded is not None:
                lines = tuple(replace(lt, status=replace(lt.status, actual=lt.status.actual + (rng.random() < 0.3)))
                              for lt in loaded.lines)
                view.loaded = Board(loaded.at_ms, loaded.timezone, lines)
            if frames[0] % 2 == 0:
                view.load()
            view.tick()
            view.canvas.repaint()

        blank = QWidget()
        blank.resize(1920, 1080)
        blank.show()

        async def run() -> dict[str, object]:
            await ctx.settle()
            base, base_cpu, base_wall = await drive(args.baseline_seconds, blank.repaint)
            blank.hide()
            durations, cpu, wall = await drive(args.seconds, board_frame)
            await ctx.settle()
            frame = summary_ms(durations)
            slowest = sorted(range(len(durations)), key=lambda i: -durations[i])[:5]
            return {
                "benchmark": "takt_board",
                "lines": len(view.canvas.lines),
                "rows_on_screen": min(len(view.canvas.lines), view.canvas.rows_per_page()),
                "frames": len(durations),
                "seconds": round(wall, 2),
                "cpu_s_per_s": round(cpu / wall, 4),
                "frame_p50_ms": frame["p50_ms"], "frame_p99_ms": frame["p99_ms"], "frame_max_ms": frame["max_ms"],
                "slowest_frames": [[i, round(durations[i] * 1000, 1)] for i in slowest],
                "baseline_cpu_s_per_s": round(base_cpu / base_wall, 4),
                "baseline_frame_max_ms": summary_ms(base)["max_ms"],
                "ratio_cpu_to_baseline": round((cpu / wall) / max(base_cpu / base_wall, 1e-6), 2),
                "cap_height_px": view.canvas.cap_height(),
                "goal_cpu_s_per_s_max": 0.10, "goal_frame_ms_max": 50,
            }

        with loop:
            result = loop.run_until_complete(run())
        ctx.deleteLater()
        hub.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
