"""A line's takt status at one instant: planned by now versus made, the running cycle's countdown, the
last cycle times, the rate needed to catch up, and whether the line is paused (break, planned stop,
outside shifts). The station view, the board, the command line and the andon link all read this.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from jitdesk.domain.takt.calendar import STOP, Calendar
from jitdesk.domain.takt.cycle import TaktMinutes, parts_between
from jitdesk.domain.takt.plan import ShiftPlan

RUNNING, BREAK, STOPPED, OFF = "running", "break", "stop", "off"  # phases
EARLY, ON_TARGET, LATE = "early", "on_target", "late"  # a cycle against its takt
AHEAD, ON_PLAN, BEHIND = "ahead", "on_plan", "behind"  # a line against its plan
DEFAULT_WINDOW = 0.10  # a cycle within ±10 % of its takt is on target
HOUR_MS = 3_600_000


def judge(cycle_working_ms: float, cycle_ms: float, window: float = DEFAULT_WINDOW) -> str:
    if cycle_working_ms < cycle_ms * (1 - window):
        return EARLY
    if cycle_working_ms > cycle_ms * (1 + window):
        return LATE
    return ON_TARGET


@dataclass(frozen=True)
class CycleTime:
    at_ms: int
    working_ms: int
    judgement: str


@dataclass(frozen=True)
class LineStatus:
    line_id: str
    at_ms: int
    phase: str
    plan: ShiftPlan | None
    planned: int  # parts that should be made by now this shift
    actual: int  # parts made this shift
    countdown_ms: float | None  # working time left in the running cycle; negative when late
    recent: tuple[CycleTime, ...]  # the last ten cycles of the shift, oldest first
    rate_needed_per_hour: float | None  # parts per working hour to meet the demand by shift end
    resumes_ms: int | None  # when a pause ends (break, stop) or the next shift starts
    window: float = DEFAULT_WINDOW  # a cycle within this share of its takt is on target

    @property
    def ahead(self) -> int:
        """Parts ahead of plan (negative: behind)."""
        return self.actual - self.planned

    @property
    def efficiency(self) -> float | None:
        return None if self.planned <= 0 else self.actual / self.planned

    @property
    def behind_takts(self) -> float:
        """How many cycles the line is behind its plan (0 when on plan or ahead)."""
        per_cycle = self.plan.parts_per_cycle if self.plan is not None else 1
        return max(0, self.planned - self.actual) / per_cycle

    @property
    def standing(self) -> str:
        if self.plan is None or self.plan.demand <= 0:
            return ON_PLAN
        per_cycle = self.plan.parts_per_cycle
        if self.ahead >= per_cycle:
            return AHEAD
        if -self.ahead >= per_cycle:
            return BEHIND
        return ON_PLAN

    @property
    def judgement(self) -> str | None:
        """The running cycle against the window: early (still inside), on target, or late."""
        if self.countdown_ms is None or self.plan is None or self.plan.cycle_ms is None:
            return None
        if self.countdown_ms < -self.plan.cycle_ms * self.window:
            return LATE
        return ON_TARGET if self.countdown_ms <= self.plan.cycle_ms * self.window else EARLY


def line_status(calendar: Calendar, line_id: str, plan: ShiftPlan | None, rows: Iterable[TaktMinutes],
                completions: Sequence[int], at_ms: int, window: float = DEFAULT_WINDOW) -> LineStatus:
    """`plan`: the shift running at `at_ms` (None outside shifts); `rows`: the line's minute counts over
    the shift; `completions`: the times of the line's latest completions (oldest first, any shift)."""
    if plan is None:
        following = calendar.next_shift(at_ms)
        return LineStatus(line_id, at_ms, OFF, None, 0, 0, None, (), None,
                          following.start_ms if following else None, window)
    shift = plan.shift
    phase, resumes = _phase(plan, at_ms)
    actual = parts_between(rows, shift.start_ms, min(at_ms, shift.end_ms))
    planned = math.floor(plan.planned_by(at_ms) + 1e-9)
    mine = [t for t in completions if shift.start_ms <= t <= at_ms]
    recent: list[CycleTime] = []
    previous = shift.start_ms
    for t in mine:
        worked = shift.working_between(previous, t)
        recent.append(CycleTime(t, worked, judge(worked, plan.cycle_ms, window) if plan.cycle_ms else ON_TARGET))
        previous = t
    countdown = None
    if plan.cycle_ms is not None:
        countdown = plan.cycle_ms - shift.working_between(previous, at_ms)
    left_ms = shift.working_between(at_ms, shift.end_ms)
    rate = None
    if plan.demand > 0 and left_ms > 0:
        rate = max(0, plan.demand - actual) / (left_ms / HOUR_MS)
    return LineStatus(line_id, at_ms, phase, plan, planned, actual, countdown, tuple(recent[-10:]), rate, resumes,
                      window)


def _phase(plan: ShiftPlan, at_ms: int) -> tuple[str, int | None]:
    pause = plan.shift.pause_at(at_ms)
    if pause is None:
        return RUNNING, None
    return (STOPPED if pause[2] == STOP else BREAK), pause[1]


def at_time(status: LineStatus, at_ms: int) -> LineStatus:
    """The same status moved on to `at_ms` with no new completions: planned count, countdown, phase and
    the rate needed follow the clock (a screen ticks with this and reads the database on changes only).
    Past the shift's end, or once an off-shift line's next shift starts, `stale` says to load afresh."""
    plan = status.plan
    if plan is None or at_ms < status.at_ms:
        return replace(status, at_ms=at_ms)
    shift = plan.shift
    phase, resumes = _phase(plan, at_ms)
    countdown = None if status.countdown_ms is None else (
        status.countdown_ms - shift.working_between(status.at_ms, at_ms))
    left_ms = shift.working_between(at_ms, shift.end_ms)
    rate = None
    if plan.demand > 0 and left_ms > 0:
        rate = max(0, plan.demand - status.actual) / (left_ms / HOUR_MS)
    return replace(status, at_ms=at_ms, phase=phase, planned=math.floor(plan.planned_by(at_ms) + 1e-9),
                   countdown_ms=countdown, rate_needed_per_hour=rate, resumes_ms=resumes)


def stale(status: LineStatus, at_ms: int) -> bool:
    """True when the status no longer describes `at_ms`'s shift (it ended, or the next one began)."""
    if status.plan is None:
        return status.resumes_ms is not None and at_ms >= status.resumes_ms
    return at_ms >= status.plan.shift.end_ms
