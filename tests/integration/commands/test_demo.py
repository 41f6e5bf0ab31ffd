"""`jitdesk demo --setup-only` builds the whole demo plant once; sections and simulators plug in."""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from jitdesk.domain.master import CallType, Line, Part, ShiftCalendar, Station, User
from jitdesk.services import demo, master, station_identity
from jitdesk.services.demo import DemoContext, ensure_demo
from jitdesk.services.demo.simulate import run_simulation
from jitdesk.services.hub import ServiceHub
from jitdesk.storage import eventlog
from jitdesk.storage.database import Database, open_database
from tests.helpers.paths import REPO_ROOT

ROOT = REPO_ROOT


def _jitdesk(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "jitdesk", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def _counts(path: Path) -> dict[str, int]:
    db = open_database(path)
    try:
        with db.reading() as session:
            events = eventlog.count(session)
        counts = {t.__name__: len(master.records(db, t))
                  for t in (Line, Station, Part, CallType, ShiftCalendar, User)}
        roles = {r.value.role for r in master.records(db, Station)}
        user_roles = {r.value.role for r in master.records(db, User)}
        ident = station_identity.current(db)
    finally:
        db.close()
    counts.update(events=events, station_roles=len(roles), user_roles=len(user_roles))
    assert ident.station_role == "line" and ident.plant_name
    return counts


def test_setup_only_creates_the_plant_once(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "demo.db"
    first = _jitdesk("demo", "--setup-only", "--db", str(path))
    assert first.returncode == 0, first.stderr
    assert "created" in first.stdout and "B-9001" in first.stdout and "9001" in first.stdout
    counts = _counts(path)
    assert counts["Line"] == 2 and counts["Station"] >= 8 and counts["Part"] >= 40
    # five call types of demo.master, TAKT ("Behind takt") of demo.takt
    assert counts["CallType"] == 6 and counts["ShiftCalendar"] >= 1 and counts["User"] >= 3
    assert counts["station_roles"] == 4 and counts["user_roles"] == 3
    again = _jitdesk("demo", "--setup-only", "--db", str(path))
    assert again.returncode == 0, again.stderr
    assert "already present" in again.stdout
    assert _counts(path) == counts  # nothing appended twice


def test_calendar_and_call_types_are_realistic(db: Database) -> None:
    ensure_demo(db)
    calendar = master.records(db, ShiftCalendar)[0].value
    assert len(calendar.shifts) == 2 and all(shift["breaks"] for shift in calendar.shifts)
    names = {r.value.name.lower() for r in master.records(db, CallType)}
    assert names == {"material", "quality", "maintenance", "safety", "help", "behind takt"}
    assert all(r.value.escalate_minutes and r.value.color.startswith("#") for r in master.records(db, CallType))


@pytest.fixture
def extra_section() -> Iterator[list[DemoContext]]:
    calls: list[DemoContext] = []
    demo.demo_section("test-extra")(lambda _db, context: calls.append(context))
    yield calls
    demo.DEMO_SECTIONS[:] = [s for s in demo.DEMO_SECTIONS if s[0] != "test-extra"]


def test_a_section_added_later_runs_once_on_an_existing_demo(db: Database, extra_section: list[DemoContext]) -> None:
    assert ensure_demo(db) is True
    assert len(extra_section) == 1
    context = extra_section[0]
    assert set(context.lines) == {"L1", "L2"} and "L1-S1" in context.stations and context.admin_id
    assert context.station_lines["L1-S1"] == "L1" and context.station_roles["SM-N"] == "supermarket"
    assert ensure_demo(db) is False and len(extra_section) == 1
    assert context.rng("x").random() == DemoContext().rng("x").random()  # seeded: same everywhere


def test_simulation_runs_registered_steps_through_the_hub(db: Database) -> None:
    ensure_demo(db)
    hub = ServiceHub(db)
    seen: list[tuple[str, object]] = []

    async def step(h: ServiceHub, rng: random.Random) -> int:
        return await h.run(lambda d: len(master.records(d, Part))) + rng.randint(0, 0)

    demo.simulator("test-count", every_seconds=0.01)(step)

    async def main() -> None:
        task = asyncio.ensure_future(run_simulation(hub, speed=10, on_step=lambda n, r: seen.append((n, r))))
        while len(seen) < 3:
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    try:
        asyncio.run(main())
    finally:
        demo.SIMULATORS[:] = [s for s in demo.SIMULATORS if s.name != "test-count"]
        hub.worker.shutdown()
    assert seen[0] == ("test-count", 50)
