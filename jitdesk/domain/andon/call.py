"""Andon calls: their event kinds and the fold ("andon_call" projector), a monotone lattice.

A call moves raised < acknowledged < closed (resolved or cancelled). The state is a join of slots,
each filled by one event and chosen the same way whatever order the events come in:
* `raised`: the earliest raise (by the event order key) gives station, type and what it stopped;
* `ack`: the earliest acknowledgement (who claimed it, when);
* `end`: the earliest resolve or cancel (which, why, by whom);
* manual escalation: the highest level asked for (and when it was first asked);
* shelving: the shelve with the latest expiry.
Every slot is a min or a max, so `apply` is commutative, associative and idempotent: any arrival
order and any duplicates give the same call. `status` is read from the slots, never stored apart
from them. Times are the physical part of the event's HLC, in Unix milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from jitdesk.domain.clock import physical_ms
from jitdesk.domain.events import REGISTRY, Event, EventKind
from jitdesk.domain.fold import PROJECTORS, Projector
from jitdesk.domain.master import SEVERITIES
from jitdesk.domain.schema import Bool, Choice, Field, Int, Schema, Str

CALL_RAISED = "andon.call.raised"
CALL_ACKNOWLEDGED = "andon.call.acknowledged"
CALL_RESOLVED = "andon.call.resolved"
CALL_CANCELLED = "andon.call.cancelled"
CALL_ESCALATED = "andon.call.escalated"
CALL_SHELVED = "andon.call.shelved"

SOURCES = ("button", "scan", "serial", "kanban", "board", "simulator")
# Why a call was resolved: codes, the words are the renderer's (services/words.py "andon.reason.*").
REASONS = ("fixed", "material_delivered", "part_replaced", "adjusted", "instructed", "false_alarm", "other")
MAX_LEVEL = 5

_ID = Str(max_len=64)
_TEXT = Str(min_len=0, max_len=200, required=False)
_NAME = Str(min_len=0, max_len=120, required=False)
SCHEMAS: dict[str, dict[str, Field]] = {
    CALL_RAISED: {"station_id": _ID, "call_type_id": _ID, "source": Choice(*SOURCES),
                  "severity": Choice(*SEVERITIES), "stops_line": Bool(), "note": _TEXT,
                  "loop_id": Str(max_len=64, required=False, nullable=True)},
    CALL_ACKNOWLEDGED: {"by_name": _NAME, "note": _TEXT},
    CALL_RESOLVED: {"reason": Choice(*REASONS), "text": _TEXT, "by_name": _NAME},
    CALL_CANCELLED: {"text": _TEXT, "by_name": _NAME},
    CALL_ESCALATED: {"level": Int(min=1, max=MAX_LEVEL), "by_name": _NAME},
    CALL_SHELVED: {"until_ms": Int(min=0, max=1 << 50), "by_name": _NAME, "text": _TEXT},
}
CALL_KINDS = frozenset(SCHEMAS)

for _name, _fields in SCHEMAS.items():
    REGISTRY.register(EventKind(_name, {1: Schema(_fields)}))


class Status(StrEnum):
    RAISED = "raised"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
    CANCELLED = "cancelled"


OPEN = frozenset({Status.RAISED, Status.ACKNOWLEDGED})
NO_KEY: tuple[Any, ...] = ()  # an empty slot


@dataclass(frozen=True)
class Call:
    """One call's state. A `*_key` is the order key (hlc, device, seq) of the event that filled its
    slot, () while the slot is empty; it is what makes the choice between two events deterministic."""

    call_id: str
    status: Status = Status.RAISED
    station_id: str = ""  # "" while only later events are known (the raise has not arrived)
    call_type_id: str = ""
    source: str = ""
    severity: str = "medium"  # of the type when it was raised: a later edit does not rewrite history
    stops_line: bool = False
    note: str = ""
    loop_id: str | None = None
    raised_ms: int = 0
    raised_by: str | None = None
    raised_key: tuple[Any, ...] = NO_KEY
    ack_ms: int | None = None
    ack_by: str | None = None
    ack_name: str = ""
    ack_key: tuple[Any, ...] = NO_KEY
    end_ms: int | None = None
    end_by: str | None = None
    end_name: str = ""
    end_reason: str | None = None  # a REASONS code; None when cancelled
    end_text: str = ""
    end_key: tuple[Any, ...] = NO_KEY
    manual_level: int = 0
    manual_ms: int | None = None
    shelved_ms: int | None = None
    shelved_until_ms: int | None = None
    shelved_by: str | None = None
    shelved_key: tuple[Any, ...] = NO_KEY

    def __post_init__(self) -> None:
        # a stored row gives plain values back: the enum and the keys as tuples again
        object.__setattr__(self, "status", Status(self.status))
        for name in ("raised_key", "ack_key", "end_key", "shelved_key"):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))

    @property
    def raised(self) -> bool:
        return bool(self.raised_key)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def acknowledged(self) -> bool:
        return bool(self.ack_key)

    def shelved_at(self, now_ms: int) -> bool:
        return self.shelved_until_ms is not None and (self.shelved_ms or 0) <= now_ms < self.shelved_until_ms


def _status(call: Call) -> Status:
    if call.end_key:
        return Status.CANCELLED if call.end_reason is None else Status.RESOLVED
    return Status.ACKNOWLEDGED if call.ack_key else Status.RAISED


def _earlier(current: tuple[Any, ...], key: tuple[Any, ...]) -> bool:
    """True when the slot is empty or `key` sorts before the event that filled it."""
    return not current or key < current


def apply(state: Call | None, event: Event) -> Call:
    """Join one event into the call (None before its first event); see the module docstring."""
    call = state if state is not None else Call(event.entity_id)
    key = event.order_key
    ms = physical_ms(event.hlc)
    p = event.payload
    kind = event.kind
    if kind == CALL_RAISED:
        if _earlier(call.raised_key, key):
            call = replace(call, station_id=p["station_id"], call_type_id=p["call_type_id"], source=p["source"],
                           severity=p["severity"], stops_line=p["stops_line"], note=p.get("note", ""),
                           loop_id=p.get("loop_id"), raised_ms=ms, raised_by=event.actor, raised_key=key)
    elif kind == CALL_ACKNOWLEDGED:
        if _earlier(call.ack_key, key):
            call = replace(call, ack_ms=ms, ack_by=event.actor, ack_name=p.get("by_name", ""), ack_key=key)
    elif kind in (CALL_RESOLVED, CALL_CANCELLED):
        if _earlier(call.end_key, key):
            reason = p["reason"] if kind == CALL_RESOLVED else None
            call = replace(call, end_ms=ms, end_by=event.actor, end_name=p.get("by_name", ""), end_reason=reason,
                           end_text=p.get("text", ""), end_key=key)
    elif kind == CALL_ESCALATED:
        level: int = p["level"]
        if level > call.manual_level:
            call = replace(call, manual_level=level, manual_ms=ms)
        elif level == call.manual_level and call.manual_ms is not None and ms < call.manual_ms:
            call = replace(call, manual_ms=ms)
    elif kind == CALL_SHELVED:
        until: int = p["until_ms"]
        current = call.shelved_until_ms
        if current is None or (until, key) > (current, call.shelved_key):
            call = replace(call, shelved_ms=ms, shelved_until_ms=until, shelved_by=event.actor, shelved_key=key)
    status = _status(call)
    return call if status is call.status else replace(call, status=status)


CALL_PROJECTOR = PROJECTORS.add(Projector("andon_call", Call, CALL_KINDS, apply))
