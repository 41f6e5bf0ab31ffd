"""Who may raise, claim, resolve, cancel, escalate and shelve a call."""

from __future__ import annotations

from jitdesk.domain.andon.call import CALL_ACKNOWLEDGED, CALL_RESOLVED, apply
from jitdesk.domain.andon.rules import (
    decide_acknowledge,
    decide_cancel,
    decide_escalate,
    decide_raise,
    decide_resolve,
    decide_shelve,
)
from jitdesk.domain.auth import Role
from tests.helpers.andon_events import MIN, T0, call_event, maint, raised

OPEN = apply(None, raised(T0))
CLAIMED = apply(OPEN, call_event(CALL_ACKNOWLEDGED, {"by_name": "Ana"}, ms=T0 + MIN, actor="u-ana", seq=2))
DONE = apply(CLAIMED, call_event(CALL_RESOLVED, {"reason": "fixed"}, ms=T0 + 2 * MIN, seq=3))


def test_raise_needs_no_sign_in_but_one_open_call_per_station_and_type() -> None:
    assert decide_raise(maint(), "st-1", [], "ct-maint") is None
    refused = decide_raise(maint(), "st-1", [CLAIMED], "ct-maint")
    assert refused is not None and refused.code == "andon.already_open"
    assert refused.params["call_id"] == OPEN.call_id and refused.params["claimed_by"] == "Ana"
    assert decide_raise(maint(), "st-1", [CLAIMED], "ct-other") is None  # another type
    assert decide_raise(maint(), "st-1", [DONE], "ct-maint") is None  # the old call is closed
    assert decide_raise(maint(), None, [], "ct-maint").code == "andon.no_station"  # type: ignore[union-attr]
    assert decide_raise(None, "st-1", [], "x").code == "andon.type_unknown"  # type: ignore[union-attr]
    assert decide_raise(maint(active=False), "st-1", [], "x").code == "andon.type_inactive"  # type: ignore[union-attr]


def test_acknowledge_needs_the_responding_role_or_above() -> None:
    assert decide_acknowledge(OPEN, maint(), None).code == "andon.sign_in"  # type: ignore[union-attr]
    assert decide_acknowledge(OPEN, maint(), Role.OPERATOR).code == "andon.role_needed"  # type: ignore[union-attr]
    assert decide_acknowledge(OPEN, maint(), Role.SUPERVISOR) is None
    assert decide_acknowledge(OPEN, maint(), Role.ADMIN) is None
    assert decide_acknowledge(OPEN, maint(responder_role="operator"), Role.OPERATOR) is None


def test_a_second_responder_sees_who_claimed_it() -> None:
    refused = decide_acknowledge(CLAIMED, maint(), Role.SUPERVISOR)
    assert refused is not None and refused.code == "andon.already_claimed"
    assert refused.params == {"by": "Ana", "at_ms": T0 + MIN}


def test_resolve_needs_the_role_a_known_reason_and_an_open_call() -> None:
    assert decide_resolve(CLAIMED, maint(), Role.SUPERVISOR, "fixed") is None
    assert decide_resolve(OPEN, maint(), Role.SUPERVISOR, "fixed") is None  # straight from raised
    assert decide_resolve(CLAIMED, maint(), Role.OPERATOR, "fixed").code == "andon.role_needed"  # type: ignore[union-attr]
    assert decide_resolve(CLAIMED, maint(), Role.SUPERVISOR, "magic").code == "andon.bad_reason"  # type: ignore[union-attr]
    assert decide_resolve(DONE, maint(), Role.SUPERVISOR, "fixed").code == "andon.closed"  # type: ignore[union-attr]
    assert decide_resolve(None, maint(), Role.SUPERVISOR, "fixed").code == "andon.not_raised"  # type: ignore[union-attr]


def test_the_raising_station_takes_back_an_unclaimed_call_without_sign_in() -> None:
    assert decide_cancel(OPEN, maint(), None, "st-1") is None
    assert decide_cancel(OPEN, maint(), None, "st-2").code == "andon.sign_in"  # type: ignore[union-attr]
    assert decide_cancel(CLAIMED, maint(), None, "st-1").code == "andon.sign_in"  # type: ignore[union-attr]
    assert decide_cancel(CLAIMED, maint(), Role.SUPERVISOR, "st-2") is None


def test_escalate_and_shelve() -> None:
    assert decide_escalate(OPEN, 1, 3) is None
    assert decide_escalate(OPEN, 3, 3).code == "andon.top_level"  # type: ignore[union-attr]
    assert decide_escalate(DONE, 0, 3).code == "andon.closed"  # type: ignore[union-attr]
    assert decide_shelve(OPEN, Role.SUPERVISOR, 30) is None
    assert decide_shelve(OPEN, Role.OPERATOR, 30).code == "andon.shelve_role"  # type: ignore[union-attr]
    assert decide_shelve(OPEN, None, 30).code == "andon.shelve_role"  # type: ignore[union-attr]
    assert decide_shelve(OPEN, Role.ADMIN, 0).code == "andon.shelve_range"  # type: ignore[union-attr]
