"""The andon link at simulated clock times: one call per line-behind episode at the line's owner
station (a second station of the line looking too writes the same call), on the andon board, resolved by
the system when the line is back within its threshold, held through a break, not raised again after a
person closed it (also by a station that restarted: the episode is read from the log), raised by another
station of the line while the owner is down, and the switch per line."""

from __future__ import annotations

from dataclasses import dataclass, replace

from jitdesk.domain.andon.call import CALL_PROJECTOR, Status
from jitdesk.domain.master import CallType, Station, TaktLine
from jitdesk.domain.takt.link import episode_call_id
from jitdesk.services import master
from jitdesk.services.andon.board import andon_board
from jitdesk.services.andon.calls import resolve
from jitdesk.services.takt.andon_link import look, owner_stations
from jitdesk.services.takt.cycles import complete_cycle
from jitdesk.services.uow import transaction
from jitdesk.storage import projections
from jitdesk.storage.database import Database, open_database
from tests.helpers.takt_plant import TaktPlant, at

TAKT_TYPE = CallType(code="TAKT", name="Behind takt", color="#FF9100", symbol="◷")


@dataclass
class Floor:
    plant: TaktPlant
    owner: str  # station L1-A
    other: str  # station L1-B, same line
    settings_id: str
    settings: TaktLine


def _floor(plant: TaktPlant, *, link: bool = True) -> Floor:
    line = plant.lines["L1"]
    with transaction(plant.db, now_ms=lambda: at(5, 30)) as tx:
        other = master.save_in(tx, Station(code="L1-B", name="Test B", role="line", line_id=line), actor=None)
        owner = master.save_in(tx, Station(code="L1-A", name="Assembly A", role="line", line_id=line), actor=None)
        master.save_in(tx, TAKT_TYPE, actor=None)
        settings = TaktLine(line, andon_takts=3, andon_link=link)
        settings_id = master.save_in(tx, settings, actor=None)
    return Floor(plant, owner, other, settings_id, settings)


def _cycles(plant: TaktPlant, start: int, count: int, every_ms: int = 60_000) -> int:
    for i in range(count):
        complete_cycle(plant.db, plant.lines["L1"], source="touch", now_ms=start + i * every_ms)
    return start + count * every_ms


def _takt_calls(db: Database) -> list[tuple[str, str]]:
    board = andon_board(db)
    return [(c.station_id, c.note) for c in board.calls if board.call_types[c.call_type_id].code == "TAKT"]


def test_one_call_per_episode_at_the_owner_station_resolved_when_back(takt_plant: TaktPlant) -> None:
    floor = _floor(takt_plant)
    db = takt_plant.db
    with db.reading() as session:
        assert owner_stations(session)[takt_plant.lines["L1"]] == floor.owner
    _cycles(takt_plant, at(6, 0, 30), 55)  # 06:00-06:55: 55 made by 07:00, 60 planned: 5 cycles behind
    first = look(db, now_ms=at(7), stations={floor.owner})
    assert first.raised == (episode_call_id(takt_plant.lines["L1"], at(6), 1),)  # the shift's first
    assert _takt_calls(db) == [(floor.owner, "takt link: line L1 is 5 cycles behind plan (more than 3)")]
    assert look(db, now_ms=at(7, 1), stations={floor.owner}).raised == ()  # same episode
    assert look(db, now_ms=at(7, 1), stations={floor.other}).raised == ()  # the other station sees it too
    # Catching up: 7 quick cycles by 07:04 make 62 against 64 planned, 2 behind: back within 3.
    _cycles(takt_plant, at(7, 0, 10), 7, every_ms=30_000)
    back = look(db, now_ms=at(7, 4), stations={floor.owner})
    assert back.resolved == first.raised and _takt_calls(db) == []
    with db.reading() as session:
        call = projections.load(session, CALL_PROJECTOR, first.raised[0])
    assert call is not None and call[0].status is Status.RESOLVED and call[0].end_reason == "other"
    assert call[0].end_text == "takt link: line L1 is back within 3 cycles of plan"
    # A new episode (nothing made 07:04-07:10: 6 behind) gets its own call.
    again = look(db, now_ms=at(7, 10), stations={floor.other})  # whichever station looks first
    assert again.raised == (episode_call_id(takt_plant.lines["L1"], at(6), 2),) and len(_takt_calls(db)) == 1


