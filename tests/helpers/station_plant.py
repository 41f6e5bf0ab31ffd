"""A small station for scan-routing tests, made through the real services: a plant, a line station this
device acts as, one loop with three cards, and two users (an operator signs in with the badge alone,
a supervisor adds the PIN)."""

from __future__ import annotations

from dataclasses import dataclass, field

from jitdesk.domain.kanban.loop import Loop
from jitdesk.domain.kanban.status import Rule
from jitdesk.domain.master import Line, Part, Plant, Station
from jitdesk.services import master
from jitdesk.services.kanban.loops import add_cards_in, save_loop_in
from jitdesk.services.station_identity import assign_in
from jitdesk.services.uow import transaction
from jitdesk.storage import kanban_repo
from jitdesk.storage.database import Database

OPERATOR_BADGE = "B-OP-7"
SUPERVISOR_BADGE = "B-SUP-2"
SUPERVISOR_PIN = "4321"


@dataclass
class StationPlant:
    db: Database
    station_id: str = ""
    codes: list[str] = field(default_factory=list)  # the loop's card codes
    users: dict[str, str] = field(default_factory=dict)  # badge -> user id

    def scan_log(self) -> list[tuple[str, str, str]]:
        """(text, result, message) of every scan-log row, oldest first."""
        with self.db.reading() as session:
            rows = kanban_repo.recent_scans(session, self.station_id, 500)
        return [(r.text, r.result, r.message) for r in reversed(rows)]

    def scan_log_codes(self) -> list[str | None]:
        """The message code of every scan-log row, oldest first."""
        with self.db.reading() as session:
            rows = kanban_repo.recent_scans(session, self.station_id, 500)
        return [r.note.code if r.note is not None else None for r in reversed(rows)]


def build_station(db: Database) -> StationPlant:
    plant = StationPlant(db)
    with transaction(db) as tx:
        master.save_in(tx, Plant(code="RP", name="Routing plant"), actor=None)
        line = master.save_in(tx, Line(code="L1", name="Line 1"), actor=None)
        plant.station_id = master.save_in(tx, Station(code="LINE-1", name="Line station", role="line",
                                                      line_id=line), actor=None)
        supermarket = master.save_in(tx, Station(code="SM-A", name="Supermarket", role="supermarket"), actor=None)
        part = master.save_in(tx, Part(number="P-1", name="Hex bolt"), actor=None)
        loop = save_loop_in(tx, Loop(code="BOLT", part_id=part, supplier_kind="supermarket",
                                     supplier_location="Supermarket A", consumer_station_id=plant.station_id,
                                     qty_per_card=10, lead_time_minutes=60, safety_factor=0.2,
                                     supplier_station_id=supermarket, wait_rule=Rule.NOT_ALLOWED,
                                     picking_rule=Rule.OPTIONAL, in_transit_rule=Rule.REQUIRED), actor=None)
        cards = add_cards_in(tx, loop, 3, actor=None)
        assign_in(tx, plant.station_id)
    for name, badge, role in (("Olga Operator", OPERATOR_BADGE, "operator"),
                              ("Sam Supervisor", SUPERVISOR_BADGE, "supervisor")):
        plant.users[badge], _changes = master.save_user(db, actor=None, name=name, badge=badge, role=role,
                                                        pin=SUPERVISOR_PIN)
    with db.reading() as session:
        found = kanban_repo.cards_by_id(session, cards)
    plant.codes = [found[card_id].code for card_id in cards]
    return plant
