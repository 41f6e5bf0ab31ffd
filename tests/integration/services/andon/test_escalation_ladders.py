"""Escalation master data on the demo plant: a line's own ladder, the duty roster, and the takt of a
line-stopping call from the takt module's calendar and demand (the setting only where there is none)."""

from __future__ import annotations

from datetime import date

import pytest

from jitdesk.domain.errors import BadInput, NotAllowed, NotFound
from jitdesk.domain.fold import PROJECTORS
from jitdesk.services.andon.board import andon_board
from jitdesk.services.andon.calls import AndonRefused, escalate, raise_call
from jitdesk.services.andon.escalation import read_book
from jitdesk.services.andon.ladders import escalation_data, save_duty, save_line_ladder
from jitdesk.services.takt.demand import set_demand
from jitdesk.storage import andon_repo, projections
from jitdesk.storage.database import Database
from tests.helpers.andon_fixtures import AndonPlant

T = 1_800_000_000_000  # Friday 2027-01-15, 09:00 in Berlin: the early shift
DAY = date(2027, 1, 15)
SEC = 1000


def _line(db: Database, code: str) -> str:
    with db.reading() as session:
        lines = projections.all_states(session, PROJECTORS.get("line"))
    return next(lid for lid, line in lines.items() if line.code == code)


def _plant(andon_plant: AndonPlant) -> tuple[Database, str, str]:
    db = andon_plant.db
    assert isinstance(db, Database)
    return db, andon_plant.users["B-9001"], andon_plant.stations["L1-S4"]


def test_a_line_ladder_and_the_roster_reach_every_board(andon_plant: AndonPlant) -> None:
    db, admin, station = _plant(andon_plant)
    line = _line(db, "L1")
    help_type = andon_plant.types["HELP"]
    save_line_ladder(db, actor=admin, call_type_id=help_type, line_id=line, minutes=[2, 4],
                     notify=["team leader", "supervisor"])
    save_duty(db, actor=admin, role="supervisor", shift="Early", person="Sam Early")
    save_duty(db, actor=admin, role="Supervisor", shift="early", person="Sara Line", line_id=line)
    call_id = raise_call(db, help_type, station, now_ms=T).call_id
    assert call_id is not None
    board = andon_board(db)
    call = next(c for c in board.calls if c.call_id == call_id)
    esc = board.book.of(call, T + 4 * 60 * SEC)
    assert (esc.level, esc.levels, esc.top, esc.who) == (2, 2, True, "supervisor: Sara Line")
    # saving the same role, shift and line again replaces the record: one record per key
    save_duty(db, actor=admin, role="supervisor", shift="Early", person="Sue", line_id=line)
    data = escalation_data(db)
    early = sorted(d.person for _id, d in data.duties if d.role.lower() == "supervisor" and d.shift == "Early")
    assert early == ["Sam Early", "Sue"]  # the demo's own plant-wide "Marco Rossi" was replaced by Sam
    assert [(p.line_id, p.escalate_minutes) for _id, p in data.plans] == [(line, (2, 4))]
    assert read_book(db).of(call, T + 4 * 60 * SEC).person == "Sue"
    save_line_ladder(db, actor=admin, call_type_id=help_type, line_id=line, minutes=[2, 4], active=False)
    assert read_book(db).of(call, T + 4 * 60 * SEC).level == 0  # the type's ladder again: 5, 15, 30


def test_bad_escalation_input_is_refused_in_plain_words(andon_plant: AndonPlant) -> None:
    db, admin, _station = _plant(andon_plant)
    line, maint = _line(db, "L1"), andon_plant.types["MAINT"]
    with pytest.raises(BadInput, match="must grow from level to level"):
        save_line_ladder(db, actor=admin, call_type_id=maint, line_id=line, minutes=[15, 5])
    with pytest.raises(BadInput, match="at least one level"):
        save_line_ladder(db, actor=admin, call_type_id=maint, line_id=line, minutes=[])
    with pytest.raises(NotFound, match="Line nope does not exist"):
        save_line_ladder(db, actor=admin, call_type_id=maint, line_id="nope", minutes=[5])
    with pytest.raises(BadInput, match="the person may not be empty"):
        save_duty(db, actor=admin, role="supervisor", shift="Early", person="  ")
    before = escalation_data(db)
    with pytest.raises(NotAllowed):
        save_duty(db, actor=andon_plant.users["B-5001"], role="supervisor", shift="Early", person="Sam")
    assert escalation_data(db) == before


def test_line_stop_escalates_in_takts_of_the_line_plan(andon_plant: AndonPlant) -> None:
    db, admin, station = _plant(andon_plant)
    maint = andon_plant.types["MAINT"]  # stops the line: levels after 1 and 3 takts
    # the early shift works 7 h 15 min (two breaks): 435 parts make a takt of 60 s
    set_demand(db, _line(db, "L1"), DAY, 435, shift="Early", actor=admin)
    call_id = raise_call(db, maint, station, now_ms=T).call_id
    assert call_id is not None
    board = andon_board(db)
    call = next(c for c in board.calls if c.call_id == call_id)
    assert board.book.takt_ms(call) == 60 * SEC
    assert [board.book.of(call, T + s * SEC).level for s in (59, 60, 179, 180)] == [0, 1, 1, 2]
    # the manual escalation reads the same level: after 61 s it is at 1, so it lifts to 2
    assert escalate(db, call_id, now_ms=T + 61 * SEC).note.params["level"] == 2
    with db.reading() as session:
        stored = andon_repo.open_calls_at(session, station)
    assert [c.manual_level for c in stored if c.call_id == call_id] == [2]


def test_without_a_plan_the_setting_gives_the_takt(andon_plant: AndonPlant) -> None:
    db, _admin, station = _plant(andon_plant)
    call_id = raise_call(db, andon_plant.types["MAINT"], station, now_ms=T).call_id
    assert call_id is not None
    assert escalate(db, call_id, takt_ms=30 * SEC, now_ms=T + 31 * SEC).note.params["level"] == 2
    assert escalate(db, call_id, now_ms=T + 32 * SEC).note.params["level"] == 3
    with pytest.raises(AndonRefused) as refused:
        escalate(db, call_id, now_ms=T + 33 * SEC)
    assert refused.value.note.code == "andon.top_level"
