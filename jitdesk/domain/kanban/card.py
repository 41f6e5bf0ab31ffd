"""Kanban cards: their event kinds and the fold ("card" projector) that is the card state machine.

The fold is total: every validated event changes the state or leaves it, never raises. A move that
breaks the rules (emptied twice by two stations working offline, picked while FULL, ...) is still
folded where that makes sense and noted as an anomaly, so no fact is lost and every copy of the log
reaches the same state. Times are the physical part of the event's HLC, in Unix milliseconds.

Supply moves at the fold level:
* to EMPTY: from FULL starts a cycle; from EMPTY is a repeat (anomaly, kept as it was); from a later
  step means the fill was not scanned (anomaly, a new cycle starts).
* to WAIT / PICKING / IN_TRANSIT: forward moves are folded (jumping optional steps is the scan
  decision's business, not the fold's); a repeat or a step back is an anomaly and changes nothing;
  from FULL the empty scan was missed (anomaly, the cycle starts now).
* to FULL: closes the cycle from any step; from FULL it is a repeat (anomaly).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jitdesk.domain.clock import physical_ms
from jitdesk.domain.events import REGISTRY, Event, EventKind
from jitdesk.domain.fold import PROJECTORS, Projector
from jitdesk.domain.kanban.status import Admin, Supply, step
from jitdesk.domain.messages import Message, Param, define, from_stored, message
from jitdesk.domain.schema import Choice, Field, Int, Schema, Str

CARD_ADDED = "kanban.card.added"
CARD_RETIRED = "kanban.card.retired"
CARD_HELD = "kanban.card.held"
CARD_RELEASED = "kanban.card.released"
CARD_EMPTIED = "kanban.card.emptied"
CARD_BATCHED = "kanban.card.batched"  # into WAIT
CARD_PICKED = "kanban.card.picked"
CARD_SHIPPED = "kanban.card.shipped"  # into IN_TRANSIT
CARD_FILLED = "kanban.card.filled"
CARD_PRINTED = "kanban.card.printed"

# The supply status each move kind puts the card in, and back.
MOVE_TARGET: dict[str, Supply] = {
    CARD_EMPTIED: Supply.EMPTY, CARD_BATCHED: Supply.WAIT, CARD_PICKED: Supply.PICKING,
    CARD_SHIPPED: Supply.IN_TRANSIT, CARD_FILLED: Supply.FULL,
}
MOVE_KIND: dict[Supply, str] = {target: kind for kind, target in MOVE_TARGET.items()}

# Anomaly notes: a code and raw parameters (every note also has `at_ms`, when it happened; `kind` is
# the event kind, `station` a station id, `status` a Supply value, `since_ms`/`since_station` when and
# where the card entered that status). The words are the renderer's (jitdesk/services/words.py).
_SINCE = ("status", "since_ms", "since_station")
BEFORE_ADDED = define("card.before_added", "at_ms", "kind")
WHILE_HELD = define("card.moved_while_held", "at_ms", "kind", "station")
AFTER_RETIRED = define("card.moved_after_retired", "at_ms", "kind", "station")
MOVED_TWICE = define("card.moved_twice", "at_ms", "kind", "station", *_SINCE)
FILL_NOT_SCANNED = define("card.fill_not_scanned", "at_ms", "station", *_SINCE)
EMPTY_SCAN_MISSED = define("card.empty_scan_missed", "at_ms", "kind", "station", *_SINCE)
MOVED_BACK = define("card.moved_back", "at_ms", "kind", "station", *_SINCE)
ADDED_AGAIN = define("card.added_again", "at_ms")
ADMIN_AFTER_RETIRED = define("card.admin_after_retired", "at_ms", "kind")
PRINTED_AGAIN = define("card.printed_again", "at_ms", "version", "current")

MAX_ANOMALIES = 20  # the newest notes kept on the card; `anomaly_count` keeps the total

_STATION = Str(max_len=64)
_SEEN = Choice(*(s.value for s in Supply), required=False)  # the status the deciding device saw
_REASON = Str(max_len=200, required=False)

_MOVE_FIELDS: dict[str, Field] = {"station_id": _STATION, "seen_status": _SEEN}
SCHEMAS: dict[str, dict[str, Field]] = {
    CARD_ADDED: {"loop_id": Str(max_len=64), "number": Int(min=1, max=9999), "code": Str(max_len=20),
                 "status": Choice(Supply.FULL.value, Supply.EMPTY.value, required=False)},
    CARD_RETIRED: {"reason": _REASON},
    CARD_HELD: {"reason": _REASON},
    CARD_RELEASED: {"reason": _REASON},
    CARD_EMPTIED: _MOVE_FIELDS,
    CARD_BATCHED: _MOVE_FIELDS,
    CARD_PICKED: _MOVE_FIELDS,
    CARD_SHIPPED: _MOVE_FIELDS,
    CARD_FILLED: {**_MOVE_FIELDS, "qty": Int(min=0, max=1_000_000, required=False)},
    CARD_PRINTED: {"version": Int(min=1, max=9999)},
}
MASTER_KINDS = frozenset({CARD_ADDED, CARD_RETIRED})  # planner actions: admin devices only
CARD_KINDS = frozenset(SCHEMAS)

for _name, _fields in SCHEMAS.items():
    REGISTRY.register(EventKind(_name, {1: Schema(_fields)}, master=_name in MASTER_KINDS))


@dataclass(frozen=True)
class Card:
    """One card's state. `print_version` 0: never printed, 1: printed, n > 1: reprint version n."""

    card_id: str
    loop_id: str
    number: int
    code: str
    supply: Supply = Supply.FULL
    admin: Admin = Admin.ACTIVE
    print_version: int = 0
    status_since_hlc: int = 0  # when the card entered its supply status
    status_since_ms: int = 0
    status_station_id: str | None = None  # the station that put it there
    emptied_ms: int | None = None  # start of the running replenishment cycle; None when FULL
    last_moved_ms: int | None = None  # the latest supply event folded, repeats included
    added: bool = False  # False while only events older than its `added` event are known
    anomalies: tuple[Message, ...] = ()  # the newest notes, oldest first
    anomaly_count: int = 0

    def __post_init__(self) -> None:
        # a stored row gives plain strings back: make them the enums again
        object.__setattr__(self, "supply", Supply(self.supply))
        object.__setattr__(self, "admin", Admin(self.admin))
        # stored notes come back as [code, params] lists, or as sentences from older versions
        if not all(type(note) is Message for note in self.anomalies):
            object.__setattr__(self, "anomalies", tuple(from_stored(note) for note in self.anomalies))

    @property
    def print_state(self) -> str:
        if self.print_version == 0:
            return "never printed"
        if self.print_version == 1:
            return "printed"
        return f"reprint version {self.print_version}"

    @property
    def in_use(self) -> bool:
        """Active and not retired or held: the card counts in its loop."""
        return self.admin is Admin.ACTIVE


