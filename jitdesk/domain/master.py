"""Master data (plants, lines, stations, parts, users, andon call types, shift calendars).

Each is carried by one `master.<thing>.upserted` event holding the whole record, so the fold is
"the latest record wins" in the deterministic event order. Nothing is deleted: `active` goes false.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, TypeVar

from jitdesk.domain.auth import ROLE_NAMES
from jitdesk.domain.events import REGISTRY, Event, EventKind
from jitdesk.domain.fold import PROJECTORS, Projector
from jitdesk.domain.schema import Bool, Choice, Field, Int, ListOf, Obj, Schema, Str

STATION_ROLES = ("line", "supermarket", "receiving", "supervisor")
SEVERITIES = ("low", "medium", "high", "critical")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


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
    """`shifts` is a tuple of dicts: name, start, end ("HH:MM"), breaks: [{start, end}]; days 0=Monday."""

    name: str
    shifts: tuple[Mapping[str, Any], ...]
    days: tuple[int, ...] = (0, 1, 2, 3, 4)
    line_id: str | None = None
    active: bool = True


_CODE = Str(max_len=40)
_NAME = Str(max_len=120)
_ACTIVE = Bool(required=False)
_BREAK = Obj({"start": Str(max_len=5), "end": Str(max_len=5)})
_SHIFT = Obj({"name": Str(max_len=40), "start": Str(max_len=5), "end": Str(max_len=5),
              "breaks": ListOf(_BREAK, max_len=10)})

SCHEMAS: dict[type, dict[str, Field]] = {
    Plant: {"code": _CODE, "name": _NAME, "timezone": Str(max_len=64, required=False)},
    Line: {"code": _CODE, "name": _NAME, "active": _ACTIVE},
    Station: {"code": _CODE, "name": _NAME, "role": Choice(*STATION_ROLES),
              "line_id": Str(max_len=64, required=False, nullable=True), "active": _ACTIVE},
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
}

# Every edit names the version it replaces (the event id of the record's newest event where the edit
# was made); a new record has none. The field is optional, so older events still read.
REPLACES = "replaces"
for _fields in SCHEMAS.values():
    _fields[REPLACES] = Str(max_len=64, required=False, nullable=True)

NAMES: dict[type, str] = {
    Plant: "plant", Line: "line", Station: "station", Part: "part", User: "user",
    CallType: "call_type", ShiftCalendar: "calendar",
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
    """A plain-words problem with the calendar's times, or None."""
    for shift in calendar.shifts:
        for label, value in [("start", shift["start"]), ("end", shift["end"])] + [
            (f"break {k}", b[k]) for b in shift["breaks"] for k in ("start", "end")
        ]:
            if not _HHMM.match(value):
                return f"shift '{shift['name']}': {label} '{value}' is not a time like 06:00"
    return None


def _upsert_projector(state_type: type[T]) -> Projector[T]:
    def apply(_state: T | None, event: Event) -> T:
        return from_payload(state_type, event.payload)

    kind = kind_of(state_type)
    REGISTRY.register(EventKind(kind, {1: Schema(SCHEMAS[state_type])}, master=True))
    return PROJECTORS.add(Projector(NAMES[state_type], state_type, frozenset({kind}), apply))


for _t in NAMES:
    _upsert_projector(_t)
