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

The decision holds either one event (kind and payload, for the card entity) or a refusal, and a
message (a code with raw parameters, `scan.*`; jitdesk/services/words.py has the words); nothing a
scanner sends can produce an event the rules do not allow.
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
from jitdesk.domain.kanban.status import Admin, Supply, step
from jitdesk.domain.messages import Message, Param, define, message

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

# Scan answers: `code` is the card code, `loop` a loop code, `status`/`asked`/`missing` Supply values,
# `since_ms` a Unix ms time. A move's answer has one code per result, so each language words it freely.
BAD_CODE = {"unknown": define("scan.unknown_code"), "bad_check": define("scan.bad_check")}
UNKNOWN_CARD = define("scan.unknown_card", "code")
LOOKUP = define("scan.lookup", "code", "loop", "number", "status", "since_ms", "admin", "print_version",
                "anomalies")
DOUBLE = define("scan.double_scan", "code")
RETIRED = define("scan.retired", "code")
ON_HOLD = define("scan.on_hold", "code")
LOOP_UNKNOWN = define("scan.loop_unknown", "code")
LOOP_INACTIVE = define("scan.loop_inactive", "code", "loop")
NOT_READY = define("scan.not_ready", "code", "missing", "status")
MOVED = {result: define(f"scan.{result.value}", "code", "loop", "number", "status")
         for result in (ScanResult.EMPTIED, ScanResult.BATCHED, ScanResult.PICKED, ScanResult.SHIPPED,
                        ScanResult.FILLED)}
ALREADY_EMPTY = define("scan.already_empty", "code", "since_ms")
ALREADY_FULL = define("scan.already_full", "code")
NOT_EMPTIED = define("scan.full_not_emptied", "code")
WRONG_STATION = define("scan.wrong_station", "code", "loop")
NO_SUPERMARKET_STEP = define("scan.no_supermarket_step", "code", "loop")
ALREADY_DONE = define("scan.already_done", "code", "status")
WRONG_STATION_FOR = define("scan.wrong_station_for_status", "code", "asked")
NOT_USED = define("scan.not_used", "loop", "asked")
ALREADY_EMPTIED = define("scan.already_emptied", "code", "status")


@dataclass(frozen=True)
class ScanStation:
    """The scanning station: its id and role (line, supermarket, receiving, supervisor)."""

    id: str
    role: str


@dataclass(frozen=True)
class ScanDecision:
    """`kind` and `payload` are the event to append for card `card_id`, or None for a refusal."""

    result: ScanResult
    message: Message
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
        return ScanDecision(ScanResult(parsed.reason), message(BAD_CODE[parsed.reason]))
    code = parsed.code
    if card is None or not card.added or card.code != code:
        return ScanDecision(ScanResult.UNKNOWN, message(UNKNOWN_CARD, code=code))
    if station.role == "supervisor":
        return ScanDecision(ScanResult.LOOKUP, _describe(card, loop), card_id=card.card_id)
    if last_scan_ms is not None and abs(now_ms - last_scan_ms) < double_scan_window_ms:
        return _refuse(ScanResult.DOUBLE_SCAN, card, DOUBLE, code=code)
    if card.admin is Admin.RETIRED:
        return _refuse(ScanResult.RETIRED, card, RETIRED, code=code)
    if card.admin is Admin.ON_HOLD:
        return _refuse(ScanResult.ON_HOLD, card, ON_HOLD, code=code)
    if loop is None:
        return _refuse(ScanResult.UNKNOWN, card, LOOP_UNKNOWN, code=code)
    if not loop.active:
        return _refuse(ScanResult.LOOP_INACTIVE, card, LOOP_INACTIVE, code=code, loop=loop.code)
    if parsed.status is None:
        target = _implied_target(card, loop, station)
    else:
        target = _asked_target(parsed.status, card, loop, station)
    if isinstance(target, ScanDecision):
        return target
    missing = loop.rules.missing_required(card.supply, target)
    if missing is not None:
        return _refuse(ScanResult.NOT_READY, card, NOT_READY, code=code, missing=missing.value,
                       status=card.supply.value)
    kind = MOVE_KIND[target]
    payload = move_payload(station.id, card.supply)
    REGISTRY.validate(kind, REGISTRY.get(kind).version, payload)  # a bad station id is a bug, said early
    result = RESULT_OF[target]
    answer = message(MOVED[result], code=code, loop=loop.code, number=card.number, status=target.value)
    return ScanDecision(result, answer, kind, payload, card.card_id)


def _refuse(result: ScanResult, card: Card, code: str, /, **params: Param) -> ScanDecision:
    return ScanDecision(result, message(code, **params), card_id=card.card_id)


def _describe(card: Card, loop: Loop | None) -> Message:
    return message(LOOKUP, code=card.code, loop=None if loop is None else loop.code, number=card.number,
                   status=card.supply.value, since_ms=card.status_since_ms, admin=card.admin.value,
                   print_version=card.print_version, anomalies=card.anomaly_count)


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
            return _refuse(ScanResult.ALREADY_EMPTY, card, ALREADY_EMPTY, code=code,
                           since_ms=card.status_since_ms)
        return Supply.FULL
    if station.role == "receiving":
        if current is Supply.FULL:
            return _refuse(ScanResult.ALREADY_FULL, card, ALREADY_FULL, code=code)
        return Supply.FULL
    if not _is_supplier(loop, station):
        return _refuse(ScanResult.WRONG_STATION, card, WRONG_STATION, code=code, loop=loop.code)
    if current is Supply.FULL:
        return _refuse(ScanResult.ALREADY_FULL, card, NOT_EMPTIED, code=code)
    following = loop.rules.next_supplier_step(current)
    if following is not None:
        return following
    if current is Supply.EMPTY:
        return _refuse(ScanResult.WRONG_STATION, card, NO_SUPERMARKET_STEP, code=code, loop=loop.code)
    return _refuse(ScanResult.ALREADY_DONE, card, ALREADY_DONE, code=code, status=current.value)


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
        return _refuse(ScanResult.WRONG_STATION, card, WRONG_STATION_FOR, code=code, asked=asked.value)
    if not loop.rules.uses(asked):
        return _refuse(ScanResult.NOT_USED, card, NOT_USED, loop=loop.code, asked=asked.value)
    if asked is Supply.EMPTY:
        if current is Supply.FULL:
            return asked
        return _refuse(ScanResult.ALREADY_EMPTY, card, ALREADY_EMPTIED, code=code, status=current.value)
    if current is Supply.FULL:
        return _refuse(ScanResult.ALREADY_FULL, card, ALREADY_FULL, code=code)
    if step(current) >= step(asked):
        return _refuse(ScanResult.ALREADY_DONE, card, ALREADY_DONE, code=code, status=current.value)
    return asked
