"""Loop and card administration: validation, plant-unique serials, resize, hold and release, roles."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest

from jitdesk.domain.auth import hash_pin
from jitdesk.domain.errors import BadInput, NotAllowed
from jitdesk.domain.kanban.codes import serial_of
from jitdesk.domain.kanban.status import Admin, Supply
from jitdesk.domain.master import User
from jitdesk.services import master
from jitdesk.services.kanban import loops
from jitdesk.services.kanban.scanning import record_scan
from jitdesk.storage import eventlog, kanban_repo
from tests.helpers.kanban_plant import KanbanPlant, loop_record


def cards(plant: KanbanPlant, loop: str) -> list:  # type: ignore[type-arg]
    return list(loops.loop_detail(plant.db, plant.loops[loop]).cards)


def test_loop_records_are_checked_in_plain_words(plant: KanbanPlant) -> None:
    with pytest.raises(BadInput, match="already used"):
        loops.save_loop(plant.db, loop_record(plant, "BOLT", "P-1"), actor=None)
    with pytest.raises(BadInput, match="needs the supermarket's station"):
        loops.save_loop(plant.db, loop_record(plant, "NEW", "P-1", supplier_station_id=None), actor=None)
    with pytest.raises(BadInput, match="supplier station must be a supermarket"):
        loops.save_loop(plant.db, loop_record(plant, "NEW", "P-1", supplier_station_id=plant.stations["RCV"]),
                        actor=None)
    with pytest.raises(BadInput, match="consumer must be a line station"):
        loops.save_loop(plant.db, loop_record(plant, "NEW", "P-1", consumer_station_id=plant.stations["RCV"]),
                        actor=None)
    with pytest.raises(BadInput, match="part does not exist"):
        loops.save_loop(plant.db, replace(loop_record(plant, "NEW", "P-1"), part_id="nope"), actor=None)
    with pytest.raises(BadInput, match="lead time"):
        loops.save_loop(plant.db, loop_record(plant, "NEW", "P-1", lead_time_minutes=0), actor=None)
    loop_id, changes = loops.save_loop(plant.db, loop_record(plant, "  NEW  ", "P-2"), actor=None)
    assert changes.touches("loop") and loops.loop_detail(plant.db, loop_id).loop.code == "NEW"


def test_card_serials_are_unique_in_the_plant_and_numbers_per_loop(plant: KanbanPlant) -> None:
    new_ids, changes = loops.add_cards(plant.db, plant.loops["GEAR"], 2, actor=None)
    assert changes.touches("card")
    every = [c for code in plant.loops for c in cards(plant, code)]
    serials = [serial_of(c.code) for c in every]
    assert len(set(serials)) == len(serials) == 11
    assert max(s for s in serials if s is not None) == 11  # max + 1, twice
    gear = cards(plant, "GEAR")
    assert [c.number for c in gear] == [1, 2, 3, 4, 5]
    assert all(c.supply is Supply.FULL and c.admin is Admin.ACTIVE for c in gear)
    assert {c.card_id for c in gear} >= set(new_ids)
    with pytest.raises(BadInput, match="add 1 to"):
        loops.add_cards(plant.db, plant.loops["GEAR"], 0, actor=None)


def test_resize_adds_cards_or_retires_full_ones_first(plant: KanbanPlant) -> None:
    first_id, code = plant.card("BOLT", 2)  # the highest number: it would go first if all were FULL
    assert record_scan(plant.db, code, plant.stations["LINE-1"]).result == "emptied"
    loops.resize_loop(plant.db, plant.loops["BOLT"], 5, actor=None)
    assert len([c for c in cards(plant, "BOLT") if c.admin is not Admin.RETIRED]) == 5
    changes = loops.resize_loop(plant.db, plant.loops["BOLT"], 2, actor=None)
    assert len(changes.events) == 3 and all(e.kind == "kanban.card.retired" for e in changes.events)
    left = [c for c in cards(plant, "BOLT") if c.admin is not Admin.RETIRED]
    assert first_id in {c.card_id for c in left}  # the EMPTY card stays in the loop: it is out on the floor
    assert len(left) == 2
    with plant.db.reading() as session:
        assert eventlog.count(session) > 0
        assert kanban_repo.max_card_code(session) is not None


def test_roles_admins_edit_loops_supervisors_hold_cards(plant: KanbanPlant) -> None:
    def user(name: str, role: str) -> str:
        record = User(name=name, badge=f"B-{name}", role=role, pin_hash=hash_pin("1234", os.urandom(16)))
        return master.save(plant.db, record, actor=admin if role != "admin" else None)[0]

    admin = ""
    admin = user("admin", "admin")
    boss = user("boss", "supervisor")
    worker = user("worker", "operator")
    card_id = plant.card("BOLT")[0]
    with pytest.raises(NotAllowed):
        loops.add_cards(plant.db, plant.loops["BOLT"], 1, actor=boss)
    with pytest.raises(NotAllowed):
        loops.hold_cards(plant.db, [card_id], actor=worker)
    with pytest.raises(NotAllowed):
        loops.save_loop(plant.db, loop_record(plant, "X", "P-1"), actor=None)
    loops.hold_cards(plant.db, [card_id], actor=boss, reason="bin cracked")
    assert cards(plant, "BOLT")[0].admin is Admin.ON_HOLD
    loops.release_cards(plant.db, [card_id], actor=boss)
    assert cards(plant, "BOLT")[0].admin is Admin.ACTIVE
    loops.add_cards(plant.db, plant.loops["BOLT"], 1, actor=admin)
    loops.retire_cards(plant.db, [card_id], actor=admin)
    with pytest.raises(BadInput, match="retired"):
        loops.hold_cards(plant.db, [card_id], actor=boss)


def test_loop_list_searches_code_and_part(plant: KanbanPlant) -> None:
    assert [s.code for s in loops.loop_list(plant.db)] == ["BOLT", "GEAR", "MOTOR"]
    assert [s.code for s in loops.loop_list(plant.db, "Gear")] == ["GEAR"]
    assert [s.code for s in loops.loop_list(plant.db, "p-3")] == ["MOTOR"]
    assert loops.loop_list(plant.db, "%") == []
