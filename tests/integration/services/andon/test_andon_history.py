"""Andon history: times to acknowledge and resolve per station and type, the reasons' Pareto, CSV, CLI."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from jitdesk.cli import main
from jitdesk.services.andon.calls import acknowledge, cancel, raise_call, resolve
from jitdesk.services.andon.history import history, to_csv
from jitdesk.storage.database import Database
from tests.helpers.andon_fixtures import AndonPlant

DAY = int(datetime(2030, 3, 4, tzinfo=UTC).timestamp() * 1000)  # after the demo's history: only ours count
MIN = 60_000


def _plant_calls(plant: AndonPlant) -> None:
    db = plant.db
    assert isinstance(db, Database)
    sup = plant.users["B-5001"]
    s1, s4 = plant.stations["L1-S1"], plant.stations["L1-S4"]
    for i, (ack, done, reason) in enumerate([(2, 10, "fixed"), (4, 6, "fixed"), (6, 30, "part_replaced")]):
        t = DAY + i * 60 * MIN
        call = raise_call(db, plant.types["MAINT"], s1, now_ms=t).call_id
        assert call is not None
        acknowledge(db, call, actor=sup, now_ms=t + ack * MIN)
        resolve(db, call, reason, actor=sup, now_ms=t + done * MIN)
    call = raise_call(db, plant.types["HELP"], s4, now_ms=DAY).call_id
    assert call is not None
    cancel(db, call, actor=sup, now_ms=DAY + MIN)
    raise_call(db, plant.types["MAT"], s4, now_ms=DAY + 5 * MIN)


def test_history_per_station_and_type(andon_plant: AndonPlant) -> None:
    _plant_calls(andon_plant)
    assert isinstance(andon_plant.db, Database)
    result = history(andon_plant.db, DAY, DAY + 24 * 60 * MIN)
    rows = {(r.station, r.call_type): r for r in result.rows}
    maint = rows[("L1-S1", "Maintenance")]
    assert (maint.calls, maint.cancelled, maint.still_open) == (3, 0, 0)
    assert (maint.ack_median_s, maint.ack_max_s) == (240.0, 360.0)
    assert (maint.resolve_median_s, maint.resolve_max_s) == (600.0, 1800.0)
    help_row = rows[("L1-S4", "Help")]
    assert (help_row.calls, help_row.cancelled, help_row.ack_median_s) == (1, 1, None)
    assert rows[("L1-S4", "Material")].still_open == 1
    assert [(r.reason, r.count, r.cumulative) for r in result.reasons] == [("fixed", 2, 0.667),
                                                                         ("part_replaced", 1, 1.0)]
    table = list(csv.reader(io.StringIO(to_csv(result))))
    assert table[0][:3] == ["station", "call_type", "calls"]
    assert ["fixed", "2", "0.667", "0.667"] in table


def test_cli_prints_the_table_and_the_csv(andon_plant: AndonPlant, capsys: pytest.CaptureFixture[str]) -> None:
    _plant_calls(andon_plant)
    assert isinstance(andon_plant.db, Database)
    path = str(Path(andon_plant.db.path))
    assert main(["andon", "history", "--db", path, "--from", "2030-03-04", "--to", "2030-03-04"]) == 0
    out = capsys.readouterr().out
    assert "L1-S1" in out and "Maintenance" in out and "4.0 min" in out and "fixed" in out
    assert main(["andon", "history", "--db", path, "--from", "2030-03-04", "--to", "2030-03-04", "--csv"]) == 0
    assert capsys.readouterr().out.startswith("station,call_type,calls")
    assert main(["andon", "history", "--db", path, "--from", "yesterday"]) == 2