def replace(card: Card, **changes: Any) -> Card:
    """A changed copy, like dataclasses.replace but without re-running __init__ and __post_init__:
    the fold makes one or two copies per event, so this is the projector's hot path."""
    new = object.__new__(Card)
    state = new.__dict__
    state.update(card.__dict__)
    state.update(changes)
    return new


def move_payload(station_id: str, seen: Supply | None = None, **extra: Any) -> dict[str, Any]:
    """Payload of a supply move (emptied, batched, picked, shipped, filled)."""
    payload: dict[str, Any] = {"station_id": station_id, **extra}
    if seen is not None:
        payload["seen_status"] = seen.value
    return payload


def _note(card: Card, ms: int, code: str, /, **params: Param) -> Card:
    notes = (*card.anomalies, message(code, at_ms=ms, **params))[-MAX_ANOMALIES:]
    return replace(card, anomalies=notes, anomaly_count=card.anomaly_count + 1)


def _since(card: Card) -> dict[str, Param]:
    """Where the card is and since when: the `status`, `since_ms`, `since_station` of a note."""
    return {"status": card.supply.value, "since_ms": card.status_since_ms,
            "since_station": card.status_station_id}


def _enter(card: Card, event: Event, target: Supply, station: str | None, ms: int) -> Card:
    if target is Supply.FULL:
        emptied = None
    elif target is Supply.EMPTY or card.supply is Supply.FULL:
        emptied = ms  # a new cycle starts
    else:
        emptied = card.emptied_ms
    return replace(card, supply=target, status_since_hlc=event.hlc, status_since_ms=ms,
                   status_station_id=station, emptied_ms=emptied, last_moved_ms=ms)


