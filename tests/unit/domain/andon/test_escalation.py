"""Escalation levels at simulated clock times: minutes, takts, acknowledge, manual, shelve."""

from __future__ import annotations

import pytest

from jitdesk.domain.andon.call import CALL_ACKNOWLEDGED, CALL_ESCALATED, CALL_SHELVED, apply
from jitdesk.domain.andon.escalation import escalation
from jitdesk.domain.andon.types import steps
from tests.helpers.andon_events import MIN, T0, call_event, maint, raised, stop_type

CALL = apply(None, raised(T0))


@pytest.mark.parametrize(("minutes", "level", "notify"), [
    (0, 0, None), (4.99, 0, None), (5, 1, "team leader"), (14, 1, "team leader"), (15, 2, "supervisor"),
    (29, 2, "supervisor"), (30, 3, "manager"), (600, 3, "manager"),
])
def test_levels_after_minutes(minutes: float, level: int, notify: str | None) -> None:
    esc = escalation(CALL, maint(), T0 + int(minutes * MIN))
    assert (esc.level, esc.notify) == (level, notify)
    assert esc.top is (level == 3)
    assert esc.running is (level < 3)


def test_line_stopping_types_escalate_in_takts_too() -> None:
    call = apply(None, raised(T0, stops_line=True, call_type="ct-stop"))
    takt = 60_000  # one minute
    assert escalation(call, stop_type(), T0 + 59_000, takt).level == 0
    assert escalation(call, stop_type(), T0 + 60_000, takt).level == 1  # after 1 takt: the team leader
    assert escalation(call, stop_type(), T0 + 179_000, takt).level == 1
    esc = escalation(call, stop_type(), T0 + 180_000, takt)  # after 3 takts: the supervisor
    assert (esc.level, esc.notify, esc.top) == (2, "supervisor", True)
    # without a known takt only the minutes count
    assert escalation(call, stop_type(), T0 + 180_000, None).level == 0
    assert escalation(call, stop_type(), T0 + 10 * MIN, None).level == 1


def test_takts_count_only_for_line_stopping_types() -> None:
    ladder = steps(maint(escalate_takts=(1, 2)))
    assert all(step.takts is None for step in ladder)


def test_acknowledge_stops_the_clock() -> None:
    call = apply(CALL, call_event(CALL_ACKNOWLEDGED, {"by_name": "Ana"}, ms=T0 + 6 * MIN, seq=2))
    esc = escalation(call, maint(), T0 + 60 * MIN)
    assert (esc.level, esc.running, esc.elapsed_ms) == (1, False, 6 * MIN)


def test_manual_escalation_lifts_the_level_but_not_past_the_top() -> None:
    call = apply(CALL, call_event(CALL_ESCALATED, {"level": 2}, ms=T0 + MIN, seq=2))
    assert escalation(call, maint(), T0 + 2 * MIN).level == 2
    assert escalation(call, maint(escalate_minutes=(5,)), T0 + 2 * MIN).level == 1


def test_shelving_holds_the_clock_until_it_expires() -> None:
    call = apply(CALL, call_event(CALL_SHELVED, {"until_ms": T0 + 22 * MIN}, ms=T0 + 2 * MIN, seq=2))
    during = escalation(call, maint(), T0 + 20 * MIN)
    assert (during.level, during.shelved, during.running, during.elapsed_ms) == (0, True, False, 2 * MIN)
    after = escalation(call, maint(), T0 + 25 * MIN)  # 2 min before + 3 min after the shelve
    assert (after.level, after.shelved, after.running, after.elapsed_ms) == (1, False, True, 5 * MIN)


def test_every_station_gets_the_same_level_from_the_same_events() -> None:
    a = escalation(apply(None, raised(T0)), maint(), T0 + 16 * MIN)
    b = escalation(apply(None, raised(T0)), maint(), T0 + 16 * MIN)
    assert a == b and a.level == 2
