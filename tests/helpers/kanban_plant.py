"""Kanban test plant (helpers; the fixtures are in conftest.py beside this file): one line with two
line stations, a supermarket, a receiving dock and a supervisor desk, three parts, and loops with
cards, all made through the real services (events and projections).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jitdesk.domain.kanban.loop import Loop
from jitdesk.domain.kanban.status import Rule
from jitdesk.domain.master import Line, Part, Plant, Station
from jitdesk.services import master
from jitdesk.services.kanban.loops import add_cards_in, save_loop_in
from jitdesk.services.station_identity import assign_in
from jitdesk.services.uow import transaction
from jitdesk.storage.database import Database

T0 = 1_790_000_000_000  # a fixed moment in 2026 (Unix ms); tests pass their own `now_ms`
MIN = 60_000


@dataclass
class KanbanPlant:
    db: Database
    stations: dict[str, str] = field(default_factory=dict)  # code -> id
    parts: dict[str, str] = field(default_factory=dict)
    loops: dict[str, str] = field(default_factory=dict)  # loop code -> id
    cards: dict[str, list[str]] = field(default_factory=dict)  # loop code -> card ids
    codes: dict[str, list[str]] = field(default_factory=dict)  # loop code -> card codes

    def card(self, loop: str, index: int = 0) -> tuple[str, str]:
        """(card id, code) of a loop's card."""
        return self.cards[loop][index], self.codes[loop][index]


def loop_record(plant: KanbanPlant, code: str, part: str, **changes: object) -> Loop:
    values: dict[str, object] = {
        "code": code, "part_id": plant.parts[part], "supplier_kind": "supermarket",
        "supplier_location": "Supermarket A", "consumer_station_id": plant.stations["LINE-1"],
        "qty_per_card": 10, "lead_time_minutes": 60, "safety_factor": 0.2,
        "supplier_station_id": plant.stations["SM-A"], "wait_rule": Rule.NOT_ALLOWED,
        "picking_rule": Rule.OPTIONAL, "in_transit_rule": Rule.REQUIRED,
    }
    values.update(changes)
    return Loop(**values)  # type: ignore[arg-type]


def build_plant(db: Database) -> KanbanPlant:
    from jitdesk.domain.kanban.codes import card_code  # noqa: F401  (the code format the cards get)
    from jitdesk.services.kanban import loops as loop_services  # noqa: F401

    plant = KanbanPlant(db)
    with transaction(db, now_ms=lambda: T0 - 60 * MIN) as tx:
        master.save_in(tx, Plant(code="TP", name="Test plant"), actor=None)
    with transaction(db, now_ms=lambda: T0 - 59 * MIN) as tx:
        line = master.save_in(tx, Line(code="L1", name="Line 1"), actor=None)
        for code, role in (("LINE-1", "line"), ("LINE-2", "line"), ("SM-A", "supermarket"),
                           ("SM-B", "supermarket"), ("RCV", "receiving"), ("SUP", "supervisor")):
            plant.stations[code] = master.save_in(
                tx, Station(code=code, name=f"Station {code}", role=role, line_id=line if role == "line" else None),
                actor=None)
        for number, name in (("P-1", "Hex bolt"), ("P-2", "Gear"), ("P-3", "Motor")):
            plant.parts[number] = master.save_in(tx, Part(number=number, name=name), actor=None)
        loops = {
            "BOLT": loop_record(plant, "BOLT", "P-1"),
            "GEAR": loop_record(plant, "GEAR", "P-2", wait_rule=Rule.REQUIRED, picking_rule=Rule.REQUIRED),
            "MOTOR": loop_record(plant, "MOTOR", "P-3", supplier_kind="external", supplier_location="Motor maker",
                                 supplier_station_id=None, picking_rule=Rule.NOT_ALLOWED,
                                 in_transit_rule=Rule.OPTIONAL, lead_time_minutes=240),
        }
        for code, loop in loops.items():
            plant.loops[code] = save_loop_in(tx, loop, actor=None)
            plant.cards[code] = add_cards_in(tx, plant.loops[code], 3, actor=None)
        assign_in(tx, plant.stations["LINE-1"])
    from jitdesk.storage import kanban_repo

    with db.reading() as session:
        for code, ids in plant.cards.items():
            found = kanban_repo.cards_by_id(session, ids)
            plant.codes[code] = [found[i].code for i in ids]
    return plant
