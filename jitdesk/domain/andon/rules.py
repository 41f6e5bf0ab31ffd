"""Who may do what with a call, and when: each decision is None (allowed) or a refusal as a message code.

* Raising needs no sign-in (an emergency function); one open call per station and type: a second
  press is refused with the open call's id, so the screen shows that call instead.
* Acknowledging and resolving need a signed-in user with the type's responding role or above
  (operator < supervisor < admin); a claimed call tells a second responder who claimed it.
* Cancelling: the raising station may take back a call nobody has claimed yet without signing in
  (pressed by mistake); otherwise it needs the responding role.
* Escalating by hand needs no sign-in (the caller is still waiting); shelving a nuisance call needs a
  supervisor, for at most `MAX_SHELVE_MINUTES`.
"""

from __future__ import annotations

from collections.abc import Iterable

from jitdesk.domain.andon.call import REASONS, Call
from jitdesk.domain.andon.types import responder_role
from jitdesk.domain.auth import Role
from jitdesk.domain.master import CallType
from jitdesk.domain.messages import Message, define, message

MAX_SHELVE_MINUTES = 8 * 60

TYPE_UNKNOWN = define("andon.type_unknown")
TYPE_INACTIVE = define("andon.type_inactive", "type")
NO_STATION = define("andon.no_station")
ALREADY_OPEN = define("andon.already_open", "type", "call_id", "since_ms", "claimed_by")
SIGN_IN = define("andon.sign_in", "role")
ROLE_NEEDED = define("andon.role_needed", "role", "have")
ALREADY_CLAIMED = define("andon.already_claimed", "by", "at_ms")
CLOSED = define("andon.closed", "status")
NOT_RAISED = define("andon.not_raised")
BAD_REASON = define("andon.bad_reason", "reason")
TOP_LEVEL = define("andon.top_level", "level")
SHELVE_ROLE = define("andon.shelve_role")
SHELVE_RANGE = define("andon.shelve_range", "max_minutes")
# what was done, for the screen that did it
RAISED = define("andon.raised", "type", "station")
ACKNOWLEDGED = define("andon.acknowledged", "type", "station", "by")
RESOLVED = define("andon.resolved", "type", "station", "reason")
CANCELLED = define("andon.cancelled", "type", "station")
ESCALATED = define("andon.escalated", "type", "station", "level")
SHELVED = define("andon.shelved", "type", "station", "until_ms")


def decide_raise(call_type: CallType | None, station_id: str | None, open_calls: Iterable[Call],
                 call_type_id: str) -> Message | None:
    """Refusal of a raise at `station_id`, given the station's open calls; None: raise it."""
    if not station_id:
        return message(NO_STATION)
    if call_type is None:
        return message(TYPE_UNKNOWN)
    if not call_type.active:
        return message(TYPE_INACTIVE, type=call_type.name)
    for call in open_calls:
        if call.call_type_id == call_type_id and call.station_id == station_id and call.is_open:
            return message(ALREADY_OPEN, type=call_type.name, call_id=call.call_id, since_ms=call.raised_ms,
                           claimed_by=call.ack_name or None)
    return None


def _responder(call_type: CallType | None, role: Role | None) -> Message | None:
    needed = responder_role(call_type) if call_type is not None else Role.SUPERVISOR
    if role is None:
        return message(SIGN_IN, role=needed.label)
    if role < needed:
        return message(ROLE_NEEDED, role=needed.label, have=role.label)
    return None


def _open(call: Call | None) -> Message | None:
    if call is None or not call.raised:
        return message(NOT_RAISED)
    if not call.is_open:
        return message(CLOSED, status=call.status.value)
    return None


def decide_acknowledge(call: Call | None, call_type: CallType | None, role: Role | None) -> Message | None:
    refused = _open(call) or _responder(call_type, role)
    if refused is None and call is not None and call.acknowledged:
        return message(ALREADY_CLAIMED, by=call.ack_name or None, at_ms=call.ack_ms)
    return refused


def decide_resolve(call: Call | None, call_type: CallType | None, role: Role | None, reason: str) -> Message | None:
    if reason not in REASONS:
        return message(BAD_REASON, reason=reason)
    return _open(call) or _responder(call_type, role)


def decide_cancel(call: Call | None, call_type: CallType | None, role: Role | None,
                  at_station: str | None) -> Message | None:
    refused = _open(call)
    if refused is not None or call is None:
        return refused
    if not call.acknowledged and at_station is not None and at_station == call.station_id:
        return None  # taken back at the station that raised it, before anyone came
    return _responder(call_type, role)


def decide_escalate(call: Call | None, level_now: int, levels: int) -> Message | None:
    refused = _open(call)
    if refused is None and level_now >= levels:
        return message(TOP_LEVEL, level=level_now)
    return refused


def decide_shelve(call: Call | None, role: Role | None, minutes: int) -> Message | None:
    refused = _open(call)
    if refused is not None:
        return refused
    if role is None or role < Role.SUPERVISOR:
        return message(SHELVE_ROLE)
    if not 1 <= minutes <= MAX_SHELVE_MINUTES:
        return message(SHELVE_RANGE, max_minutes=MAX_SHELVE_MINUTES)
    return None
