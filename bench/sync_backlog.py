"""A plant's backlog caught up end to end: 1.3M events (50 stations, 3 shifts, 3 days offline) on a
real server, pulled and folded by a fresh station over loopback, in seconds.

    .venv/bin/python bench/sync_backlog.py [--events 1300000] [--backend sqlite|postgres]

Same set-up as bench/sync_pull.py (bench/fold.py's plant), at backlog size; the baseline in the same
run is a local rebuild of the station's log once it has caught up. Prints ONE JSON object; goal:
the whole backlog in under 120 s.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse
import json
import os
from typing import Any

from bench.sync_pull import measure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_300_000)
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    out: dict[str, Any] = {"benchmark": "sync_backlog", "events": args.events, "backend": args.backend,
                           "goal_s": 120}
    out["load_average_before"] = round(os.getloadavg()[0], 2)
    figures = measure(args.events, args.backend)
    out["load_average_after"] = round(os.getloadavg()[0], 2)
    out.update(figures)
    if "pull_fold_s" in figures:
        out["backlog_s"] = figures["pull_fold_s"]
        out["projected_1_3m_s"] = round(figures["pull_fold_s"] * 1_300_000 / max(1, figures["station_holds"]))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
