"""The typed `Calendar` of a line from the stored calendar records (master.ShiftCalendar).

A line follows the active calendars made for it; a line with none of its own follows the plant-wide
ones (no line). Several calendars add up: each puts its shifts on its days, holidays and overrides join.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, time
from typing import Any

from jitdesk.domain.master import ShiftCalendar
from jitdesk.domain.takt.calendar import BREAK, Calendar, DayOverride, Pause, ShiftPattern


def clock(hhmm: str) -> time:
    hours, minutes = hhmm.split(":")
    return time(int(hours), int(minutes))


def pattern(shift: Mapping[str, Any]) -> ShiftPattern:
    pauses = tuple(Pause(clock(b["start"]), clock(b["end"]), b.get("kind", BREAK)) for b in shift["breaks"])
    return ShiftPattern(shift["name"], clock(shift["start"]), clock(shift["end"]), pauses)


def calendar_from(records: Iterable[ShiftCalendar], timezone: str) -> Calendar:
    week: list[list[ShiftPattern]] = [[] for _ in range(7)]
    holidays: set[date] = set()
    overrides: dict[date, DayOverride] = {}
    for record in records:
        patterns = [pattern(s) for s in record.shifts]
        for weekday in sorted(set(record.days)):
            week[weekday].extend(patterns)
        holidays.update(date.fromisoformat(d) for d in record.holidays)
        for o in record.overrides:
            day = date.fromisoformat(o["date"])
            shifts = tuple(pattern(s) for s in o["shifts"])
            earlier = overrides.get(day)
            if earlier is not None:
                shifts = earlier.shifts + shifts
            overrides[day] = DayOverride(day, shifts, o.get("reason", ""))
    return Calendar(timezone, tuple(tuple(d) for d in week), frozenset(holidays),
                    tuple(sorted(overrides.values(), key=lambda o: o.day)))


def line_calendar(records: Iterable[ShiftCalendar], line_id: str, timezone: str) -> Calendar:
    active = [r for r in records if r.active]
    own = [r for r in active if r.line_id == line_id]
    return calendar_from(own or [r for r in active if r.line_id is None], timezone)


def line_calendars(records: Iterable[ShiftCalendar], line_ids: Iterable[str], timezone: str) -> dict[str, Calendar]:
    """`line_calendar` of many lines; the lines that follow the plant-wide calendars share one."""
    active = [r for r in records if r.active]
    shared = calendar_from([r for r in active if r.line_id is None], timezone)
    out = {}
    for line_id in line_ids:
        own = [r for r in active if r.line_id == line_id]
        out[line_id] = calendar_from(own, timezone) if own else shared
    return out
