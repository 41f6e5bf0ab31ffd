"""Schedule adherence per line and shift with its CSV, and the andon rule's "behind by more than N takts"."""

from __future__ import annotations

import csv
import io

from jitdesk.domain.master import TaktLine
from jitdesk.domain.takt.link import behind
from jitdesk.services.takt.adherence import adherence, to_csv
from jitdesk.services.takt.cycles import complete_cycle
from jitdesk.services.takt.demand import set_demand
from jitdesk.services.takt.status import board
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


def test_the_andon_rule_names_lines_behind_by_more_than_n_takts(takt_plant: TaktPlant) -> None:
    for i in range(100):
        complete_cycle(takt_plant.db, takt_plant.lines["L1"], source="touch", now_ms=at(6, 0, 30) + i * 65_000)
    for i in range(118):
        complete_cycle(takt_plant.db, takt_plant.lines["L2"], source="touch", now_ms=at(6, 0, 30) + i * 60_000)
    def too_far(now_ms: int) -> list[tuple[str, float]]:
        return [(lt.code, lt.status.behind_takts) for lt in board(takt_plant.db, now_ms=now_ms).lines
                if behind(lt.status, TaktLine(lt.line_id, andon_takts=3))]

    assert too_far(at(8)) == [("L1", 20)]
    assert too_far(at(9, 15)) == []  # in the break: paused
