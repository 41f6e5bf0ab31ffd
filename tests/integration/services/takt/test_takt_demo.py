"""The demo's takt: calendars in Europe/Berlin round the clock with demand for both lines, and the
simulator completes cycles with a spread, L1 ahead of plan and L2 behind."""

from __future__ import annotations

import random
import shutil
import statistics
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from jitdesk.domain.takt.calendar import to_ms
from jitdesk.services.demo import takt as demo_takt
from jitdesk.services.takt.status import board, day_plan, line_takt
from jitdesk.services.uow import wall_clock_ms
from jitdesk.storage.database import open_database

BERLIN = ZoneInfo("Europe/Berlin")


def test_demo_lines_run_ahead_and_behind(demo_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    db = open_database(path)
    try:
        today = datetime.fromtimestamp(wall_clock_ms() / 1000, BERLIN).date()
        plan = day_plan(db, "L1", today)
        assert plan.calendar.timezone == "Europe/Berlin"
        assert [p.shift.name for p in plan.plans] == ["Early", "Late", "Night"] or today.isoformat() in (
            "2026-12-24", "2026-12-25", "2026-12-26")
        assert sum(p.demand for p in plan.plans) == 1300
        ten = to_ms(datetime.combine(today, datetime.min.time(), BERLIN) + timedelta(hours=10, minutes=40))
        demo_takt.step(db, random.Random(1), now_ms=ten)
        demo_takt.step(db, random.Random(2), now_ms=ten + 2000)
        lines = {line.code: line.status for line in board(db, now_ms=ten + 2000).lines}
        assert lines["L1"].standing == "ahead" and lines["L2"].standing == "behind"
        assert lines["L2"].plan is not None and lines["L2"].plan.parts_per_cycle == 2
        recent = line_takt(db, lines["L1"].line_id, now_ms=ten + 2000).status.recent
        spread = statistics.pstdev(c.working_ms for c in recent)
        assert len(recent) == 10 and spread > 0  # realistic: cycle times vary
    finally:
        db.close()
