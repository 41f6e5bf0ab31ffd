"""What one scan does: a pure decision from the scanned code, the card, its loop and the station.

The station's relation to the card's loop and its role decide the move:
* the loop's consumer station (usually a `line` station): a FULL card is emptied (the replenishment
  signal); a card on its way back (WAIT, PICKING, IN_TRANSIT) is filled; an EMPTY card is refused as
  already empty - a second look at the same bin must never cancel the signal. To fill an EMPTY card at
  the line, scan its status variant `F` (allowed only when the loop's later steps are optional).
* a `supermarket` station supplying the loop (its `supplier_station_id`, or any supermarket when the
  loop names none): moves the card one step along the loop's used statuses (WAIT, PICKING, IN_TRANSIT);
  a loop that does not use PICKING goes straight to IN_TRANSIT.
* a `receiving` station: fills the card.
* a `supervisor` station: only shows the card; a scan there never writes.
A status-variant code asks for its status directly, from a station allowed to set it.
A move that would jump over a status the loop requires is refused (`not_ready`).

The decision holds either one event (kind and payload, for the card entity) or a refusal in plain
words; nothing a scanner sends can produce an event the rules do not allow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from jitdesk.domain.events import REGISTRY
from jitdesk.domain.kanban.card import MOVE_KIND, Card, move_payload
from jitdesk.domain.kanban.codes import CodeRefusal, ParsedCode
from jitdesk.domain.kanban.loop import Loop
from jitdesk.domain.kanban.status import ADMIN_LABELS, LABELS, Admin, Supply, step
from jitdesk.domain.kanban.words import at

DOUBLE_SCAN_MS = 3000  # the same card again within this window is a double scan, not a second event


class ScanResult(StrEnum):
    # a move was decided
    EMPTIED = "emptied"
    BATCHED = "batched"
    PICKED = "picked"
    SHIPPED = "shipped"
    FILLED = "filled"
    # nothing written, nothing wrong
    LOOKUP = "lookup"
    DOUBLE_SCAN = "double_scan"
    # refused
    UNKNOWN = "unknown"
    BAD_CHECK = "bad_check"
    ON_HOLD = "on_hold"
    RETIRED = "retired"
    LOOP_INACTIVE = "loop_inactive"
    ALREADY_EMPTY = "already_empty"
    ALREADY_FULL = "already_full"
    ALREADY_DONE = "already_done"  # the card is already at or past this step
    NOT_READY = "not_ready"  # a step the loop requires has not been scanned yet
    NOT_USED = "not_used"  # the status asked for is not used by this loop
    WRONG_STATION = "wrong_station"
    DUPLICATE_CODE = "duplicate_code"  # two cards in use carry the code (made offline on two devices)


RESULT_OF: dict[Supply, ScanResult] = {
    Supply.EMPTY: ScanResult.EMPTIED, Supply.WAIT: ScanResult.BATCHED, Supply.PICKING: ScanResult.PICKED,
    Supply.IN_TRANSIT: ScanResult.SHIPPED, Supply.FULL: ScanResult.FILLED,
}
_INFO = frozenset({ScanResult.LOOKUP, ScanResult.DOUBLE_SCAN})
_DONE_WORDS = {Supply.WAIT: "batched", Supply.PICKING: "picked", Supply.IN_TRANSIT: "shipped"}


@dataclass(frozen=True)
class ScanStation:
    """The scanning station: its id and role (line, supermarket, receiving, supervisor)."""

    id: str
    role: str


@dataclass(frozen=True)
class ScanDecision:
    """`kind` and `payload` are the event to append for card `card_id`, or None for a refusal."""

    result: ScanResult
    message: str
    kind: str | None = None
    payload: Mapping[str, Any] | None = None
    card_id: str | None = None

    @property
    def ok(self) -> bool:
        return self.kind is not None

    @property
    def tone(self) -> str:
        """`success`, `info` or `refused`: how the station should flash and sound."""
        if self.ok:
            return "success"
        return "info" if self.result in _INFO else "refused"


def decide_scan(
    parsed: ParsedCode | CodeRefusal,
    card: Card | None,
    loop: Loop | None,
    station: ScanStation,
    now_ms: int,
    last_scan_ms: int | None = None,
    double_scan_window_ms: int = DOUBLE_SCAN_MS,
) -> ScanDecision:
    """Decide one scan.

    `card` is the card found by `parsed.code` (None when there is none), `loop` its loop.
    `last_scan_ms` is when a scan of this card last wrote an event at this station, if ever.
    """
    if isinstance(parsed, CodeRefusal):
        return ScanDecision(ScanResult(parsed.reason), parsed.message)
    code = parsed.code
    if card is None or not card.added or card.code != code:
        return ScanDecision(ScanResult.UNKNOWN, f"unknown card {code}: no such card in this plant")
    if station.role == "supervisor":
        return ScanDecision(ScanResult.LOOKUP, _describe(card, loop), card_id=card.card_id)
    if last_scan_ms is not None and abs(now_ms - last_scan_ms) < double_scan_window_ms:
        return _refuse(ScanResult.DOUBLE_SCAN, card, f"double scan: card {code} was just scanned, "
                                                     "nothing more done")
    if card.admin is Admin.RETIRED:
        return _refuse(ScanResult.RETIRED, card, f"card {code} is retired: take it out of the loop")
    if card.admin is Admin.ON_HOLD:
        return _refuse(ScanResult.ON_HOLD, card, f"card {code} is on hold: ask a supervisor")
    if loop is None:
        return _refuse(ScanResult.UNKNOWN, card, f"card {code}: its loop is not known here yet")
    if not loop.active:
        return _refuse(ScanResult.LOOP_INACTIVE, card, f"card {code}: loop {loop.code} is not in use")
    if parsed.status is None:
        target = _implied_target(card, loop, station)
    else:
        target = _asked_target(parsed.status, card, loop, station)
    if isinstance(target, ScanDecision):
        return target
    missing = loop.rules.missing_required(card.supply, target)
    if missing is not None:
        return _refuse(ScanResult.NOT_READY, card,
                       f"card {code} is not {_DONE_WORDS.get(missing, LABELS[missing])} yet: "
                       f"it is {LABELS[card.supply]}; scan it at the supplier first")
    kind = MOVE_KIND[target]
    payload = move_payload(station.id, card.supply)
    REGISTRY.validate(kind, REGISTRY.get(kind).version, payload)  # a bad station id is a bug, said early
    result = RESULT_OF[target]
    return ScanDecision(result, f"{result.value}: card {code} ({loop.code} #{card.number}) is now "
                                f"{LABELS[target]}", kind, payload, card.card_id)


def _refuse(result: ScanResult, card: Card, message: str) -> ScanDecision:
    return ScanDecision(result, message, card_id=card.card_id)


def _describe(card: Card, loop: Loop | None) -> str:
    where = f"loop {loop.code}" if loop is not None else "loop not known here"
    text = (f"card {card.code}: {where}, card {card.number}, {LABELS[card.supply]} since "
            f"{at(card.status_since_ms)}, {ADMIN_LABELS[card.admin]}, {card.print_state}")
    if card.anomaly_count:
        text += f", {card.anomaly_count} anomalies"
    return text


def _is_supplier(loop: Loop, station: ScanStation) -> bool:
    if station.role != "supermarket" or station.id == loop.consumer_station_id:
        return False
    return loop.supplier_station_id is None or loop.supplier_station_id == station.id


def _implied_target(card: Card, loop: Loop, station: ScanStation) -> Supply | ScanDecision:
    current = card.supply
    code = card.code
    if station.id == loop.consumer_station_id:
        if current is Supply.FULL:
            return Supply.EMPTY
        if current is Supply.EMPTY:
            return _refuse(ScanResult.ALREADY_EMPTY, card,
                           f"card {code} is already empty (since {at(card.status_since_ms)})")
        return Supply.FULL
    if station.role == "receiving":
        if current is Supply.FULL:
            return _refuse(ScanResult.ALREADY_FULL, card, f"card {code} is already full")
        return Supply.FULL
    if not _is_supplier(loop, station):
        return _refuse(ScanResult.WRONG_STATION, card,
                       f"wrong station for card {code}: loop {loop.code} is not handled here")
    if current is Supply.FULL:
        return _refuse(ScanResult.ALREADY_FULL, card,
                       f"card {code} is full: it has not been emptied at the line")
    following = loop.rules.next_supplier_step(current)
    if following is not None:
        return following
    if current is Supply.EMPTY:
        return _refuse(ScanResult.WRONG_STATION, card, f"wrong station for card {code}: loop {loop.code} "
                                                       "has no supermarket step, fill it where it is used")
    return _refuse(ScanResult.ALREADY_DONE, card, f"card {code} is already {LABELS[current]}")


def _asked_target(asked: Supply, card: Card, loop: Loop, station: ScanStation) -> Supply | ScanDecision:
    current = card.supply
    code = card.code
    consumer = station.id == loop.consumer_station_id
    if asked is Supply.EMPTY:
        allowed = consumer
    elif asked is Supply.FULL:
        allowed = consumer or station.role == "receiving"
    else:
        allowed = _is_supplier(loop, station)
    if not allowed:
        return _refuse(ScanResult.WRONG_STATION, card,
                       f"wrong station: card {code} cannot be made {LABELS[asked]} here")
    if not loop.rules.uses(asked):
        return _refuse(ScanResult.NOT_USED, card, f"loop {loop.code} does not use {LABELS[asked]}")
    if asked is Supply.EMPTY:
        if current is Supply.FULL:
            return asked
        return _refuse(ScanResult.ALREADY_EMPTY, card, f"card {code} was already emptied: it is "
                                                       f"{LABELS[current]}")
    if current is Supply.FULL:
        return _refuse(ScanResult.ALREADY_FULL, card, f"card {code} is already full")
    if step(current) >= step(asked):
        return _refuse(ScanResult.ALREADY_DONE, card, f"card {code} is already {LABELS[current]}")
    return asked
