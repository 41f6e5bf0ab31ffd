"""`jitdesk takt plan|status|adherence|demand` as a user runs them (a real process on a real file)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jitdesk.services.takt.cycles import complete_cycle
from jitdesk.storage.database import open_database
from tests.helpers.paths import REPO_ROOT
from tests.helpers.takt_plant import build_takt_plant


def _jitdesk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jitdesk", *args], cwd=REPO_ROOT, env=dict(os.environ),
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def plant_file(tmp_path: Path) -> Path:
    path = tmp_path / "takt.db"
    db = open_database(path)
    plant = build_takt_plant(db)
    from tests.helpers.takt_plant import at

    for i in range(100):
        complete_cycle(db, plant.lines["L1"], source="touch", now_ms=at(6, 0, 30) + i * 65_000)
    db.close()
    return path


def test_plan_json_has_shifts_breaks_demand_takt_and_hours(plant_file: Path) -> None:
    done = _jitdesk("takt", "plan", "--line", "L1", "--date", "2026-12-02", "--json", "--db", str(plant_file))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["timezone"] == "Europe/Berlin" and [s["name"] for s in data["shifts"]] == ["Early", "Late"]
    early = data["shifts"][0]
    assert early["start"] == "2026-12-02T06:00+01:00" and early["working_minutes"] == 450
    assert early["breaks"] == [{"start": "2026-12-02T09:00+01:00", "end": "2026-12-02T09:30+01:00",
                                "kind": "break", "minutes": 30}]
    assert early["demand"] == 450 and early["takt_seconds"] == 60.0
    assert [h["planned"] for h in early["planned_per_hour"]][:4] == [60.0, 60.0, 60.0, 30.0]
    assert data["shifts"][1]["demand"] == 0 and data["shifts"][1]["takt_seconds"] is None


def test_plan_in_words(plant_file: Path) -> None:
    done = _jitdesk("takt", "plan", "--line", "l1", "--date", "2026-12-02", "--db", str(plant_file))
    assert done.returncode == 0, done.stderr
    assert "Early  06:00-14:00  working 450 min of 480  demand 450  takt 60.0 s per part" in done.stdout
    assert "break  09:00-09:30  30 min" in done.stdout


def test_status_at_a_time(plant_file: Path) -> None:
    done = _jitdesk("takt", "status", "--json", "--at", "2026-12-02T08:00+01:00", "--db", str(plant_file))
    assert done.returncode == 0, done.stderr
    lines = {x["line"]: x for x in json.loads(done.stdout)["lines"]}
    assert (lines["L1"]["planned"], lines["L1"]["actual"], lines["L1"]["efficiency"]) == (120, 100, 0.8333)
    assert lines["L2"]["actual"] == 0 and lines["L2"]["standing"] == "behind"
    assert (lines["L1"]["andon_link"], lines["L1"]["andon_after_takts"], lines["L1"]["andon_due"]) == (False, 3, False)
    words = _jitdesk("takt", "status", "--at", "2026-12-02T08:00+01:00", "--db", str(plant_file))
    assert "L1       2026-12-02/Early   running       120    100    83%    -20  behind" in words.stdout


def test_demand_by_hand_and_csv_then_adherence(plant_file: Path, tmp_path: Path) -> None:
    assert _jitdesk("takt", "demand", "--line", "L2", "--date", "2026-12-02", "--quantity", "900", "--shift",
                    "Early", "--db", str(plant_file)).returncode == 0
    csv_file = tmp_path / "demand.csv"
    csv_file.write_text("line,date,quantity,shift\nL1,2026-12-02,480,Late\n", encoding="utf-8")
    done = _jitdesk("takt", "demand", "--csv", str(csv_file), "--db", str(plant_file))
    assert done.returncode == 0 and "1 demand row(s) imported" in done.stdout
    plan = json.loads(_jitdesk("takt", "plan", "--line", "L2", "--date", "2026-12-02", "--json", "--db",
                               str(plant_file)).stdout)
    assert plan["shifts"][0]["takt_seconds"] == 30.0
    out = tmp_path / "adherence.csv"
    done = _jitdesk("takt", "adherence", "--from", "2026-12-02", "--to", "2026-12-02", "--out", str(out),
                    "--at", "2026-12-03T00:00+01:00", "--db", str(plant_file))
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("line,date,shift,start,end,demand,planned,made")
    assert "L1,2026-12-02,Early,2026-12-02T06:00+01:00,2026-12-02T14:00+01:00,450,450,100,22.2,22.2" in text


def test_unknown_line_and_bad_date_are_plain_words(plant_file: Path) -> None:
    done = _jitdesk("takt", "plan", "--line", "L9", "--date", "2026-12-02", "--db", str(plant_file))
    assert done.returncode == 2 and "No line has the code 'L9'" in done.stderr
    done = _jitdesk("takt", "plan", "--line", "L1", "--date", "2.12.2026", "--db", str(plant_file))
    assert done.returncode == 2 and "--date must be a date like 2026-12-02" in done.stderr


def test_demand_csv_with_bad_rows_imports_the_good_and_names_the_bad(plant_file: Path, tmp_path: Path) -> None:
    csv_file = tmp_path / "mixed.csv"
    csv_file.write_text("line,date,quantity\nL1,2026-12-04,300\nL1,4.12.2026,300\nL2,2026-12-04,-5\n",
                        encoding="utf-8")
    done = _jitdesk("takt", "demand", "--csv", str(csv_file), "--db", str(plant_file))
    assert done.returncode == 1 and "1 demand row(s) imported" in done.stdout
    assert done.stderr.splitlines() == [
        f"{csv_file} line 3: '4.12.2026' is not a date like 2026-12-02: left out",
        f"{csv_file} line 4: the quantity '-5' is not a whole number from 0 to 10000000: left out",
    ]
    plan = json.loads(_jitdesk("takt", "plan", "--line", "L1", "--date", "2026-12-04", "--json", "--db",
                               str(plant_file)).stdout)
    assert sum(s["demand"] for s in plan["shifts"]) == 300
