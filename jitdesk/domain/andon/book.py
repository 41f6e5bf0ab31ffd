"""The escalation book: everything a level depends on besides the call, so that every station and board
reading the same master data says the same level and names the same person.

* the ladder: the call type's, or its line's own (`EscalationPlan`, per call type and line);
* the takt (line-stopping types escalate in takts): the takt of the line's shift when the call was
  raised, from its calendar and demand (`domain.takt.plan`); a line with no plan then (no shift, no
  demand) takes `default_takt_ms` (the station's `[andon] takt_seconds`), or minutes alone;
* who is notified: the person on the duty roster holding the level's role on the shift the level was
  reached in (the line's own roster first, then the plant-wide one).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from jitdesk.domain.andon.call import Call
from jitdesk.domain.andon.escalation import Escalation, escalation
from jitdesk.domain.andon.types import Step, steps
from jitdesk.domain.master import CallType, Demand, Duty, EscalationPlan, plan_key
from jitdesk.domain.takt.calendar import Calendar
from jitdesk.domain.takt.plan import plan_at


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def on_duty(duties: Iterable[Duty], role: str, shift: str, line_id: str | None) -> str | None:
    """Who holds `role` on the shift named `shift` of line `line_id` (its own roster first, then the
    plant-wide one); None when the roster names nobody. Role and shift match ignoring case."""
    found: dict[str | None, str] = {}
    for duty in duties:
        if duty.active and _norm(duty.role) == _norm(role) and _norm(duty.shift) == _norm(shift):
            found.setdefault(duty.line_id, duty.person)
    if line_id is not None and line_id in found:
        return found[line_id]
    return found.get(None)


@dataclass(frozen=True)
class EscalationBook:
    call_types: Mapping[str, CallType] = field(default_factory=dict)
    plans: Mapping[str, EscalationPlan] = field(default_factory=dict)  # master.plan_key -> plan
    duties: tuple[Duty, ...] = ()
    station_lines: Mapping[str, str | None] = field(default_factory=dict)  # station id -> its line
    calendars: Mapping[str | None, Calendar] = field(default_factory=dict)  # line id (None: plant-wide)
    demands: tuple[Demand, ...] = ()
    default_takt_ms: int | None = None
    # takts of (line, raise time) already worked out: a board ticks the same calls every second
    _takts: dict[tuple[str, int], int | None] = field(default_factory=dict, init=False, compare=False, repr=False)

    def line_of(self, call: Call) -> str | None:
        return self.station_lines.get(call.station_id)

    def ladder(self, call: Call) -> tuple[Step, ...]:
        call_type = self.call_types.get(call.call_type_id)
        if call_type is None:
            return ()
        line = self.line_of(call)
        plan = self.plans.get(plan_key(call.call_type_id, line)) if line is not None else None
        return steps(call_type, plan)

    def takt_ms(self, call: Call) -> int | None:
        """The line's takt when the call was raised (see the module docstring)."""
        line = self.line_of(call)
        calendar = self.calendars.get(line) if line is not None else None
        if line is None or calendar is None:
            return self.default_takt_ms
        key = (line, call.raised_ms)
        if key not in self._takts:
            if len(self._takts) > 5000:
                self._takts.clear()
            plan = plan_at(calendar, line, call.raised_ms, self.demands)
            takt = plan.takt_ms if plan is not None else None
            self._takts[key] = round(takt) if takt else self.default_takt_ms
        return self._takts[key]

    def shift_name(self, call: Call, at_ms: int) -> str | None:
        """The shift running at `at_ms` where the call was raised (a station on no line: the plant's)."""
        calendar = self.calendars.get(self.line_of(call))
        shift = calendar.shift_at(at_ms) if calendar is not None else None
        return shift.name if shift is not None else None

    def of(self, call: Call, now_ms: int) -> Escalation:
        """The call's escalation at `now_ms`, with the person the level notifies."""
        esc = escalation(call, self.call_types.get(call.call_type_id), now_ms, self.takt_ms(call),
                         self.ladder(call))
        if esc.notify is None or esc.reached_ms is None:
            return esc
        shift = self.shift_name(call, esc.reached_ms)
        person = on_duty(self.duties, esc.notify, shift, self.line_of(call)) if shift is not None else None
        return esc if person is None else replace(esc, person=person)
