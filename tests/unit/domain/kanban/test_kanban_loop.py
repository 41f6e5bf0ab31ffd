"""Loops: the master record, its payload schema, latest-wins fold and the per-loop status rules."""

from __future__ import annotations

import pytest

from jitdesk.domain.errors import PayloadError
from jitdesk.domain.events import REGISTRY
from jitdesk.domain.fold import PROJECTORS, fold
from jitdesk.domain.kanban.loop import LOOP_UPSERTED, Loop, check_loop, loop_from_payload, loop_to_payload
from jitdesk.domain.kanban.status import Rule, StatusRules, Supply
from tests.helpers.kanban_events import MIN, T0, Device, event, make_loop


def test_payload_round_trip_and_schema() -> None:
    loop = make_loop(picking_rule=Rule.OPTIONAL)
    payload = loop_to_payload(loop)
    REGISTRY.validate(LOOP_UPSERTED, 1, payload)
    assert payload["picking_rule"] == "optional" and type(payload["picking_rule"]) is str
    assert loop_from_payload(payload) == loop
    assert REGISTRY.get(LOOP_UPSERTED).master


def test_a_minimal_payload_gets_the_default_sequence() -> None:
    payload = {"code": "L1", "part_id": "p", "supplier_kind": "external", "supplier_location": "ACME",
               "consumer_station_id": "line-1", "qty_per_card": 10, "lead_time_minutes": 2880}
    REGISTRY.validate(LOOP_UPSERTED, 1, payload)
    loop = loop_from_payload(payload)
    assert loop.rules.sequence() == (Supply.FULL, Supply.EMPTY, Supply.IN_TRANSIT)
    assert (loop.safety_factor, loop.active, loop.supplier_station_id) == (0.0, True, None)
    assert loop.lead_time_ms == 2880 * MIN


@pytest.mark.parametrize(("field", "value"), [
    ("qty_per_card", 0), ("lead_time_minutes", 0), ("supplier_kind", "shop"), ("picking_rule", "maybe"),
    ("safety_factor", -0.1), ("code", ""), ("consumer_station_id", None),
])
def test_bad_payloads_name_their_field(field: str, value: object) -> None:
    payload = {**loop_to_payload(make_loop()), field: value}
    with pytest.raises(PayloadError) as caught:
        REGISTRY.validate(LOOP_UPSERTED, 1, payload)
    assert caught.value.field == field


def test_the_latest_record_wins_whatever_the_arrival_order() -> None:
    admin = Device("admin")
    first = admin.emit(LOOP_UPSERTED, loop_to_payload(make_loop(qty_per_card=10)), T0, entity_id="loop-1")
    second = admin.emit(LOOP_UPSERTED, loop_to_payload(make_loop(qty_per_card=20)), T0 + MIN, entity_id="loop-1")
    projector = PROJECTORS.get("loop")
    assert PROJECTORS.for_kind(LOOP_UPSERTED) == (projector,)
    for order in ([first, second], [second, first], [second, first, second]):
        state = fold(projector, order)
        assert isinstance(state, Loop) and state.qty_per_card == 20


def test_a_stored_row_of_plain_values_gives_the_loop_back() -> None:
    loop = make_loop(wait_rule=Rule.REQUIRED)
    back = Loop(**{**loop_to_payload(loop), "safety_factor": 0})
    assert back.wait_rule is Rule.REQUIRED and isinstance(back.safety_factor, float)
    assert back == make_loop(wait_rule=Rule.REQUIRED, safety_factor=0.0)


def test_check_loop() -> None:
    assert check_loop(make_loop()) is None
    assert "needs the supermarket's station" in (check_loop(make_loop(supplier_station_id=None)) or "")
    assert "same station" in (check_loop(make_loop(supplier_station_id="line-1")) or "")
    assert check_loop(make_loop(supplier_kind="external", supplier_station_id=None)) is None


def test_status_rules() -> None:
    every = StatusRules(Rule.REQUIRED, Rule.OPTIONAL, Rule.REQUIRED)
    assert every.sequence() == (Supply.FULL, Supply.EMPTY, Supply.WAIT, Supply.PICKING, Supply.IN_TRANSIT)
    assert every.next_supplier_step(Supply.EMPTY) is Supply.WAIT
    assert every.next_supplier_step(Supply.WAIT) is Supply.PICKING
    assert every.next_supplier_step(Supply.IN_TRANSIT) is None
    assert every.missing_required(Supply.WAIT, Supply.IN_TRANSIT) is None  # PICKING is optional
    assert every.missing_required(Supply.EMPTY, Supply.PICKING) is Supply.WAIT
    assert every.missing_required(Supply.FULL, Supply.EMPTY) is None
    default = StatusRules()
    assert default.next_supplier_step(Supply.EMPTY) is Supply.IN_TRANSIT
    assert default.missing_required(Supply.EMPTY, Supply.FULL) is Supply.IN_TRANSIT
    assert default.missing_required(Supply.FULL, Supply.FULL) is Supply.EMPTY
    bare = StatusRules(in_transit=Rule.NOT_ALLOWED)
    assert bare.sequence() == (Supply.FULL, Supply.EMPTY) and bare.next_supplier_step(Supply.EMPTY) is None


def test_events_helper_refuses_payloads_off_schema() -> None:
    with pytest.raises(PayloadError):
        event(LOOP_UPSERTED, {"code": "x"}, ms=T0)
