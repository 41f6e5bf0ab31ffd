"""Scan decisions: every station role, every refusal, and no scan can write an event the rules forbid."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitdesk.domain.events import REGISTRY
from jitdesk.domain.fold import PROJECTORS
from jitdesk.domain.kanban.card import CARD_ADDED, MOVE_TARGET, Card
from jitdesk.domain.kanban.codes import ParsedCode, card_code, parse_scan, status_code
from jitdesk.domain.kanban.loop import Loop
from jitdesk.domain.kanban.scan import DOUBLE_SCAN_MS, ScanDecision, ScanResult, ScanStation, decide_scan
from jitdesk.domain.kanban.status import CYCLE, Admin, Rule, Supply, step
from jitdesk.domain.messages import Message
from jitdesk.services.words import Words
from tests.helpers.kanban_events import CARD_ID, MIN, T0, Device, make_loop

R = ScanResult
LINE = ScanStation("line-1", "line")
OTHER_LINE = ScanStation("line-2", "line")
SM = ScanStation("sm-1", "supermarket")
OTHER_SM = ScanStation("sm-2", "supermarket")
RCV = ScanStation("rcv-1", "receiving")
SUP = ScanStation("sup-1", "supervisor")
STATIONS = [LINE, OTHER_LINE, SM, OTHER_SM, RCV, SUP, ScanStation("kiosk-1", "kiosk")]
SERIAL = 7
CODE = card_code(SERIAL)
NOW = T0 + 60 * MIN
said = Words().render  # UTC, strict under the test suite


def make_card(supply: Supply = Supply.FULL, admin: Admin = Admin.ACTIVE, **changes: Any) -> Card:
    values: dict[str, Any] = {"supply": supply, "admin": admin, "added": True, "status_since_ms": T0,
                              "emptied_ms": None if supply is Supply.FULL else T0}
    values.update(changes)
    return Card(CARD_ID, "loop-1", 3, CODE, **values)


def scan(station: ScanStation, supply: Supply = Supply.FULL, *, loop: Loop | None = None,
         asked: Supply | None = None, text: str | None = None, card: Card | None = None,
         last: int | None = None, now: int = NOW) -> ScanDecision:
    if text is None:
        text = CODE if asked is None else status_code(SERIAL, asked)
    return decide_scan(parse_scan(text), card or make_card(supply), loop or make_loop(), station, now, last)


PICK = {"picking_rule": Rule.REQUIRED}
PICK_DIRECT = {"picking_rule": Rule.REQUIRED, "in_transit_rule": Rule.OPTIONAL}
PICK_OPT = {"picking_rule": Rule.OPTIONAL}
TRANSIT_OPT = {"in_transit_rule": Rule.OPTIONAL}
WAIT = {"wait_rule": Rule.REQUIRED}
BARE = {"in_transit_rule": Rule.NOT_ALLOWED}
EXTERNAL = {"supplier_kind": "external", "supplier_station_id": None}
F, E, W, P, T = Supply.FULL, Supply.EMPTY, Supply.WAIT, Supply.PICKING, Supply.IN_TRANSIT


@pytest.mark.parametrize(("station", "supply", "rules", "asked", "expected"), [
    # the default loop: FULL -> EMPTY -> IN_TRANSIT -> FULL
    (LINE, F, {}, None, R.EMPTIED),
    (LINE, E, {}, None, R.ALREADY_EMPTY),
    (LINE, T, {}, None, R.FILLED),
    (SM, E, {}, None, R.SHIPPED),  # no PICKING in this loop: straight to IN_TRANSIT
    (SM, F, {}, None, R.ALREADY_FULL),
    (SM, T, {}, None, R.ALREADY_DONE),
    (OTHER_SM, E, {}, None, R.WRONG_STATION),
    (OTHER_LINE, F, {}, None, R.WRONG_STATION),
    (ScanStation("kiosk-1", "kiosk"), F, {}, None, R.WRONG_STATION),
    (RCV, T, {}, None, R.FILLED),
    (RCV, E, {}, None, R.NOT_READY),  # IN_TRANSIT is required: not shipped yet
    (RCV, F, {}, None, R.ALREADY_FULL),
    (SUP, E, {}, None, R.LOOKUP),
    # PICKING required
    (SM, E, PICK, None, R.PICKED),
    (SM, P, PICK, None, R.SHIPPED),
    (LINE, P, PICK, None, R.NOT_READY),
    (RCV, E, PICK_DIRECT, None, R.NOT_READY),
    (LINE, P, PICK_DIRECT, None, R.FILLED),  # IN_TRANSIT optional: picked bins may go straight in
    # IN_TRANSIT optional: receiving may fill an EMPTY card, a plain line scan never cancels the signal
    (RCV, E, TRANSIT_OPT, None, R.FILLED),
    (LINE, E, TRANSIT_OPT, None, R.ALREADY_EMPTY),
    (LINE, E, TRANSIT_OPT, F, R.FILLED),
    (LINE, E, {}, F, R.NOT_READY),
    # WAIT (batching) required
    (SM, E, WAIT, None, R.BATCHED),
    (SM, W, WAIT, None, R.SHIPPED),
    # no supermarket step at all
    (SM, E, BARE, None, R.WRONG_STATION),
    (RCV, E, BARE, None, R.FILLED),
    # a loop naming no supplier station: any supermarket handles it
    (OTHER_SM, E, EXTERNAL, None, R.SHIPPED),
    # status-variant codes
    (SM, E, {}, P, R.NOT_USED),
    (SM, E, {}, T, R.SHIPPED),
    (SM, T, {}, T, R.ALREADY_DONE),
    (SM, F, {}, T, R.ALREADY_FULL),
    (SM, E, PICK_OPT, P, R.PICKED),
    (SM, E, PICK_OPT, T, R.SHIPPED),  # an optional step may be jumped over
    (SM, E, PICK_OPT, None, R.PICKED),  # a plain scan walks every step the loop uses
    (SM, E, PICK, T, R.NOT_READY),
    (SM, P, PICK, P, R.ALREADY_DONE),
    (OTHER_SM, E, PICK, P, R.WRONG_STATION),
    (LINE, F, {}, P, R.WRONG_STATION),
    (LINE, F, {}, E, R.EMPTIED),
    (LINE, T, {}, E, R.ALREADY_EMPTY),
    (RCV, F, {}, E, R.WRONG_STATION),
    (RCV, T, {}, F, R.FILLED),
    (RCV, F, {}, F, R.ALREADY_FULL),
    (SM, T, {}, F, R.WRONG_STATION),
    (SM, F, WAIT, W, R.ALREADY_FULL),
])
def test_what_a_scan_does(station: ScanStation, supply: Supply, rules: dict[str, Any], asked: Supply | None,
                          expected: ScanResult) -> None:
    decision = scan(station, supply, loop=make_loop(**rules), asked=asked)
    assert decision.result is expected, decision.message
    assert said(decision.message)
    if decision.ok:
        target = MOVE_TARGET[decision.kind or ""]
        assert decision.payload == {"station_id": station.id, "seen_status": supply.value}
        assert decision.card_id == CARD_ID and decision.tone == "success"
        assert decision.message.code == f"scan.{expected.value}" and decision.message.params["code"] == CODE
        assert decision.message.params["status"] == target.value
        assert said(decision.message).startswith(expected.value) and CODE in said(decision.message)
        REGISTRY.validate(decision.kind or "", 1, decision.payload)
        assert target is not supply
    else:
        assert decision.kind is None and decision.payload is None


def test_refusals_from_the_code_itself() -> None:
    bad = CODE[:-1] + ("A" if CODE[-1] != "A" else "B")
    assert scan(LINE, text=bad).result is R.BAD_CHECK
    assert scan(LINE, text=bad).message == Message("scan.bad_check", {})
    assert "misread" in said(scan(LINE, text=bad).message)
    assert scan(LINE, text="hello").result is R.UNKNOWN
    assert scan(LINE, text=card_code(8)).result is R.UNKNOWN  # a valid code, but not this card's
    unknown = decide_scan(parse_scan(CODE), None, make_loop(), LINE, NOW)
    assert unknown.result is R.UNKNOWN and unknown.card_id is None and unknown.tone == "refused"
    assert scan(LINE, card=make_card(added=False)).result is R.UNKNOWN


def test_refusals_from_the_card_and_its_loop() -> None:
    held = scan(LINE, card=make_card(admin=Admin.ON_HOLD))
    assert held.result is R.ON_HOLD and held.message == Message("scan.on_hold", {"code": CODE})
    assert "on hold" in said(held.message)
    retired = scan(LINE, card=make_card(admin=Admin.RETIRED))
    assert retired.result is R.RETIRED and "retired" in said(retired.message)
    no_loop = decide_scan(parse_scan(CODE), make_card(), None, LINE, NOW)
    assert no_loop.result is R.UNKNOWN and "loop is not known" in said(no_loop.message)
    assert scan(LINE, loop=make_loop(active=False)).result is R.LOOP_INACTIVE
    empty = scan(LINE, E).message
    assert empty == Message("scan.already_empty", {"code": CODE, "since_ms": T0})
    assert "already empty" in said(empty)
    assert scan(OTHER_LINE).message.code == "scan.wrong_station"
    assert "wrong station" in said(scan(OTHER_LINE).message)


def test_double_scan_window() -> None:
    double = scan(SM, E, last=NOW - DOUBLE_SCAN_MS + 1)
    assert (double.result, double.tone, double.kind) == (R.DOUBLE_SCAN, "info", None)
    assert double.message == Message("scan.double_scan", {"code": CODE}) and "double scan" in said(double.message)
    assert scan(SM, E, last=NOW - DOUBLE_SCAN_MS).result is R.SHIPPED
    assert scan(SM, E, last=NOW + 1000).result is R.DOUBLE_SCAN  # the clock stepped back a little
    assert scan(SM, E, last=NOW + 60_000).result is R.SHIPPED  # a clock step back never blocks scanning
    window = decide_scan(parse_scan(CODE), make_card(E), make_loop(), SM, NOW, NOW - 8000, 10_000)
    assert window.result is R.DOUBLE_SCAN
    # a double scan is not a second refusal reason: a held card still says it is on hold after the window
    assert scan(LINE, card=make_card(admin=Admin.ON_HOLD), last=NOW - 60_000).result is R.ON_HOLD


def test_supervisor_station_only_looks() -> None:
    look = scan(SUP, card=make_card(E, admin=Admin.ON_HOLD, anomaly_count=2, print_version=2))
    assert (look.result, look.tone, look.kind) == (R.LOOKUP, "info", None)
    assert look.message.code == "scan.lookup"
    assert {k: look.message.params[k] for k in ("loop", "status", "admin", "print_version", "anomalies")} == {
        "loop": "L-BOLT", "status": "EMPTY", "admin": "ON_HOLD", "print_version": 2, "anomalies": 2}
    for words in (CODE, "loop L-BOLT", "card 3", "empty since", "on hold", "reprint version 2", "2 anomalies"):
        assert words in said(look.message)


def test_a_bad_station_id_is_a_bug_said_early() -> None:
    with pytest.raises(Exception, match="station_id"):
        scan(ScanStation("x" * 65, "line"), loop=make_loop(consumer_station_id="x" * 65))


# ---- properties --------------------------------------------------------------------------------

rules = st.sampled_from(list(Rule))
loops = st.builds(
    make_loop, wait_rule=rules, picking_rule=rules, in_transit_rule=rules,
    supplier_station_id=st.sampled_from(["sm-1", None]), active=st.sampled_from([True, True, True, False]),
)
variants = st.builds(status_code, st.just(SERIAL), st.sampled_from(list(Supply)))
texts = st.one_of(  # mostly this card's codes, so that many scans get as far as a move
    st.just(CODE), st.just(CODE), st.just(CODE), variants, variants, variants,
    st.builds(card_code, st.integers(0, 20)),
    st.text(max_size=12),
    st.builds(lambda s, i, c: s[:i] + c + s[i + 1:], st.just(CODE), st.integers(0, 7), st.sampled_from("0AKZ ")),
)
cards = st.builds(make_card, st.sampled_from(list(Supply)),
                  st.sampled_from([Admin.ACTIVE] * 6 + [Admin.ON_HOLD, Admin.RETIRED]))
lasts = st.one_of(st.none(), st.none(), st.none(), st.integers(NOW - 10_000, NOW))


@settings(max_examples=400)  # most random scans are refused early; look at enough moves
@given(texts, cards, loops, st.sampled_from(STATIONS), lasts)
def test_nothing_a_scanner_sends_writes_a_wrong_event(
    text: str, card: Card, loop: Loop, station: ScanStation, last: int | None,
) -> None:
    decision = decide_scan(parse_scan(text), card, loop, station, NOW, last)
    assert said(decision.message)  # every answer has its words (strict: a missing parameter fails)
    if not decision.ok:
        assert decision.payload is None
        return
    parsed = parse_scan(text)
    assert isinstance(parsed, ParsedCode) and parsed.code == card.code
    assert card.admin is Admin.ACTIVE and loop.active and station.role != "supervisor"
    assert last is None or NOW - last >= DOUBLE_SCAN_MS
    assert decision.kind is not None and decision.payload is not None
    REGISTRY.validate(decision.kind, 1, decision.payload)
    target = MOVE_TARGET[decision.kind]
    assert parsed.status is None or parsed.status is target
    assert target is not card.supply and loop.rules.uses(target)
    assert loop.rules.missing_required(card.supply, target) is None
    consumer = station.id == loop.consumer_station_id
    if target is Supply.EMPTY:
        assert consumer and card.supply is Supply.FULL
    elif target is Supply.FULL:
        assert consumer or station.role == "receiving"
    else:
        assert station.role == "supermarket" and not consumer
        assert loop.supplier_station_id in (None, station.id)
        assert card.supply is not Supply.FULL and step(card.supply) < step(target)
    # and the card fold takes the event without a single anomaly
    event = Device("x").emit(decision.kind, dict(decision.payload), NOW)
    after = PROJECTORS.get("card").apply(card, event)
    assert after.anomaly_count == card.anomaly_count and after.supply is target


@given(loops.map(lambda lp: replace(lp, active=True)),
       st.lists(st.tuples(st.sampled_from(STATIONS), st.one_of(st.none(), st.sampled_from(list(Supply)))),
                max_size=40))
def test_a_floor_of_scans_walks_only_the_loops_sequence(
    loop: Loop, scans: list[tuple[ScanStation, Supply | None]],
) -> None:
    """Scans one after another, each on the card folded so far: no anomaly, only used statuses."""
    admin, device = Device("admin"), Device("floor")
    projector = PROJECTORS.get("card")
    card = projector.apply(None, admin.emit(CARD_ADDED, {"loop_id": "loop-1", "number": 3, "code": CODE}, T0))
    used = set(loop.rules.sequence())
    now = T0
    for station, asked in scans:
        now += 10 * MIN
        text = CODE if asked is None else status_code(SERIAL, asked)
        decision = decide_scan(parse_scan(text), card, loop, station, now, None)
        if decision.ok:
            assert decision.kind is not None and decision.payload is not None
            before = card.supply
            card = projector.apply(card, device.emit(decision.kind, dict(decision.payload), now))
            assert card.supply in used and card.supply is not before
            assert before is Supply.FULL or card.supply is Supply.FULL or step(card.supply) > step(before)
    assert card.anomaly_count == 0
    assert set(CYCLE) >= used
