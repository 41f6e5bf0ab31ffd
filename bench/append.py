"""Single-event transactions through the service layer vs bare sqlite3 insert+commit, same pragmas.

Prints one JSON object: p50/p99 per event for both, and the ratio (goal: at most 3).
Run: .venv/bin/python bench/append.py [--events N]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)  # not bench/: bench/queue.py would shadow stdlib queue

from bench._common import bare_sqlite_commits, summary_ms
from jitdesk.domain.ids import new_id
from jitdesk.services.uow import transaction
from jitdesk.storage.database import open_database


def service_commits(path: Path, count: int) -> list[float]:
    db = open_database(path)
    ids = [new_id() for _ in range(count)]
    samples = []
    for i, part_id in enumerate(ids):
        payload = {"number": f"P-{i:05d}", "name": "Hex bolt M8x30", "unit": "pcs", "active": True}
        start = time.perf_counter()
        with transaction(db) as tx:
            tx.append("master.part.upserted", part_id, payload)
        samples.append(time.perf_counter() - start)
    db.close()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        # Interleave rounds so a noisy neighbour hurts both sides alike.
        bare: list[float] = []
        service: list[float] = []
        rounds = 4
        for r in range(rounds):
            bare += bare_sqlite_commits(Path(tmp) / f"bare{r}.db", args.events // rounds)
            service += service_commits(Path(tmp) / f"svc{r}.db", args.events // rounds)
    b, s = summary_ms(bare), summary_ms(service)
    print(json.dumps({
        "benchmark": "append",
        "events": len(service),
        "service": s,
        "bare_sqlite": b,
        "ratio_p50": round(s["p50_ms"] / b["p50_ms"], 2),
        "ratio_p99": round(s["p99_ms"] / b["p99_ms"], 2),
        "goal_ratio_max": 3,
    }))


if __name__ == "__main__":
    main()
