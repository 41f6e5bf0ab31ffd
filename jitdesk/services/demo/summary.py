"""A README-friendly description of the demo plant: counts, stations, and who can sign in how."""

from __future__ import annotations

from jitdesk.domain.master import CallType, Line, Part, ShiftCalendar, Station, User
from jitdesk.services import master as master_service
from jitdesk.services.demo.master import USERS
from jitdesk.services.station_identity import current
from jitdesk.storage.database import Database


def summary_text(db: Database) -> str:
    ident = current(db)
    lines = master_service.records(db, Line)
    stations = master_service.records(db, Station)
    counts = [
        ("lines", len(lines)), ("stations", len(stations)),
        ("parts", len(master_service.records(db, Part))),
        ("andon call types", len(master_service.records(db, CallType))),
        ("shift calendars", len(master_service.records(db, ShiftCalendar))),
        ("users", len(master_service.records(db, User))),
    ]
    out = [f"Plant: {ident.plant_code} {ident.plant_name}",
           "  " + ", ".join(f"{n} {label}" for label, n in counts),
           f"This device acts as station {ident.title} ({ident.station_role}).", "",
           "Stations:"]
    out += [f"  {r.value.code:<7} {r.value.role:<12} {r.value.name}" for r in stations]
    out += ["", "Users (operators sign in with the badge alone; others add the PIN):",
            f"  {'badge':<8} {'PIN':<6} {'role':<11} name"]
    out += [f"  {u.badge:<8} {u.pin:<6} {u.role:<11} {u.name}" for u in USERS]
    return "\n".join(out)
