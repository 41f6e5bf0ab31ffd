"""The demo plant's master data: one plant, two lines, twelve stations, 48 parts, five andon call
types, a two-shift calendar with breaks, and users of every role with known badges and PINs.

Written through the same master-data use case an admin uses (`services.master.save_in`), so the
events, projections and authority rules are the real ones. The plant goes first in its own
transaction (it becomes this database's plant id); everything else follows in one transaction,
stamped with the demo admin as actor.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from jitdesk.domain.auth import hash_pin
from jitdesk.domain.master import CallType, Duty, Line, Part, Plant, ShiftCalendar, Station, User, duty_key
from jitdesk.services import master
from jitdesk.services.demo import DemoContext
from jitdesk.services.station_identity import assign_in
from jitdesk.services.uow import transaction
from jitdesk.storage.database import Database

PLANT = Plant(code="RVS", name="Riverside Pump Works", timezone="Europe/Berlin")
LINES = (
    Line(code="L1", name="Line 1 Gear pumps"),
    Line(code="L2", name="Line 2 Centrifugal pumps"),
)
# (code, name, role, line code)
STATIONS = (
    ("L1-S1", "Housing prep", "line", "L1"),
    ("L1-S2", "Gear set", "line", "L1"),
    ("L1-S3", "Seal and cover", "line", "L1"),
    ("L1-S4", "Test and pack", "line", "L1"),
    ("L2-S1", "Volute prep", "line", "L2"),
    ("L2-S2", "Impeller and shaft", "line", "L2"),
    ("L2-S3", "Motor mount", "line", "L2"),
    ("L2-S4", "Test and pack", "line", "L2"),
    ("SM-N", "Supermarket North", "supermarket", None),
    ("SM-S", "Supermarket South", "supermarket", None),
    ("RCV-1", "Receiving dock", "receiving", None),
    ("SUP-1", "Supervisor office", "supervisor", None),
)
DEFAULT_STATION = "L1-S2"
BOTTLENECKS = ("L1-S3", "L2-S2")  # each line's constraint: drawn bigger on the andon board

# (number, name, unit)
PARTS = (
    ("100-1001", "Gear pump housing GP-20", "pcs"),
    ("100-1002", "Gear pump housing GP-32", "pcs"),
    ("100-1010", "Drive gear 14T steel", "pcs"),
    ("100-1011", "Idler gear 14T steel", "pcs"),
    ("100-1020", "Drive shaft 16 mm", "pcs"),
    ("100-1021", "Idler shaft 16 mm", "pcs"),
    ("100-1030", "Front cover GP", "pcs"),
    ("100-1031", "Rear cover GP", "pcs"),
    ("100-1040", "Needle bearing 16x22x16", "pcs"),
    ("100-1041", "Shaft seal 16x28x7 FKM", "pcs"),
    ("100-1050", "O-ring 62x2.5 NBR", "pcs"),
    ("100-1051", "O-ring 40x2 NBR", "pcs"),
    ("100-1060", "Dowel pin 6x16", "pcs"),
    ("100-1061", "Feather key 5x5x20", "pcs"),
    ("100-1070", "Circlip DIN 471 16", "pcs"),
    ("100-1080", "Relief valve cartridge 180 bar", "pcs"),
    ("200-2001", "Volute casing CP-50", "pcs"),
    ("200-2002", "Volute casing CP-65", "pcs"),
    ("200-2010", "Impeller 160 mm bronze", "pcs"),
    ("200-2011", "Impeller 200 mm bronze", "pcs"),
    ("200-2020", "Pump shaft 24 mm stainless", "pcs"),
    ("200-2030", "Mechanical seal 24 mm", "pcs"),
    ("200-2031", "Casing gasket CP-50", "pcs"),
    ("200-2032", "Casing gasket CP-65", "pcs"),
    ("200-2040", "Ball bearing 6205-2RS", "pcs"),
    ("200-2041", "Ball bearing 6305-2RS", "pcs"),
    ("200-2050", "Bearing bracket CP", "pcs"),
    ("200-2060", "Shaft sleeve 24 mm", "pcs"),
    ("200-2070", "Impeller nut M16 left-hand", "pcs"),
    ("200-2080", "Motor 2.2 kW IE3 B35", "pcs"),
    ("200-2081", "Motor 4.0 kW IE3 B35", "pcs"),
    ("200-2090", "Coupling half 24 mm", "pcs"),
    ("200-2091", "Coupling spider 98 ShA", "pcs"),
    ("200-2095", "Base plate CP welded", "pcs"),
    ("300-3001", "Hex bolt M8x25 8.8 zinc", "pcs"),
    ("300-3002", "Hex bolt M10x30 8.8 zinc", "pcs"),
    ("300-3003", "Socket cap screw M6x20", "pcs"),
    ("300-3004", "Socket cap screw M8x35", "pcs"),
    ("300-3010", "Hex nut M10 8 zinc", "pcs"),
    ("300-3011", "Washer 10.5 DIN 125", "pcs"),
    ("300-3012", "Spring washer M8", "pcs"),
    ("300-3020", "Drain plug G1/4 with seal", "pcs"),
    ("300-3030", "Thread sealant 50 ml", "pcs"),
    ("300-3040", "Assembly grease 400 g", "pcs"),
    ("400-4001", "Carton GP pump 300x200x200", "pcs"),
    ("400-4002", "Carton CP pump 600x400x400", "pcs"),
    ("400-4010", "Pallet 1200x800 EUR", "pcs"),
    ("400-4020", "Rating plate blank", "pcs"),
    ("400-4021", "Hydraulic oil ISO VG 46", "l"),
    ("400-4030", "Stretch film 500 mm", "m"),
)

# Escalation minutes are steps: team leader, supervisor, manager; line-stopping types also in takts.
CALL_TYPES = (
    CallType(code="MAT", name="Material", color="#FFC400", escalate_minutes=(5, 10, 20), symbol="▲",
             sound="material", severity="medium", responder_role="operator"),
    CallType(code="QUAL", name="Quality", color="#B388FF", escalate_minutes=(3, 10, 30), symbol="◆",
             sound="quality", severity="high", responder_role="supervisor", stops_line=True,
             escalate_takts=(1, 3), escalate_to=("team leader", "supervisor", "quality manager")),
    CallType(code="MAINT", name="Maintenance", color="#2979FF", escalate_minutes=(5, 15, 30), symbol="✚",
             sound="maintenance", severity="high", responder_role="operator", stops_line=True,
             escalate_takts=(1, 3), escalate_to=("team leader", "maintenance supervisor", "plant manager")),
    CallType(code="SAFE", name="Safety", color="#FF1744", escalate_minutes=(1, 3, 5), symbol="✖",
             sound="safety", severity="critical", responder_role="supervisor", stops_line=True,
             escalate_takts=(1, 2), escalate_to=("supervisor", "safety officer", "plant manager")),
    CallType(code="HELP", name="Help", color="#00E676", escalate_minutes=(5, 15, 30), needs_ack=False, symbol="?",
             sound="help", severity="low", responder_role="operator"),
)

CALENDAR = ShiftCalendar(
    name="Two shifts Mon-Fri",
    shifts=(
        {"name": "Early", "start": "06:00", "end": "14:00",
         "breaks": [{"start": "09:00", "end": "09:15"}, {"start": "11:30", "end": "12:00"}]},
        {"name": "Late", "start": "14:00", "end": "22:00",
         "breaks": [{"start": "17:00", "end": "17:15"}, {"start": "19:30", "end": "20:00"}]},
    ),
    days=(0, 1, 2, 3, 4),
)


# The duty roster (plant-wide): who holds each role the call types' ladders name, per shift.
DUTIES = (
    ("team leader", "Early", "Tom Becker"), ("team leader", "Late", "Samir Haddad"),
    ("team leader", "Night", "Kofi Mensah"), ("supervisor", "Early", "Marco Rossi"),
    ("supervisor", "Late", "Aisha Bello"), ("supervisor", "Night", "Aisha Bello"),
    ("maintenance supervisor", "Early", "Jorge Silva"), ("maintenance supervisor", "Late", "Mei Chen"),
)


@dataclass(frozen=True)
class DemoUser:
    name: str
    badge: str
    role: str
    pin: str


USERS = (
    DemoUser("Priya Admin", "B-9001", "admin", "9001"),
    DemoUser("Marco Rossi", "B-5001", "supervisor", "5001"),
    DemoUser("Aisha Bello", "B-5002", "supervisor", "5002"),
    DemoUser("Tom Becker", "B-1001", "operator", "1001"),
    DemoUser("Lena Novak", "B-1002", "operator", "1002"),
    DemoUser("Jorge Silva", "B-1003", "operator", "1003"),
    DemoUser("Mei Chen", "B-1004", "operator", "1004"),
    DemoUser("Samir Haddad", "B-1005", "operator", "1005"),
    DemoUser("Olga Ivanova", "B-1006", "operator", "1006"),
    DemoUser("Kofi Mensah", "B-1007", "operator", "1007"),
    DemoUser("Ines Duarte", "B-1008", "operator", "1008"),
)


def _salt(badge: str) -> bytes:
    # The same salt for the same demo user on every machine (the demo is reproducible, not secret).
    return hashlib.sha256(f"jitdesk-demo:{badge}".encode()).digest()[:16]


def create(db: Database, _context: DemoContext) -> None:
    """Write the whole master data; the caller marks the section done."""
    admin_user = USERS[0]
    with transaction(db) as tx:
        master.save_in(tx, PLANT, actor=None)
    with transaction(db) as tx:  # a new transaction, so its events carry the new plant id
        admin_id = master.save_in(tx, _user(admin_user), actor=None)
        line_ids = {line.code: master.save_in(tx, line, actor=admin_id) for line in LINES}
        station_ids = {}
        for code, name, role, line in STATIONS:
            record = Station(code=code, name=name, role=role, line_id=line_ids[line] if line else None,
                             bottleneck=code in BOTTLENECKS)
            station_ids[code] = master.save_in(tx, record, actor=admin_id)
        for number, name, unit in PARTS:
            master.save_in(tx, Part(number=number, name=name, unit=unit), actor=admin_id)
        for call_type in CALL_TYPES:
            master.save_in(tx, call_type, actor=admin_id)
        master.save_in(tx, CALENDAR, actor=admin_id)
        for role, shift, person in DUTIES:  # who each escalation level names, per shift
            master.save_in(tx, Duty(duty_key(role, shift, None), role, shift, person), actor=admin_id)
        for user in USERS[1:]:
            master.save_in(tx, _user(user), actor=admin_id)
        assign_in(tx, station_ids[DEFAULT_STATION])


def _user(user: DemoUser) -> User:
    pin_hash = hash_pin(user.pin, _salt(user.badge))
    return User(name=user.name, badge=user.badge, role=user.role, pin_hash=pin_hash)