def _move(card: Card, event: Event) -> Card:
    target = MOVE_TARGET[event.kind]
    kind = event.kind
    station: str = event.payload["station_id"]
    ms = physical_ms(event.hlc)
    current = card.supply
    if not card.added:
        card = _note(card, ms, BEFORE_ADDED, kind=kind)
    if card.admin is Admin.ON_HOLD:
        card = _note(card, ms, WHILE_HELD, kind=kind, station=station)
    elif card.admin is Admin.RETIRED:
        card = _note(card, ms, AFTER_RETIRED, kind=kind, station=station)
    if current is target:
        card = replace(card, last_moved_ms=ms)
        return _note(card, ms, MOVED_TWICE, kind=kind, station=station, **_since(card))
    if target is Supply.EMPTY:
        if current is not Supply.FULL:
            card = _note(card, ms, FILL_NOT_SCANNED, station=station, **_since(card))
        return _enter(card, event, target, station, ms)
    if target is Supply.FULL:
        return _enter(card, event, target, station, ms)
    if current is Supply.FULL:
        card = _note(card, ms, EMPTY_SCAN_MISSED, kind=kind, station=station, **_since(card))
        return _enter(card, event, target, station, ms)
    if step(target) < step(current):
        return _note(replace(card, last_moved_ms=ms), ms, MOVED_BACK, kind=kind, station=station, **_since(card))
    return _enter(card, event, target, station, ms)


def _add(card: Card, event: Event) -> Card:
    ms = physical_ms(event.hlc)
    if card.added:
        return _note(card, ms, ADDED_AGAIN)
    p = event.payload
    card = replace(card, loop_id=p["loop_id"], number=p["number"], code=p["code"], added=True)
    if card.last_moved_ms is None:  # nothing moved it yet: it starts in the status it was added with
        start = Supply(p.get("status", Supply.FULL.value))
        card = replace(card, supply=start, status_since_hlc=event.hlc, status_since_ms=ms,
                       emptied_ms=ms if start is Supply.EMPTY else None)
    return card


def _admin(card: Card, event: Event) -> Card:
    ms = physical_ms(event.hlc)
    if not card.added:
        card = _note(card, ms, BEFORE_ADDED, kind=event.kind)
    if event.kind == CARD_RETIRED:
        return replace(card, admin=Admin.RETIRED)
    if card.admin is Admin.RETIRED:
        return _note(card, ms, ADMIN_AFTER_RETIRED, kind=event.kind)
    # holding a held card or releasing an active one is harmless (two supervisors at once)
    return replace(card, admin=Admin.ON_HOLD if event.kind == CARD_HELD else Admin.ACTIVE)


def _printed(card: Card, event: Event) -> Card:
    version: int = event.payload["version"]
    if not card.added:
        card = _note(card, physical_ms(event.hlc), BEFORE_ADDED, kind=event.kind)
    if version <= card.print_version:
        card = _note(card, physical_ms(event.hlc), PRINTED_AGAIN, version=version, current=card.print_version)
    return replace(card, print_version=max(version, card.print_version))


def apply(state: Card | None, event: Event) -> Card:
    """Fold one card event onto the card's state (None before its first event)."""
    card = state
    if card is None:
        ms = physical_ms(event.hlc)
        card = Card(event.entity_id, loop_id="", number=0, code="", status_since_hlc=event.hlc,
                    status_since_ms=ms)
    if event.kind == CARD_ADDED:
        return _add(card, event)
    if event.kind in MOVE_TARGET:
        return _move(card, event)
    if event.kind == CARD_PRINTED:
        return _printed(card, event)
    return _admin(card, event)


CARD_PROJECTOR = PROJECTORS.add(Projector("card", Card, CARD_KINDS, apply, version=2))  # 2: notes as message codes
