"""The call fold is a monotone lattice: any arrival order and any duplicates give the same call."""

from __future__ import annotations

from functools import reduce
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from jitdesk.domain.andon.call import (
    CALL_ACKNOWLEDGED,
    CALL_CANCELLED,
    CALL_ESCALATED,
    CALL_RESOLVED,
    CALL_SHELVED,
    Call,
    Status,
    apply,
)
from jitdesk.domain.events import Event
from tests.helpers.andon_events import MIN, T0, call_event, raised


def _history() -> list[Event]:
    return [
        raised(T0),
        call_event(CALL_ACKNOWLEDGED, {"by_name": "Ana"}, ms=T0 + 2 * MIN, actor="u-ana", device="dev-b", seq=1),
        call_event(CALL_ACKNOWLEDGED, {"by_name": "Ben"}, ms=T0 + 3 * MIN, actor="u-ben", device="dev-c", seq=1),
        call_event(CALL_ESCALATED, {"level": 1}, ms=T0 + MIN, device="dev-a", seq=2),
        call_event(CALL_ESCALATED, {"level": 2}, ms=T0 + 90_000, device="dev-a", seq=3),
        call_event(CALL_SHELVED, {"until_ms": T0 + 30 * MIN}, ms=T0 + MIN, actor="u-sup", device="dev-d", seq=1),
        call_event(CALL_SHELVED, {"until_ms": T0 + 20 * MIN}, ms=T0 + 2 * MIN, actor="u-sup", device="dev-d", seq=2),
        call_event(CALL_RESOLVED, {"reason": "fixed", "text": "belt"}, ms=T0 + 9 * MIN, actor="u-ana",
                   device="dev-b", seq=2),
        call_event(CALL_CANCELLED, {"text": "oops"}, ms=T0 + 10 * MIN, device="dev-a", seq=4),
    ]


def _fold(events: list[Event]) -> Call | None:
    return reduce(apply, events, None)


def test_the_whole_story_in_order() -> None:
    call = _fold(_history())
    assert call is not None
    assert call.status is Status.RESOLVED
    assert (call.station_id, call.call_type_id, call.raised_ms) == ("st-1", "ct-maint", T0)
    assert (call.ack_name, call.ack_by, call.ack_ms) == ("Ana", "u-ana", T0 + 2 * MIN)  # the first claim wins
    assert (call.end_reason, call.end_text, call.end_ms) == ("fixed", "belt", T0 + 9 * MIN)  # the first end wins
    assert (call.manual_level, call.manual_ms) == (2, T0 + 90_000)
    assert call.shelved_until_ms == T0 + 30 * MIN


def test_status_climbs_the_lattice() -> None:
    events = _history()
    call = apply(None, events[0])
    assert call.status is Status.RAISED and call.is_open
    call = apply(call, events[1])
    assert call.status is Status.ACKNOWLEDGED and call.is_open
    call = apply(call, events[-1])
    assert call.status is Status.CANCELLED and not call.is_open


def test_an_ack_before_its_raise_waits_for_it() -> None:
    events = _history()
    call = apply(None, events[1])
    assert not call.raised and call.station_id == ""
    call = apply(call, events[0])
    assert call.raised and call.status is Status.ACKNOWLEDGED and call.station_id == "st-1"


@given(st.permutations(_history()), st.lists(st.sampled_from(_history()), max_size=6))
def test_any_order_and_duplicates_give_the_same_call(order: list[Event], extra: list[Event]) -> None:
    expected = _fold(_history())
    mixed = list(order)
    for i, dup in enumerate(extra):
        mixed.insert(i * 2 % (len(mixed) + 1), dup)
    assert _fold(mixed) == expected


@given(st.lists(st.sampled_from(_history()), min_size=1, max_size=12))
def test_any_subset_in_any_order_folds_like_sorted(events: list[Event]) -> None:
    in_order = sorted({e.event_id: e for e in events}.values(), key=lambda e: e.order_key)
    assert _fold(events) == _fold(in_order)


def test_a_stored_row_reads_back_equal() -> None:
    call = _fold(_history())
    assert call is not None
    from dataclasses import asdict
    plain: dict[str, Any] = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(call).items()}
    plain["status"] = str(call.status.value)
    assert Call(**plain) == call
