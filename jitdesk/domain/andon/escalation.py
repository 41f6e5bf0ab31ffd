"""Escalation levels, decided from a call's events and the clock alone, so every station shows the same.

The escalation clock runs from the raise until the call is acknowledged or closed (escalation stops
on acknowledge) and stands still while the call is shelved. A level is reached when that clock passes
its minutes, or its takts times the line's takt (line-stopping types); a manual escalation lifts the
level at once. The level never passes the ladder's last step. `reached_ms` is the wall time the current
level was reached (the shift then tells who is notified: see `domain.andon.book`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jitdesk.domain.andon.call import Call
from jitdesk.domain.andon.types import Step, steps
from jitdesk.domain.master import CallType

MIN_MS = 60_000


@dataclass(frozen=True)
class Escalation:
    level: int  # 0: as raised; n: the ladder's n-th step
    top: bool  # at the last step (boards flash it)
    notify: str | None  # the role or person the current level calls; None at level 0
    running: bool  # the clock still runs (open, not acknowledged, not shelved now)
    shelved: bool  # shelved at this moment
    elapsed_ms: int  # the escalation clock's reading
    levels: int = 0  # steps on the ladder
    reached_ms: int | None = None  # when the current level was reached; None at level 0
    person: str | None = None  # who held the notified role on the shift the level was reached in

    @property
    def who(self) -> str | None:
        """What a board says the level calls: "supervisor: Ana Lopez", or the role alone."""
        if self.notify is None:
            return None
        return f"{self.notify}: {self.person}" if self.person else self.notify


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


def _threshold(step: Step, takt_ms: int | None) -> int | None:
    """The clock reading at which the step is reached (whichever of minutes and takts comes first)."""
    found = []
    if step.minutes is not None:
        found.append(step.minutes * MIN_MS)
    if step.takts is not None and takt_ms:
        found.append(step.takts * takt_ms)
    return min(found) if found else None


def _wall_time(call: Call, clock_ms: int) -> int:
    """The wall time at which the escalation clock read `clock_ms` (a shelve before it holds it back)."""
    at = call.raised_ms + clock_ms
    if call.shelved_ms is not None and call.shelved_until_ms is not None:
        start = max(call.shelved_ms, call.raised_ms)
        if start < at:
            at += max(0, call.shelved_until_ms - start)
    return at


def escalation(call: Call, call_type: CallType | None, now_ms: int, takt_ms: int | None = None,
               ladder: Sequence[Step] | None = None) -> Escalation:
    """The call's escalation at `now_ms`; `takt_ms` is the line's takt (None or 0: not known); `ladder`
    replaces the type's steps (a line's own ladder, `steps(call_type, plan)`)."""
    if ladder is None:
        ladder = steps(call_type) if call_type is not None else ()
    elapsed = escalation_clock(call, now_ms)
    level, reached = 0, None
    for step in ladder:
        threshold = _threshold(step, takt_ms)
        if threshold is not None and elapsed >= threshold:
            level, reached = step.level, _wall_time(call, threshold)
    if call.manual_level > level and level < len(ladder):
        level, reached = min(call.manual_level, len(ladder)), call.manual_ms
    shelved = call.is_open and call.shelved_at(now_ms)
    running = call.is_open and not call.acknowledged and not shelved and level < len(ladder)
    notify = ladder[level - 1].notify if level else None
    return Escalation(level, bool(ladder) and level == len(ladder), notify, running, shelved, elapsed,
                      len(ladder), reached)
