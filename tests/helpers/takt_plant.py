"""A takt test plant made through the real services: a plant in Europe/Berlin, lines L1 and L2, a
two-shift calendar (Early 06:00-14:00 with a 30 min break at 09:00; Late 14:00-22:00) Monday to
Friday, and a demand of 450 parts in the Early shift of Wednesday 2 December 2026 on each line
(7.5 working hours: takt 60 s)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from jitdesk.domain.master import Line, Plant, ShiftCalendar
from jitdesk.domain.takt.calendar import to_ms
from jitdesk.services import master
from jitdesk.services.takt.demand import set_in
from jitdesk.services.uow import transaction
from jitdesk.storage.database import Database

BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2026, 12, 2)
SHIFTS = (
    {"name": "Early", "start": "06:00", "end": "14:00", "breaks": [{"start": "09:00", "end": "09:30"}]},
    {"name": "Late", "start": "14:00", "end": "22:00", "breaks": []},
)


def at(h: int, m: int = 0, s: int = 0, day: date = DAY) -> int:
    """A plant-local time on the test day, as epoch ms."""
    return to_ms(datetime(day.year, day.month, day.day, h, m, s, tzinfo=BERLIN))


@dataclass
class TaktPlant:
    db: Database
    lines: dict[str, str]  # code -> id


def build_takt_plant(db: Database, demand: int = 450) -> TaktPlant:
    with transaction(db, now_ms=lambda: at(5)) as tx:
        master.save_in(tx, Plant(code="TP", name="Takt plant", timezone="Europe/Berlin"), actor=None)
        lines = {code: master.save_in(tx, Line(code=code, name=f"Line {code[-1]}"), actor=None)
                 for code in ("L1", "L2")}
        master.save_in(tx, ShiftCalendar(name="Two shifts", shifts=SHIFTS), actor=None)
        for line_id in lines.values():
            set_in(tx, line_id, DAY, demand, shift="Early", actor=None)
    return TaktPlant(db, lines)
