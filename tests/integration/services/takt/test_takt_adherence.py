"""Schedule adherence per line and shift with its CSV, and the andon link's "behind by N takts"."""

from __future__ import annotations

import csv
import io

from jitdesk.services.takt.adherence import adherence, to_csv
from jitdesk.services.takt.andon_link import behind_lines
from jitdesk.services.takt.cycles import complete_cycle
from jitdesk.services.takt.demand import set_demand
from tests.helpers.takt_plant import DAY, TaktPlant, at


def test_adherence_per_line_and_shift_exports_as_csv(takt_plant: TaktPlant) -> None:
    set_demand(takt_plant.db, takt_plant.lines["L1"], DAY, 480, shift="Late", actor=None)
    for i in range(400):
        complete_cycle(takt_plant.db, takt_plant.lines["L1"], source="touch", now_ms=at(6, 1) + i * 66_000)
    for i in range(470):
        complete_cycle(takt_plant.db, takt_plant.lines["L2"], source="touch", now_ms=at(6, 1) + i * 55_000)
    rows = adherence(takt_plant.db, DAY, DAY, now_ms=at(16))
    found = {(r.line, r.shift): r for r in rows}
    assert set(found) == {("L1", "Early"), ("L1", "Late"), ("L2", "Early")}
    early = found[("L1", "Early")]
    assert (early.demand, early.planned, early.made) == (450, 450, 400)
    assert early.adherence is not None and round(early.adherence, 3) == 0.889
    l2 = found[("L2", "Early")]
    assert l2.made == 470 and l2.adherence == 1.0 and l2.efficiency is not None and l2.efficiency > 1
    late = found[("L1", "Late")]
    assert late.planned == 120 and late.made == 0  # two hours into the Late shift
    table = list(csv.DictReader(io.StringIO(to_csv(rows))))
    assert table[0]["line"] == "L1" and table[0]["start"] == "2026-12-02T06:00+01:00"
    assert table[0]["adherence_percent"] == "88.9"


def test_the_andon_hook_names_lines_behind_by_more_than_n_takts(takt_plant: TaktPlant) -> None:
    for i in range(100):
        complete_cycle(takt_plant.db, takt_plant.lines["L1"], source="touch", now_ms=at(6, 0, 30) + i * 65_000)
    for i in range(118):
        complete_cycle(takt_plant.db, takt_plant.lines["L2"], source="touch", now_ms=at(6, 0, 30) + i * 60_000)
    behind = behind_lines(takt_plant.db, now_ms=at(8), threshold_takts=3)
    assert [(b.line_id, b.takts, b.shift_key) for b in behind] == [(takt_plant.lines["L1"], 20, "2026-12-02/Early")]
    assert behind_lines(takt_plant.db, now_ms=at(9, 15), threshold_takts=3) == []  # in the break: paused
