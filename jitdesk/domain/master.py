"""Master data (plants, lines, stations, parts, users, andon call types, shift calendars, demand, line
takt settings, a line's escalation ladders and the duty roster: who holds a role on a shift).

Each is carried by one `master.<thing>.upserted` event holding the whole record, so the fold is
"the latest record wins" in the deterministic event order. Nothing is deleted: `active` goes false.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, TypeVar

from jitdesk.domain.auth import ROLE_NAMES
from jitdesk.domain.events import REGISTRY, Event, EventKind, Upcaster
from jitdesk.domain.fold import PROJECTORS, Projector
from jitdesk.domain.schema import Bool, Choice, Field, Int, ListOf, Obj, Schema, Str

STATION_ROLES = ("line", "supermarket", "receiving", "supervisor")
SEVERITIES = ("low", "medium", "high", "critical")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Plant:
    code: str
    name: str
    timezone: str = "UTC"


@dataclass(frozen=True)
class Line:
    code: str
    name: str
    active: bool = True


@dataclass(frozen=True)
class Station:
    code: str
    name: str
    role: str
    line_id: str | None = None
    active: bool = True
    bottleneck: bool = False  # the line's constraint: drawn bigger on the andon board


@dataclass(frozen=True)
class Part:
    number: str
    name: str
    unit: str = "pcs"
    active: bool = True


@dataclass(frozen=True)
class User:
    name: str
    badge: str
    role: str
    pin_hash: str
    active: bool = True


@dataclass(frozen=True)
class CallType:
    """An andon call type. The fields after `active` came with the andon issue (their rules are in
    jitdesk/domain/andon/); records written before it take their defaults."""

    code: str
    name: str
    color: str
    escalate_minutes: tuple[int, ...] = (5, 15, 30)
    needs_ack: bool = True
    active: bool = True
    symbol: str = "⚑"  # shape beside the colour: colour is never the only signal
    sound: str = "chime"  # a sound name (resources/sounds/andon_<sound>.wav)
    severity: str = "medium"  # low < medium < high < critical
    responder_role: str = "supervisor"  # acknowledging and resolving need this role or above
    stops_line: bool = False
    escalate_takts: tuple[int, ...] = ()  # line-stopping types: levels after this many takts as well
    escalate_to: tuple[str, ...] = ()  # who each level notifies ("team leader", "supervisor", ...)


@dataclass(frozen=True)
class ShiftCalendar:
    """The stored form of a calendar (domain.takt.records makes the typed `Calendar` from it).

    `shifts` is a tuple of dicts: name, start, end ("HH:MM"), breaks: [{start, end, kind?}] where kind
    "stop" is a planned stop; days 0=Monday. Schema 2 adds `holidays` (ISO dates) and `overrides`
    ({date, shifts, reason?}: that day's own shifts, none for a maintenance day)."""

    name: str
    shifts: tuple[Mapping[str, Any], ...]
    days: tuple[int, ...] = (0, 1, 2, 3, 4)
    line_id: str | None = None
    active: bool = True
    holidays: tuple[str, ...] = ()
    overrides: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class Demand:
    """Parts a line is to make on a day (`shift` None: the whole day, shared by its shifts by working
    time) or in one shift of it; `key` is "<line id>|<day>|<shift or empty>", one record per key."""

    key: str
    line_id: str
    day: str  # ISO date, the plant-local day the shift starts on
    quantity: int
    shift: str | None = None
    parts_per_cycle: int = 1
    active: bool = True


@dataclass(frozen=True)
class TaktLine:
    """A line's takt settings (one record per line; a line without one takes these defaults): a cycle
    within `window_percent` of its takt is on target, and with `andon_link` on, a line more than
    `andon_takts` cycles behind its plan raises an andon call (domain.takt.link)."""

    line_id: str
    window_percent: int = 10
    andon_takts: int = 3
    andon_link: bool = False
    active: bool = True


def demand_key(line_id: str, day: str, shift: str | None) -> str:
    return f"{line_id}|{day}|{shift or ''}"


@dataclass(frozen=True)
class EscalationPlan:
    """A line's own escalation ladder for one call type, instead of the type's (same fields as the
    type's: levels at minutes, at takts for line-stopping types, who each level notifies);
    `key` is "<call type id>|<line id>", one record per key."""

    key: str
    call_type_id: str
    line_id: str
    escalate_minutes: tuple[int, ...] = ()
    escalate_takts: tuple[int, ...] = ()
    escalate_to: tuple[str, ...] = ()
    active: bool = True


def plan_key(call_type_id: str, line_id: str) -> str:
    return f"{call_type_id}|{line_id}"


@dataclass(frozen=True)
class Duty:
    """Who holds a role on a shift: `person` is the "team leader" (the role a level notifies) of the
    shift named `shift` in the calendar, on line `line_id` (None: every line without its own);
    `key` is "<role>|<shift>|<line id or empty>", one record per key."""

    key: str
    role: str
    shift: str
    person: str
    line_id: str | None = None
    active: bool = True


def duty_key(role: str, shift: str, line_id: str | None) -> str:
    return f"{role.strip().lower()}|{shift.strip().lower()}|{line_id or ''}"


_CODE = Str(max_len=40)
_NAME = Str(max_len=120)
_ACTIVE = Bool(required=False)
_BREAK = Obj({"start": Str(max_len=5), "end": Str(max_len=5)})
_SHIFT = Obj({"name": Str(max_len=40), "start": Str(max_len=5), "end": Str(max_len=5),
              "breaks": ListOf(_BREAK, max_len=10)})
_PAUSE_2 = Obj({"start": Str(max_len=5), "end": Str(max_len=5), "kind": Choice("break", "stop", required=False)})
_SHIFT_2 = Obj({"name": Str(max_len=40), "start": Str(max_len=5), "end": Str(max_len=5),
                "breaks": ListOf(_PAUSE_2, max_len=10)})
_OVERRIDE = Obj({"date": Str(max_len=10), "shifts": ListOf(_SHIFT_2, max_len=4),
                 "reason": Str(min_len=0, max_len=120, required=False)})

SCHEMAS: dict[type, dict[str, Field]] = {
    Plant: {"code": _CODE, "name": _NAME, "timezone": Str(max_len=64, required=False)},
    Line: {"code": _CODE, "name": _NAME, "active": _ACTIVE},
    Station: {"code": _CODE, "name": _NAME, "role": Choice(*STATION_ROLES),
              "line_id": Str(max_len=64, required=False, nullable=True), "active": _ACTIVE,
              "bottleneck": Bool(required=False)},
    Part: {"number": _CODE, "name": _NAME, "unit": Str(max_len=12, required=False), "active": _ACTIVE},
    User: {"name": _NAME, "badge": Str(min_len=3, max_len=64), "role": Choice(*ROLE_NAMES),
           "pin_hash": Str(max_len=300), "active": _ACTIVE},
    CallType: {"code": _CODE, "name": _NAME, "color": Str(max_len=9),
               "escalate_minutes": ListOf(Int(min=1, max=24 * 60), max_len=5, required=False),
               "needs_ack": Bool(required=False), "active": _ACTIVE,
               "symbol": Str(max_len=4, required=False), "sound": Str(max_len=40, required=False),
               "severity": Choice(*SEVERITIES, required=False),
               "responder_role": Choice(*ROLE_NAMES, required=False), "stops_line": Bool(required=False),
               "escalate_takts": ListOf(Int(min=1, max=1000), max_len=5, required=False),
               "escalate_to": ListOf(Str(max_len=60), max_len=5, required=False)},
    ShiftCalendar: {"name": _NAME, "shifts": ListOf(_SHIFT, max_len=4),
                    "days": ListOf(Int(min=0, max=6), max_len=7, required=False),
                    "line_id": Str(max_len=64, required=False, nullable=True), "active": _ACTIVE},
    Demand: {"key": Str(max_len=180), "line_id": Str(max_len=64), "day": Str(min_len=10, max_len=10),
             "quantity": Int(min=0, max=10_000_000), "shift": Str(max_len=40, required=False, nullable=True),
             "parts_per_cycle": Int(min=1, max=10_000, required=False), "active": _ACTIVE},
    TaktLine: {"line_id": Str(max_len=64), "window_percent": Int(min=0, max=100, required=False),
               "andon_takts": Int(min=1, max=1000, required=False), "andon_link": Bool(required=False),
               "active": _ACTIVE},
    EscalationPlan: {"key": Str(max_len=140), "call_type_id": Str(max_len=64), "line_id": Str(max_len=64),
                     "escalate_minutes": ListOf(Int(min=1, max=24 * 60), max_len=5, required=False),
                     "escalate_takts": ListOf(Int(min=1, max=1000), max_len=5, required=False),
                     "escalate_to": ListOf(Str(max_len=60), max_len=5, required=False), "active": _ACTIVE},
    Duty: {"key": Str(max_len=240), "role": Str(max_len=60), "shift": Str(max_len=40), "person": _NAME,
           "line_id": Str(max_len=64, required=False, nullable=True), "active": _ACTIVE},
}
# Schema 2 of the calendar: typed pauses, holidays and one-off day overrides (v1 payloads upcast as they are).
SCHEMAS_2: dict[type, dict[str, Field]] = {
    ShiftCalendar: {**SCHEMAS[ShiftCalendar], "shifts": ListOf(_SHIFT_2, max_len=4),
                    "holidays": ListOf(Str(max_len=10), max_len=400, required=False),
                    "overrides": ListOf(_OVERRIDE, max_len=400, required=False)},
}

# Every edit names the version it replaces (the event id of the record's newest event where the edit
# was made); a new record has none. The field is optional, so older events still read.
REPLACES = "replaces"
for _fields in SCHEMAS.values():
    _fields[REPLACES] = Str(max_len=64, required=False, nullable=True)

NAMES: dict[type, str] = {
    Plant: "plant", Line: "line", Station: "station", Part: "part", User: "user",
    CallType: "call_type", ShiftCalendar: "calendar", Demand: "demand",
    TaktLine: "takt_line",
    EscalationPlan: "escalation_plan", Duty: "duty",
}

T = TypeVar("T")


def kind_of(state_type: type) -> str:
    return f"master.{NAMES[state_type]}.upserted"


def from_payload(state_type: type[T], payload: Mapping[str, Any]) -> T:
    """The record from a validated payload (its keys are the record's fields; lists become tuples)."""
    return state_type(**{k: tuple(v) if type(v) is list else v for k, v in payload.items() if k != REPLACES})


def to_payload(record: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(record):
        value = getattr(record, f.name)
        out[f.name] = list(value) if isinstance(value, tuple) else value
    return out


def check_calendar(calendar: ShiftCalendar) -> str | None:
    """A plain-words problem with the calendar's times and dates, or None."""
    shifts = list(calendar.shifts) + [s for o in calendar.overrides for s in o["shifts"]]
    for shift in shifts:
        for label, value in [("start", shift["start"]), ("end", shift["end"])] + [
            (f"break {k}", b[k]) for b in shift["breaks"] for k in ("start", "end")
        ]:
            if not _HHMM.match(value):
                return f"shift '{shift['name']}': {label} '{value}' is not a time like 06:00"
    for day in list(calendar.holidays) + [o["date"] for o in calendar.overrides]:
        if not _DATE.match(day):
            return f"'{day}' is not a date like 2026-12-24"
        try:
            date.fromisoformat(day)
        except ValueError:
            return f"'{day}' is not a date like 2026-12-24"
    return None


def _upsert_projector(state_type: type[T]) -> Projector[T]:
    def apply(_state: T | None, event: Event) -> T:
        return from_payload(state_type, event.payload)

    kind = kind_of(state_type)
    schemas = {1: Schema(SCHEMAS[state_type])}
    upcasters: dict[int, Upcaster] = {}
    if state_type in SCHEMAS_2:
        schemas[2] = Schema(SCHEMAS_2[state_type])
        upcasters[1] = dict
    REGISTRY.register(EventKind(kind, schemas, master=True, upcasters=upcasters))
    return PROJECTORS.add(Projector(NAMES[state_type], state_type, frozenset({kind}), apply))


for _t in NAMES:
    _upsert_projector(_t)
