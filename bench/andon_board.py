"""The andon board under load: 500 stations, 100 open calls, ticking (timers, flashing) for 20 s in TV mode
at 1920x1080, offscreen.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/andon_board.py [--seconds 20]

Prints ONE JSON object: CPU seconds per wall second while ticking, the longest paint (the first paint
and the page turns, which paint a whole page, included) and the median, peak memory, the load average;
and as the same-run baseline, the paint of the same-size window holding one plain widget
(frame_ratio = longest board paint / baseline paint).
Goal: < 0.10 CPU s/s, no frame > 50 ms, < 300 MB.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]  # bench/queue.py shadows stdlib
sys.path.insert(0, str(_HERE.parent))

import argparse
import json
import os
import resource
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtGui import QPaintEvent
    from PySide6.QtWidgets import QApplication, QLabel

    from bench._common import percentile
    from jitdesk.gui import theme
    from jitdesk.gui.andon.board import BoardCanvas
    from jitdesk.gui.andon.model import BoardModel
    from jitdesk.gui.andon.view import TvBoard
    from jitdesk.services.andon.sample import sample_board
    from jitdesk.services.uow import wall_clock_ms

    app = QApplication(sys.argv)
    theme.apply(app)
    frames: list[float] = []
    whole: list[float] = []  # paints of a whole page (page turns)
    original = BoardCanvas.paintEvent

    def timed(self: BoardCanvas, event: QPaintEvent) -> None:
        start = time.perf_counter()
        original(self, event)
        frames.append(time.perf_counter() - start)
        if event.rect().size() == self.size():
            whole.append(frames[-1])

    BoardCanvas.paintEvent = timed  # type: ignore[method-assign]

    # baseline: painting a same-size window of one plain label
    plain = QLabel("baseline")
    plain.resize(1920, 1080)
    plain.show()
    base = []
    for _ in range(20):
        start = time.perf_counter()
        plain.repaint()
        app.processEvents()
        base.append(time.perf_counter() - start)
    plain.close()

    model = BoardModel()
    model.set_board(sample_board(25, 20, 100, wall_clock_ms(), bottleneck_every=7))
    tv = TvBoard(model)
    tv.resize(1920, 1080)
    tv.show()
    tv.board.refresh()
    app.processEvents()
    first = frames[0] if frames else 0.0  # fonts and glyphs made on first use: before the ticking starts
    frames.clear()
    whole.clear()
    pages = tv.board.canvas.relayout().page_count
    loop = QEventLoop()
    QTimer.singleShot(int(args.seconds * 1000), loop.quit)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    loop.exec()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    longest = max([*frames, first])
    base_ms = percentile(base, 50) * 1000
    print(json.dumps({
        "stations": len(model.stations), "open_calls": model.open_count, "pages": pages,
        "seconds": round(wall, 2), "frames": len(frames),
        "cpu_s_per_s": round(cpu / wall, 4), "longest_frame_ms": round(longest * 1000, 2),
        "p50_frame_ms": round(percentile(frames, 50) * 1000, 2) if frames else 0.0,
        "first_frame_ms": round(first * 1000, 2),
        "page_turns": len(whole), "longest_page_turn_ms": round(max(whole, default=0.0) * 1000, 2),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "peak_rss_mb": round(peak_mb, 1), "baseline_plain_paint_ms": round(base_ms, 3),
        "frame_ratio": round(longest * 1000 / base_ms, 1) if base_ms else None,
        "goals": {"cpu_s_per_s": 0.10, "longest_frame_ms": 50, "peak_rss_mb": 300},
    }))
    tv.close()


if __name__ == "__main__":
    main()
