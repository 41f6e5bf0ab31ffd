"""Escalation levels, decided from a call's events and the clock alone, so every station shows the same.

The escalation clock runs from the raise until the call is acknowledged or closed (escalation stops
on acknowledge) and stands still while the call is shelved. A level is reached when that clock passes
its minutes, or its takts times the line's takt (line-stopping types); a manual escalation lifts the
level at once. The level never passes the type's last step.
"""

from __future__ import annotations

from dataclasses import dataclass

from jitdesk.domain.andon.call import Call
from jitdesk.domain.andon.types import Step, steps
from jitdesk.domain.master import CallType

MIN_MS = 60_000


@dataclass(frozen=True)
class Escalation:
    level: int  # 0: as raised; n: the type's n-th step
    top: bool  # at the last step (boards flash it)
    notify: str | None  # who the current level calls; None at level 0
    running: bool  # the clock still runs (open, not acknowledged, not shelved now)
    shelved: bool  # shelved at this moment
    elapsed_ms: int  # the escalation clock's reading


def _clock_end(call: Call, now_ms: int) -> int:
    stops = [t for t in (call.ack_ms, call.end_ms) if t is not None]
    return min([now_ms, *stops])


def _shelved_ms(call: Call, until: int) -> int:
    """How long the call stood shelved between its raise and `until`."""
    if call.shelved_ms is None or call.shelved_until_ms is None:
        return 0
    start = max(call.shelved_ms, call.raised_ms)
    end = min(call.shelved_until_ms, until)
    return max(0, end - start)


def escalation_clock(call: Call, now_ms: int) -> int:
    end = _clock_end(call, now_ms)
    return max(0, end - call.raised_ms - _shelved_ms(call, end))


def _reached(step: Step, elapsed_ms: int, takt_ms: int | None) -> bool:
    if step.minutes is not None and elapsed_ms >= step.minutes * MIN_MS:
        return True
    return step.takts is not None and bool(takt_ms) and elapsed_ms >= step.takts * (takt_ms or 0)


def escalation(call: Call, call_type: CallType | None, now_ms: int, takt_ms: int | None = None) -> Escalation:
    """The call's escalation at `now_ms`; `takt_ms` is the line's takt (None or 0: not known)."""
    ladder = steps(call_type) if call_type is not None else ()
    elapsed = escalation_clock(call, now_ms)
    level = 0
    for step in ladder:
        if _reached(step, elapsed, takt_ms):
            level = step.level
    level = min(max(level, call.manual_level), len(ladder))
    shelved = call.is_open and call.shelved_at(now_ms)
    running = call.is_open and not call.acknowledged and not shelved and level < len(ladder)
    notify = ladder[level - 1].notify if level else None
    return Escalation(level, bool(ladder) and level == len(ladder), notify, running, shelved, elapsed)
