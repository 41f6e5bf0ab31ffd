"""Demand and takt: what each shift is to make, the takt it gives, and what should be made by when.

takt = available working time / demand. A day's demand (no shift named) is shared by that day's
shifts in proportion to their working time; a shift's own demand wins over its day's share. Everything
here is computed from the current calendar and demand when asked, so an edit mid-shift (more demand,
a break moved) changes the takt and the planned count at once, for the whole shift.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from jitdesk.domain.master import Demand
from jitdesk.domain.takt.calendar import Calendar, Shift, from_ms, to_ms


@dataclass(frozen=True)
class ShiftPlan:
    """One shift with its demand: `demand` parts in `cycles` cycles of `parts_per_cycle` parts."""

    line_id: str
    shift: Shift
    demand: int
    parts_per_cycle: int = 1

    @property
    def working_ms(self) -> int:
        return self.shift.working_ms

    @property
    def cycles(self) -> int:
        return math.ceil(self.demand / self.parts_per_cycle)

    @property
    def takt_ms(self) -> float | None:
        """Working time per part; None without demand or working time."""
        if self.demand <= 0 or self.working_ms <= 0:
            return None
        return self.working_ms / self.demand

    @property
    def cycle_ms(self) -> float | None:
        """Working time per cycle (takt times the parts one cycle makes)."""
        takt = self.takt_ms
        return None if takt is None else takt * self.parts_per_cycle

    def planned_by(self, at_ms: int) -> float:
        """Parts that should be made by `at_ms`: demand times the share of working time gone."""
        if self.working_ms <= 0:
            return 0.0
        done = self.shift.working_between(self.shift.start_ms, min(at_ms, self.shift.end_ms))
        return self.demand * done / self.working_ms

    def planned_per_hour(self, calendar: Calendar) -> list[tuple[datetime, int, float]]:
        """(local hour start, working minutes in it, parts planned in it) for each clock hour of the shift."""
        out = []
        hour = from_ms(self.shift.start_ms - self.shift.start_ms % 3_600_000)
        while to_ms(hour) < self.shift.end_ms:
            a, b = max(to_ms(hour), self.shift.start_ms), min(to_ms(hour) + 3_600_000, self.shift.end_ms)
            working = self.shift.working_between(a, b)
            parts = self.demand * working / self.working_ms if self.working_ms else 0.0
            out.append((hour.astimezone(calendar.zone), working // 60_000, parts))
            hour += timedelta(hours=1)
        return out


def plans_for_day(calendar: Calendar, line_id: str, day: date, demands: Iterable[Demand]) -> list[ShiftPlan]:
    """The plans of the shifts starting on `day`, with the line's demand for that day."""
    shifts = calendar.shifts_on(day)
    mine = [d for d in demands if d.active and d.line_id == line_id and d.day == day.isoformat()]
    whole = next((d for d in mine if d.shift is None), None)
    own = {d.shift: d for d in mine if d.shift is not None}
    shared = [s for s in shifts if s.name not in own]
    shared_ms = sum(s.working_ms for s in shared)
    plans = []
    remaining = whole.quantity if whole is not None else 0
    for i, shift in enumerate(shifts):
        if shift.name in own:
            d = own[shift.name]
            plans.append(ShiftPlan(line_id, shift, d.quantity, d.parts_per_cycle))
            continue
        if whole is None or shared_ms <= 0:
            plans.append(ShiftPlan(line_id, shift, 0))
            continue
        # The last shared shift takes what rounding left, so the day's parts add up exactly.
        last = all(s.name in own for s in shifts[i + 1:])
        share = remaining if last else round(whole.quantity * shift.working_ms / shared_ms)
        remaining -= share
        plans.append(ShiftPlan(line_id, shift, share, whole.parts_per_cycle))
    return plans


def plan_at(calendar: Calendar, line_id: str, at_ms: int, demands: Iterable[Demand]) -> ShiftPlan | None:
    """The plan of the shift running at `at_ms` (breaks included), or None outside shifts."""
    shift = calendar.shift_at(at_ms)
    if shift is None:
        return None
    for plan in plans_for_day(calendar, line_id, shift.day, list(demands)):
        if plan.shift == shift:
            return plan
    return ShiftPlan(line_id, shift, 0)
