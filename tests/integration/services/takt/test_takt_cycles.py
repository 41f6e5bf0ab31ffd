"""Cycles through the unit of work: counts come from the derived projection, offline completions land
in their own shift when they arrive, a bounce is not counted twice, demand edits and CSV imports."""

from __future__ import annotations

import pytest

from jitdesk.domain.errors import BadInput
from jitdesk.domain.takt.cycle import COMPLETED
from jitdesk.services.rebuild import rebuild_all
from jitdesk.services.takt.cycles import complete_by_code, complete_cycle
from jitdesk.services.takt.demand import import_csv, set_demand
from jitdesk.services.takt.status import board, day_plan, line_takt
from jitdesk.services.uow import transaction
from jitdesk.storage.projections import raw
from tests.helpers.kanban_events import event
from tests.helpers.takt_plant import DAY, TaktPlant, at


def _complete(plant: TaktPlant, code: str, times: list[int]) -> None:
    for t in times:
        assert complete_cycle(plant.db, plant.lines[code], source="touch", now_ms=t).recorded


def test_completions_count_in_their_shift_and_the_board_says_so(takt_plant: TaktPlant) -> None:
    _complete(takt_plant, "L1", [at(6, 0, 30) + i * 65_000 for i in range(100)])
    _complete(takt_plant, "L2", [at(6, 0, 30) + i * 50_000 for i in range(140)])
    _complete(takt_plant, "L1", [at(5, 30)])  # before the shift: counts in none
    found = {lt.code: lt.status for lt in board(takt_plant.db, now_ms=at(8)).lines}
    assert found["L1"].planned == 120 and found["L1"].actual == 100 and found["L1"].standing == "behind"
    assert found["L2"].actual == 140 and found["L2"].ahead == 20 and found["L2"].standing == "ahead"
    station = line_takt(takt_plant.db, takt_plant.lines["L1"], now_ms=at(8))
    assert len(station.status.recent) == 10 and station.status.recent[-1].working_ms == 65_000


def test_a_double_touch_is_not_counted_twice(takt_plant: TaktPlant) -> None:
    first = complete_cycle(takt_plant.db, takt_plant.lines["L1"], source="touch", now_ms=at(7))
    again = complete_cycle(takt_plant.db, takt_plant.lines["L1"], source="serial", now_ms=at(7) + 300)
    assert first.recorded and not again.recorded and again.note.code == "takt.double"
    assert line_takt(takt_plant.db, takt_plant.lines["L1"], now_ms=at(8)).status.actual == 1


def test_a_cycle_barcode_names_its_line(takt_plant: TaktPlant) -> None:
    outcome = complete_by_code(takt_plant.db, "TAKT:l2", source="scan", now_ms=at(7))
    assert outcome.recorded and outcome.note.params["line"] == "L2"
    with pytest.raises(BadInput, match="No line has the code 'L9'"):
        complete_by_code(takt_plant.db, "TAKT:L9", source="scan", now_ms=at(7))


def test_offline_completion_arriving_late_lands_in_its_own_shift(takt_plant: TaktPlant) -> None:
    line = takt_plant.lines["L1"]
    _complete(takt_plant, "L1", [at(15)])  # Late shift, on this station
    late = event(COMPLETED, {"line_id": line, "parts": 1, "source": "serial", "station_id": None},
                 ms=at(13, 59), entity_id="offline-cycle-1", device="station-offline", seq=1)
    with transaction(takt_plant.db, now_ms=lambda: at(16)) as tx:  # arrives at 16:00, in the Late shift
        assert tx.ingest(late)
    early = line_takt(takt_plant.db, line, now_ms=at(13, 59, 30)).status
    later = line_takt(takt_plant.db, line, now_ms=at(16)).status
    assert early.actual == 1 and later.actual == 1


def test_counts_rebuilt_from_events_equal_the_kept_ones(takt_plant: TaktPlant) -> None:
    _complete(takt_plant, "L1", [at(6, 1) + i * 61_000 for i in range(30)])
    before = _minutes(takt_plant)
    rebuild_all(takt_plant.db)
    assert _minutes(takt_plant) == before and before


def _minutes(plant: TaktPlant) -> list[tuple[object, ...]]:
    with plant.db.reading() as session:
        return [tuple(r) for r in raw(session).execute(
            'SELECT id, cycles, total, parts, members FROM takt_minutes ORDER BY id').fetchall()]


def test_demand_changed_mid_shift_recomputes_takt_and_plan(takt_plant: TaktPlant) -> None:
    line = takt_plant.lines["L1"]
    assert line_takt(takt_plant.db, line, now_ms=at(8)).status.planned == 120
    set_demand(takt_plant.db, line, DAY, 900, shift="Early", actor=None)
    status = line_takt(takt_plant.db, line, now_ms=at(8)).status
    assert status.planned == 240 and status.plan is not None and status.plan.takt_ms == 30_000


def test_demand_csv_import_with_parts_per_cycle(takt_plant: TaktPlant) -> None:
    checked, _changes = import_csv(takt_plant.db, "line,date,quantity,shift,parts_per_cycle\n"
                                                  "L1,2026-12-02,960,Late,2\nL2,2026-12-02,100,,1\n", actor=None)
    assert len(checked.rows) == 2 and checked.problems == ()
    [early, late] = day_plan(takt_plant.db, "L1", DAY).plans
    assert early.demand == 450 and late.demand == 960 and late.cycle_ms == 60_000
    l2 = day_plan(takt_plant.db, "L2", DAY).plans
    assert [p.demand for p in l2] == [450, 100]  # Early's own demand wins; the day's goes to Late


def test_bad_csv_rows_are_named_by_line_number_and_the_good_rows_kept(takt_plant: TaktPlant) -> None:
    text = ("line,date,quantity,shift,parts_per_cycle\n"
            "L1,2026-12-03,10,,\n"
            "L1,03.12.2026,10,,\n"
            "L7,2026-12-03,10,,\n"
            "\n"
            "L2,2026-12-03,ten,,\n"
            "L2,2026-12-03,20,,0\n"
            ",2026-12-03,5,,\n"
            "L1,2026-12-04,,,\n"
            "L1,2026-12-03,99,,\n"
            "L2,2026-12-03,30,Late,2\n")
    checked, _changes = import_csv(takt_plant.db, text, actor=None)
    assert [(r.number, r.line_code, r.quantity) for r in checked.rows] == [(2, "L1", 10), (11, "L2", 30)]
    assert [p.words for p in checked.problems] == [
        "line 3: '03.12.2026' is not a date like 2026-12-02",
        "line 4: no line has the code 'L7'",
        "line 6: the quantity 'ten' is not a whole number from 0 to 10000000",
        "line 7: parts per cycle '0' is not a whole number from 1 to 10000",
        "line 8: the line code is empty",
        "line 9: the quantity is empty",
        "line 10: the same line, day and shift as line 2; only line 2 is imported",
    ]
    assert [p.demand for p in day_plan(takt_plant.db, "L1", DAY.replace(day=3)).plans] == [5, 5]  # 10, not 99
    assert [p.demand for p in day_plan(takt_plant.db, "L2", DAY.replace(day=3)).plans] == [0, 30]
    with pytest.raises(BadInput, match="must name the columns line, date, quantity"):
        import_csv(takt_plant.db, "code,day,qty\nL1,2026-12-03,1\n", actor=None)
