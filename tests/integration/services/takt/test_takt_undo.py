"""Cycle undo: a later event cancels the last completion; status, board, adherence and the minute counts
follow from the events (a rebuild gives the same); the time limit and the role rule."""

from __future__ import annotations

import pytest

from jitdesk.domain.errors import NotAllowed
from jitdesk.domain.takt.cycle import COMPLETED, UNDONE
from jitdesk.services import master
from jitdesk.services.rebuild import rebuild_all
from jitdesk.services.takt.adherence import adherence
from jitdesk.services.takt.cycles import UNDO_MS, complete_cycle, undo_last_cycle
from jitdesk.services.takt.status import board, line_takt
from jitdesk.services.uow import transaction
from jitdesk.storage.projections import raw
from tests.helpers.kanban_events import event
from tests.helpers.takt_plant import DAY, TaktPlant, at

STATION = "station-here"


def _made(plant: TaktPlant, now: int) -> tuple[int, int, int]:
    line = plant.lines["L1"]
    station = line_takt(plant.db, line, now_ms=now).status.actual
    on_board = next(lt.status.actual for lt in board(plant.db, now_ms=now).lines if lt.line_id == line)
    shift = next(r for r in adherence(plant.db, DAY, DAY, now_ms=now, line_code="L1") if r.shift == "Early")
    return station, on_board, shift.made


def _complete(plant: TaktPlant, times: list[int], station: str | None = STATION) -> None:
    for t in times:
        assert complete_cycle(plant.db, plant.lines["L1"], source="touch", station_id=station, now_ms=t).recorded


def test_undo_takes_back_the_last_cycle_everywhere_and_survives_a_rebuild(takt_plant: TaktPlant) -> None:
    _complete(takt_plant, [at(7), at(7, 1), at(7, 2)])
    undone = undo_last_cycle(takt_plant.db, takt_plant.lines["L1"], station_id=STATION, now_ms=at(7, 2, 30))
    assert undone.recorded and undone.note.code == "takt.cycle_undone"
    assert _made(takt_plant, at(7, 3)) == (2, 2, 2)
    recent = line_takt(takt_plant.db, takt_plant.lines["L1"], now_ms=at(7, 3)).status.recent
    assert [c.at_ms for c in recent] == [at(7), at(7, 1)]
    # Again: the one before is the last now, and it is within the limit too.
    assert undo_last_cycle(takt_plant.db, takt_plant.lines["L1"], station_id=STATION, now_ms=at(7, 2, 40)).recorded
    assert _made(takt_plant, at(7, 3)) == (1, 1, 1)
    with takt_plant.db.reading() as session:
        kinds = [r[0] for r in raw(session).execute(
            "SELECT kind FROM events WHERE kind LIKE 'takt.cycle.%' ORDER BY hlc").fetchall()]
    assert kinds == [COMPLETED] * 3 + [UNDONE] * 2  # nothing edited: two more events
    rebuild_all(takt_plant.db)
    assert _made(takt_plant, at(7, 3)) == (1, 1, 1)


def test_nothing_to_undo_in_a_new_shift(takt_plant: TaktPlant) -> None:
    _complete(takt_plant, [at(13, 59)])
    outcome = undo_last_cycle(takt_plant.db, takt_plant.lines["L1"], station_id=STATION, now_ms=at(14, 0, 30))
    assert not outcome.recorded and outcome.note.code == "takt.nothing_to_undo"


def test_late_or_foreign_undo_needs_a_supervisor(takt_plant: TaktPlant) -> None:
    db = takt_plant.db
    sup, _ = master.save_user(db, actor=None, name="Sam Super", badge="B-5001", role="supervisor", pin="5001")
    op, _ = master.save_user(db, actor=None, name="Olga Operator", badge="B-1001", role="operator", pin="1001")
    master.save_user(db, actor=None, name="Ada Admin", badge="B-9001", role="admin", pin="9001")
    _complete(takt_plant, [at(8)])
    late = at(8) + UNDO_MS + 1000
    with pytest.raises(NotAllowed, match="older than 2 minutes, or recorded at another station, can only be undone"):
        undo_last_cycle(db, takt_plant.lines["L1"], station_id=STATION, actor=op, now_ms=late)
    with pytest.raises(NotAllowed, match="supervisor"):
        undo_last_cycle(db, takt_plant.lines["L1"], station_id="another-station", now_ms=at(8, 0, 30))
    assert _made(takt_plant, at(8, 5)) == (1, 1, 1)
    assert undo_last_cycle(db, takt_plant.lines["L1"], station_id=STATION, actor=sup, now_ms=late).recorded
    assert _made(takt_plant, at(8, 5)) == (0, 0, 0)


def test_an_undo_that_arrives_before_its_completion_still_cancels_it(takt_plant: TaktPlant) -> None:
    line = takt_plant.lines["L1"]
    done = event(COMPLETED, {"line_id": line, "parts": 1, "source": "touch", "station_id": "s-off"},
                 ms=at(9, 40), entity_id="cycle-off-1", device="station-off", seq=1)
    undo = event(UNDONE, {"line_id": line, "station_id": "s-off"}, ms=at(9, 40, 20), entity_id="cycle-off-1",
                 device="station-off", seq=2)
    with transaction(takt_plant.db, now_ms=lambda: at(10)) as tx:
        assert tx.ingest(undo)
    with transaction(takt_plant.db, now_ms=lambda: at(10)) as tx:
        assert tx.ingest(done)
    assert _made(takt_plant, at(10)) == (0, 0, 0)