def test_a_break_holds_and_a_call_closed_by_hand_is_not_raised_again(takt_plant: TaktPlant) -> None:
    floor = _floor(takt_plant)
    db = takt_plant.db
    sup, _ = master.save_user(db, actor=None, name="Sam Super", badge="B-5001", role="supervisor", pin="5001")
    _cycles(takt_plant, at(6, 0, 30), 170)  # by 08:50, 170 against 180 planned: 10 behind
    raised = look(db, now_ms=at(8, 55), stations={floor.owner}).raised
    assert len(raised) == 1
    held = look(db, now_ms=at(9, 10), stations={floor.owner})  # in the break: nothing changes
    assert held.raised == held.resolved == () and len(_takt_calls(db)) == 1
    resolve(db, raised[0], "instructed", "extra hands sent", actor=sup, now_ms=at(9, 40))
    assert look(db, now_ms=at(9, 45), stations={floor.owner}).raised == ()  # still behind: same episode
    assert _takt_calls(db) == []


def test_a_restarted_station_and_the_other_station_keep_a_closed_episode_closed(takt_plant: TaktPlant) -> None:
    floor = _floor(takt_plant)
    db = takt_plant.db
    sup, _ = master.save_user(db, actor=None, name="Sam Super", badge="B-5001", role="supervisor", pin="5001")
    end = _cycles(takt_plant, at(6, 0, 30), 50)  # 10 behind at 07:00
    raised = look(db, now_ms=at(7), stations={floor.owner}).raised
    resolve(db, raised[0], "instructed", "extra hands sent", actor=sup, now_ms=at(7, 2))
    db.close()
    reopened = open_database(db.path)  # the station restarted: nothing of the last look is kept
    takt_plant.db = reopened
    try:
        _cycles(takt_plant, end, 3)  # 53 by 06:53: further behind at each
        for minute in (5, 10):
            assert look(reopened, now_ms=at(7, minute), stations={floor.owner}).raised == ()
            assert look(reopened, now_ms=at(7, minute), stations={floor.other}).raised == ()
        assert _takt_calls(reopened) == []
        # 20 quick cycles by 07:13:15 bring it back within 3 (the episode ends); by 07:30 it is behind again
        _cycles(takt_plant, at(7, 10, 5), 20, every_ms=10_000)
        assert look(reopened, now_ms=at(7, 16), stations={floor.owner}).raised == ()
        assert len(look(reopened, now_ms=at(7, 30), stations={floor.owner}).raised) == 1
    finally:
        takt_plant.db = db


def test_the_other_station_calls_while_the_owner_is_down(takt_plant: TaktPlant) -> None:
    floor = _floor(takt_plant)
    db = takt_plant.db
    _cycles(takt_plant, at(6, 0, 30), 55)
    by_other = look(db, now_ms=at(7), stations={floor.other})  # L1-A is down: only L1-B looks
    assert by_other.raised == (episode_call_id(takt_plant.lines["L1"], at(6), 1),)
    assert _takt_calls(db) == [(floor.owner, "takt link: line L1 is 5 cycles behind plan (more than 3)")]
    assert look(db, now_ms=at(7, 0, 5), stations={floor.owner}).raised == ()  # the owner back: the same call


def test_the_switch_per_line(takt_plant: TaktPlant) -> None:
    floor = _floor(takt_plant, link=False)
    db = takt_plant.db
    _cycles(takt_plant, at(6, 0, 30), 50)
    assert look(db, now_ms=at(7), stations={floor.owner}).raised == ()
    master.save(db, replace(floor.settings, andon_link=True), actor=None, entity_id=floor.settings_id,
                now_ms=lambda: at(7))
    assert len(look(db, now_ms=at(7, 1), stations={floor.owner}).raised) == 1
    master.save(db, replace(floor.settings, andon_link=False), actor=None, entity_id=floor.settings_id,
                now_ms=lambda: at(7, 2))
    assert len(look(db, now_ms=at(7, 3), stations={floor.owner}).resolved) == 1 and _takt_calls(db) == []
