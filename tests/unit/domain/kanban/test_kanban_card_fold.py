"""The card state machine: any arrival order and duplicates fold to one state; rule breaks are kept
as anomalies, never dropped."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from jitdesk.domain.events import REGISTRY, Event
from jitdesk.domain.fold import PROJECTORS, fold, needs_refold
from jitdesk.domain.kanban import card as card_module
from jitdesk.domain.kanban.card import (
    CARD_ADDED,
    CARD_BATCHED,
    CARD_EMPTIED,
    CARD_FILLED,
    CARD_HELD,
    CARD_KINDS,
    CARD_PICKED,
    CARD_PRINTED,
    CARD_RELEASED,
    CARD_RETIRED,
    CARD_SHIPPED,
    MAX_ANOMALIES,
    MOVE_TARGET,
    Card,
)
from jitdesk.domain.kanban.codes import card_code
from jitdesk.domain.kanban.status import Admin, Supply
from jitdesk.domain.messages import Message
from jitdesk.services.words import Words
from tests.helpers.kanban_events import CARD_ID, MIN, T0, Device, event

PROJECTOR = PROJECTORS.get("card")
WORDS = Words()  # UTC, strict under the test suite


def said(note: Message) -> str:
    """A note in words, as a screen shows it."""
    return WORDS.render(note)
ADDED = {"loop_id": "loop-1", "number": 3, "code": card_code(7)}


def _fold(events: list[Event]) -> Card:
    state = fold(PROJECTOR, events)
    assert isinstance(state, Card)
    return state


# ---- random histories -------------------------------------------------------------------------

def _payloads(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    if kind == CARD_ADDED:
        return st.fixed_dictionaries(
            {"loop_id": st.just("loop-1"), "number": st.integers(1, 3), "code": st.just(card_code(7))},
            optional={"status": st.sampled_from(["FULL", "EMPTY"])},
        )
    if kind in MOVE_TARGET:
        optional: dict[str, st.SearchStrategy[Any]] = {"seen_status": st.sampled_from([s.value for s in Supply])}
        if kind == CARD_FILLED:
            optional["qty"] = st.integers(0, 100)
        return st.fixed_dictionaries({"station_id": st.sampled_from(["line-1", "sm-1", "rcv-1"])},
                                     optional=optional)
    if kind == CARD_PRINTED:
        return st.fixed_dictionaries({"version": st.integers(1, 4)})
    return st.fixed_dictionaries({}, optional={"reason": st.text(min_size=1, max_size=20)})


@st.composite
def histories(draw: st.DrawFn) -> list[Event]:
    """Events of one card from three devices; moves are frequent, admin events rarer."""
    kinds = st.one_of(
        st.sampled_from(sorted(MOVE_TARGET)), st.sampled_from(sorted(MOVE_TARGET)),
        st.sampled_from(sorted(CARD_KINDS)),
    )
    devices = {name: 0 for name in ("dev-a", "dev-b", "dev-c")}
    out = []
    if draw(st.integers(0, 9)) > 0:  # usually the card was added first
        out.append(event(CARD_ADDED, draw(_payloads(CARD_ADDED)), ms=T0, device="admin", seq=1))
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(kinds)
        device = draw(st.sampled_from(sorted(devices)))
        devices[device] += 1
        ms = T0 + draw(st.integers(-5, 600)) * 1000  # clocks disagree: some events sort before the add
        out.append(event(kind, draw(_payloads(kind)), ms=ms, device=device, seq=devices[device],
                         counter=draw(st.integers(0, 2))))
    return out


@given(histories(), st.data())
def test_any_arrival_order_and_duplicates_fold_to_the_same_card(events: list[Event], data: st.DataObject) -> None:
    reference = fold(PROJECTOR, events)
    arrived = data.draw(st.permutations(events))
    duplicates = data.draw(st.lists(st.sampled_from(events), max_size=10)) if events else []
    at_positions = data.draw(st.lists(st.integers(0, len(arrived)), min_size=len(duplicates),
                                      max_size=len(duplicates)))
    for pos, dup in zip(at_positions, duplicates, strict=True):
        arrived.insert(pos, dup)
    assert fold(PROJECTOR, arrived) == reference


@given(histories(), st.data())
def test_folding_as_events_arrive_with_refolds_gives_the_same_card(
    events: list[Event], data: st.DataObject,
) -> None:
    """What storage does: apply an event on top when it is the newest, re-fold when it arrives late."""
    arrived = data.draw(st.permutations(events + events[: len(events) // 2]))
    seen: dict[str, Event] = {}
    state: Card | None = None
    head: tuple[int, str, int] | None = None
    for e in arrived:
        if e.event_id in seen:
            continue
        seen[e.event_id] = e
        late = needs_refold(head, e)
        state = fold(PROJECTOR, seen.values()) if late else PROJECTOR.apply(state, e)
        head = max(head, e.order_key) if head is not None else e.order_key
    assert state == fold(PROJECTOR, events)


@given(histories())
def test_folded_card_is_always_consistent(events: list[Event]) -> None:
    if not events:
        return
    card = _fold(events)
    assert (card.supply is Supply.FULL) == (card.emptied_ms is None)
    assert len(card.anomalies) == min(card.anomaly_count, MAX_ANOMALIES)
    printed = [e.payload["version"] for e in events if e.kind == CARD_PRINTED]
    assert card.print_version == max(printed, default=0)
    if any(e.kind == CARD_RETIRED for e in events):
        assert card.admin is Admin.RETIRED
    assert card.added == any(e.kind == CARD_ADDED for e in events)
    moves = [e for e in events if e.kind in MOVE_TARGET]
    if moves:
        assert card.last_moved_ms == max(e.hlc for e in moves) >> 16


# ---- the rules, one by one --------------------------------------------------------------------

def test_a_normal_cycle() -> None:
    admin, line, sm, rcv = Device("admin"), Device("line"), Device("sm"), Device("rcv")
    events = [
        admin.emit(CARD_ADDED, ADDED, T0),
        line.emit(CARD_EMPTIED, {"station_id": "line-1", "seen_status": "FULL"}, T0 + 10 * MIN),
        sm.emit(CARD_SHIPPED, {"station_id": "sm-1"}, T0 + 30 * MIN),
    ]
    card = _fold(events)
    assert (card.supply, card.emptied_ms, card.status_since_ms) == (Supply.IN_TRANSIT, T0 + 10 * MIN, T0 + 30 * MIN)
    assert card.status_station_id == "sm-1"
    assert (card.card_id, card.loop_id, card.number, card.code) == (CARD_ID, "loop-1", 3, card_code(7))
    card = _fold([*events, rcv.emit(CARD_FILLED, {"station_id": "rcv-1", "qty": 50}, T0 + 90 * MIN)])
    assert (card.supply, card.emptied_ms, card.anomalies) == (Supply.FULL, None, ())


def test_two_stations_emptying_the_same_card_offline_is_kept_as_an_anomaly() -> None:
    admin, a, b = Device("admin"), Device("a"), Device("b")
    card = _fold([
        admin.emit(CARD_ADDED, ADDED, T0),
        b.emit(CARD_EMPTIED, {"station_id": "line-2"}, T0 + 5 * MIN),
        a.emit(CARD_EMPTIED, {"station_id": "line-1"}, T0 + 2 * MIN),
    ])
    assert card.supply is Supply.EMPTY
    assert (card.status_since_ms, card.emptied_ms, card.status_station_id) == (T0 + 2 * MIN, T0 + 2 * MIN, "line-1")
    assert card.anomaly_count == 1
    note = card.anomalies[0]
    assert note == Message("card.moved_twice", {
        "at_ms": T0 + 5 * MIN, "kind": CARD_EMPTIED, "station": "line-2", "status": "EMPTY", "since_ms": T0 + 2 * MIN,
        "since_station": "line-1"})
    assert "emptied twice at station line-2: already empty since" in said(note)
    assert "(station line-1)" in said(note)
    assert card.last_moved_ms == T0 + 5 * MIN


def test_emptied_while_in_transit_starts_a_new_cycle_and_says_the_fill_was_missed() -> None:
    d = Device("d")
    card = _fold([
        d.emit(CARD_ADDED, ADDED, T0),
        d.emit(CARD_EMPTIED, {"station_id": "line-1"}, T0 + MIN),
        d.emit(CARD_SHIPPED, {"station_id": "sm-1"}, T0 + 2 * MIN),
        d.emit(CARD_EMPTIED, {"station_id": "line-1"}, T0 + 9 * MIN),
    ])
    assert (card.supply, card.emptied_ms) == (Supply.EMPTY, T0 + 9 * MIN)
    note = card.anomalies[-1]
    assert note.code == "card.fill_not_scanned"
    assert (note.params["status"], note.params["since_ms"]) == ("IN_TRANSIT", T0 + 2 * MIN)
    assert "the fill was not scanned" in said(note)


def test_picked_while_full_is_applied_and_says_the_empty_scan_was_missed() -> None:
    d = Device("d")
    card = _fold([d.emit(CARD_ADDED, ADDED, T0), d.emit(CARD_PICKED, {"station_id": "sm-1"}, T0 + MIN)])
    assert (card.supply, card.emptied_ms) == (Supply.PICKING, T0 + MIN)
    note = card.anomalies[-1]
    assert (note.code, note.params["kind"], note.params["status"]) == ("card.empty_scan_missed", CARD_PICKED, "FULL")
    assert "the empty scan was missed" in said(note)


def test_a_step_back_inside_a_cycle_changes_nothing_but_is_noted() -> None:
    d = Device("d")
    events = [
        d.emit(CARD_ADDED, ADDED, T0),
        d.emit(CARD_EMPTIED, {"station_id": "line-1"}, T0 + MIN),
        d.emit(CARD_SHIPPED, {"station_id": "sm-1"}, T0 + 2 * MIN),
    ]
    before = _fold(events)
    after = _fold([*events, d.emit(CARD_BATCHED, {"station_id": "sm-1"}, T0 + 3 * MIN)])
    assert (after.supply, after.status_since_ms, after.emptied_ms) == (
        before.supply, before.status_since_ms, before.emptied_ms)
    note = after.anomalies[-1]
    assert (note.code, note.params["kind"], note.params["status"]) == ("card.moved_back", CARD_BATCHED, "IN_TRANSIT")
    assert "kept in transit" in said(note)


def test_forward_moves_may_jump_steps_in_the_fold() -> None:
    d = Device("d")
    card = _fold([
        d.emit(CARD_ADDED, ADDED, T0),
        d.emit(CARD_EMPTIED, {"station_id": "line-1"}, T0 + MIN),
        d.emit(CARD_SHIPPED, {"station_id": "sm-1"}, T0 + 2 * MIN),  # no batched, no picked
    ])
    assert card.supply is Supply.IN_TRANSIT and card.anomaly_count == 0


def test_filled_twice_is_noted() -> None:
    d = Device("d")
    card = _fold([d.emit(CARD_ADDED, ADDED, T0), d.emit(CARD_FILLED, {"station_id": "rcv-1"}, T0 + MIN)])
    assert card.supply is Supply.FULL
    note = card.anomalies[-1]
    assert (note.code, note.params["station"], note.params["status"]) == ("card.moved_twice", "rcv-1", "FULL")
    assert "filled twice at station rcv-1: already full since" in said(note)


def test_hold_release_and_retire() -> None:
    d = Device("d")
    events = [d.emit(CARD_ADDED, ADDED, T0), d.emit(CARD_HELD, {"reason": "quality"}, T0 + MIN)]
    assert _fold(events).admin is Admin.ON_HOLD
    events.append(d.emit(CARD_EMPTIED, {"station_id": "line-1"}, T0 + 2 * MIN))
    held_move = _fold(events)
    assert held_move.supply is Supply.EMPTY and held_move.anomalies[-1].code == "card.moved_while_held"
    assert "while the card is on hold" in said(held_move.anomalies[-1])
    events.append(d.emit(CARD_HELD, {}, T0 + 3 * MIN))  # a second supervisor holding it too: harmless
    assert _fold(events).anomaly_count == 1
    events.append(d.emit(CARD_RELEASED, {}, T0 + 4 * MIN))
    assert _fold(events).admin is Admin.ACTIVE
    events.append(d.emit(CARD_RETIRED, {"reason": "loop resized"}, T0 + 5 * MIN))
    assert _fold(events).admin is Admin.RETIRED
    events.append(d.emit(CARD_RELEASED, {}, T0 + 6 * MIN))
    events.append(d.emit(CARD_FILLED, {"station_id": "rcv-1"}, T0 + 7 * MIN))
    card = _fold(events)
    assert card.admin is Admin.RETIRED and card.supply is Supply.FULL
    assert [n.code for n in card.anomalies[-2:]] == ["card.admin_after_retired", "card.moved_after_retired"]
    assert "released after the card was retired; it stays retired" in said(card.anomalies[-2])
    assert "filled at station rcv-1 after the card was retired" in said(card.anomalies[-1])


def test_print_versions() -> None:
    d = Device("d")
    events = [d.emit(CARD_ADDED, ADDED, T0)]
    assert _fold(events).print_state == "never printed"
    events.append(d.emit(CARD_PRINTED, {"version": 1}, T0 + MIN))
    assert _fold(events).print_state == "printed"
    events.append(d.emit(CARD_PRINTED, {"version": 2}, T0 + 2 * MIN))
    assert _fold(events).print_state == "reprint version 2"
    events.append(Device("e").emit(CARD_PRINTED, {"version": 2}, T0 + 3 * MIN))  # printed at once elsewhere
    card = _fold(events)
    assert card.print_version == 2
    assert card.anomalies[-1] == Message("card.printed_again", {"at_ms": T0 + 3 * MIN, "version": 2, "current": 2})
    assert "more than one copy" in said(card.anomalies[-1])


def test_a_card_added_empty_starts_in_replenishment() -> None:
    card = _fold([Device("d").emit(CARD_ADDED, {**ADDED, "status": "EMPTY"}, T0)])
    assert (card.supply, card.emptied_ms, card.anomaly_count) == (Supply.EMPTY, T0, 0)


def test_moves_before_the_add_are_noted_and_the_add_keeps_them() -> None:
    early = Device("line").emit(CARD_EMPTIED, {"station_id": "line-1"}, T0)
    add = Device("admin").emit(CARD_ADDED, ADDED, T0 + MIN)
    card = _fold([add, early])
    assert card.added and card.supply is Supply.EMPTY and card.code == ADDED["code"]
    assert card.anomalies[0] == Message("card.before_added", {"at_ms": T0, "kind": CARD_EMPTIED})
    assert "emptied before the card was added" in said(card.anomalies[0])
    again = _fold([add, early, Device("admin2").emit(CARD_ADDED, {**ADDED, "number": 9}, T0 + 2 * MIN)])
    assert again.number == 3 and again.anomalies[-1].code == "card.added_again"
    assert "added again" in said(again.anomalies[-1])


def test_anomaly_notes_are_capped_but_counted() -> None:
    d = Device("d")
    events = [d.emit(CARD_ADDED, ADDED, T0)]
    events += [d.emit(CARD_EMPTIED, {"station_id": "line-1"}, T0 + i * MIN) for i in range(1, 31)]
    card = _fold(events)
    assert card.anomaly_count == 29 and len(card.anomalies) == MAX_ANOMALIES
    assert card.anomalies[-1].params["at_ms"] == T0 + 30 * MIN  # the newest notes are the ones kept
    assert card.anomalies[0].params["at_ms"] == T0 + 11 * MIN
    assert WORDS.note(card.anomalies[-1]).startswith(WORDS.time(T0 + 30 * MIN))


def test_a_stored_row_of_plain_values_gives_the_same_card() -> None:
    d = Device("d")
    card = _fold([d.emit(CARD_ADDED, ADDED, T0), d.emit(CARD_EMPTIED, {"station_id": "line-1"}, T0 + MIN)])
    row: dict[str, Any] = json.loads(json.dumps(asdict(card)))  # what a projection row gives back
    assert all(type(row[f.name]) in (str, int, bool, list, type(None)) for f in fields(Card))
    values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in row.items()}
    back = Card(**values)
    assert back == card and back.supply is Supply.EMPTY and back.admin is Admin.ACTIVE


def test_anomaly_notes_are_stored_as_codes_and_params_and_come_back_the_same() -> None:
    d = Device("d")
    card = _fold([d.emit(CARD_ADDED, ADDED, T0), d.emit(CARD_FILLED, {"station_id": "rcv-1"}, T0 + MIN)])
    row: dict[str, Any] = json.loads(json.dumps(asdict(card)))
    assert row["anomalies"] == [["card.moved_twice", {
        "at_ms": T0 + MIN, "kind": CARD_FILLED, "station": "rcv-1", "status": "FULL", "since_ms": T0,
        "since_station": None}]]  # raw values only: no words, no formatted time
    back = Card(**{k: tuple(v) if isinstance(v, list) else v for k, v in row.items()})
    assert back == card and type(back.anomalies[0]) is Message


def test_a_note_stored_as_a_sentence_by_an_older_version_shows_as_it_was() -> None:
    old = "2026-11-22 05:19:35 UTC: emptied twice at station line-2: already EMPTY since 2026-11-22 05:10:00 UTC"
    d = Device("d")
    card = _fold([d.emit(CARD_ADDED, ADDED, T0)])
    row: dict[str, Any] = {**json.loads(json.dumps(asdict(card))), "anomalies": [old], "anomaly_count": 1}
    back = Card(**{k: tuple(v) if isinstance(v, list) else v for k, v in row.items()})
    assert back.anomalies == (Message("legacy", {"text": old}),)
    assert WORDS.note(back.anomalies[0]) == old and Words(strict=True).render(old) == old


def test_kinds_and_projector_are_registered() -> None:
    for kind in CARD_KINDS:
        assert PROJECTORS.for_kind(kind) == (PROJECTOR,)
        assert REGISTRY.get(kind).master == (kind in (CARD_ADDED, CARD_RETIRED))
    assert PROJECTOR.apply is card_module.apply
    assert set(MOVE_TARGET) == {CARD_EMPTIED, CARD_BATCHED, CARD_PICKED, CARD_SHIPPED, CARD_FILLED}
