"""Start-up time: process start to the first painted main window, on the demo database.

Each run starts `python -m jitdesk demo --db DEMO` with JITDESK_STARTUP_PROBE set: the app writes
the time of the main window's first paint event to a file and quits. The baseline, measured in the
same run and interleaved with it, is a bare `python -c` that imports PySide6.QtWidgets and paints
one QLabel the same way. Prints one JSON object; the goal is a p50 under 1.5 s.

    python bench/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_S = 1.5

BASELINE = """
import os, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
class Probe(QLabel):
    painted = False
    def paintEvent(self, event):
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            with open(os.environ["JITDESK_STARTUP_PROBE"], "a") as out:
                out.write(f"first_paint {time.time():.6f}\\n")
            QTimer.singleShot(0, app.quit)
label = Probe("jitdesk")
label.resize(1280, 800)
label.show()
app.exec()
"""


def _env(base: Path, probe: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen" if not env.get("DISPLAY") else env.get("QT_QPA_PLATFORM", ""))
    if not env["QT_QPA_PLATFORM"]:
        del env["QT_QPA_PLATFORM"]
    env.update(JITDESK_STARTUP_PROBE=str(probe), JITDESK_DATA_DIR=str(base / "data"),
               JITDESK_CONFIG_DIR=str(base / "config"), JITDESK_LOG_DIR=str(base / "log"))
    return env


def _measure(cmd: list[str], base: Path) -> float:
    probe = base / "probe.txt"
    probe.unlink(missing_ok=True)
    start = time.time()
    done = subprocess.run(cmd, cwd=ROOT, env=_env(base, probe), capture_output=True, text=True, timeout=120)
    if done.returncode != 0 or not probe.exists():
        raise SystemExit(f"start-up run failed ({done.returncode}): {cmd}\n{done.stderr[-2000:]}")
    painted = float(probe.read_text().split()[1])
    return painted - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jitdesk-bench-") as tmp:
        base = Path(tmp)
        demo_db = base / "demo.db"
        subprocess.run([sys.executable, "-m", "jitdesk", "demo", "--setup-only", "--db", str(demo_db)],
                       cwd=ROOT, env=_env(base, base / "unused"), check=True, capture_output=True)
        app_cmd = [sys.executable, "-m", "jitdesk", "demo", "--db", str(demo_db)]
        base_cmd = [sys.executable, "-c", BASELINE]
        _measure(app_cmd, base)  # warm the OS file cache once; not counted
        _measure(base_cmd, base)
        app, bare = [], []
        for _ in range(args.runs):
            app.append(_measure(app_cmd, base))
            bare.append(_measure(base_cmd, base))
    app_p50, bare_p50 = statistics.median(app), statistics.median(bare)
    print(json.dumps({
        "benchmark": "startup_to_first_paint",
        "runs": args.runs,
        "platform": os.environ.get("QT_QPA_PLATFORM") or ("offscreen" if not os.environ.get("DISPLAY") else "xcb"),
        "app_p50_s": round(app_p50, 3),
        "app_max_s": round(max(app), 3),
        "baseline_p50_s": round(bare_p50, 3),
        "baseline_max_s": round(max(bare), 3),
        "ratio_p50": round(app_p50 / bare_p50, 2),
        "goal_s": GOAL_S,
        "meets_goal": app_p50 < GOAL_S,
    }))


if __name__ == "__main__":
    main()
