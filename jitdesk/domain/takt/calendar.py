"""Shift calendars: weekly patterns, breaks and planned stops, holidays, one-off day overrides, in the
plant's time zone, and the one function that answers "how much working time lies between two instants".

Local wall-clock times become instants through zoneinfo, each on its own calendar day, so a night shift
over a daylight-saving change is an hour shorter (spring) or longer (autumn) in real time. A time that
does not exist (the skipped spring hour) or exists twice (the repeated autumn hour) takes zoneinfo's
`fold=0` reading; whatever the reading, pauses are clipped to their shift and every interval is merged
before it is measured, so working time is never negative and never counted twice.

All instants are integer milliseconds since the Unix epoch (UTC), the form events carry.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

BREAK, STOP = "break", "stop"  # a pause for people; a planned stop of the line (cleaning, maintenance)
DAY_MS = 86_400_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Pause:
    """A break or planned stop inside a shift, in local wall-clock time."""

    start: time
    end: time
    kind: str = BREAK


@dataclass(frozen=True)
class ShiftPattern:
    """A shift as the week repeats it; an end at or before the start runs past midnight."""

    name: str
    start: time
    end: time
    pauses: tuple[Pause, ...] = ()


@dataclass(frozen=True)
class DayOverride:
    """One day's own shifts instead of the week's: an extra Saturday shift, or none (maintenance day)."""

    day: date
    shifts: tuple[ShiftPattern, ...]
    reason: str = ""


@dataclass(frozen=True)
class Calendar:
    """`week[d]`: the shifts of weekday d (0 = Monday). A shift belongs to the day it starts on; a
    holiday has no shifts; an override replaces its day's shifts (and wins over a holiday)."""

    timezone: str
    week: tuple[tuple[ShiftPattern, ...], ...] = ((),) * 7
    holidays: frozenset[date] = frozenset()
    overrides: tuple[DayOverride, ...] = ()
    # Occurrences already made, per day: a calendar is asked about the same few days again and again.
    _days: dict[date, tuple[Shift, ...]] = field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if len(self.week) != 7:
            raise ValueError("a week has seven days")
        ZoneInfo(self.timezone)  # an unknown zone fails here, not at the first sum

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def _override_by_day(self) -> dict[date, DayOverride]:
        return {o.day: o for o in self.overrides}

    def patterns_on(self, day: date) -> tuple[ShiftPattern, ...]:
        override = self._override_by_day.get(day)
        if override is not None:
            return override.shifts
        if day in self.holidays:
            return ()
        return self.week[day.weekday()]

    def shifts_on(self, day: date) -> list[Shift]:
        """The shifts that start on `day` (plant-local), as instants."""
        found = self._days.get(day)
        if found is None:
            if len(self._days) > 1000:
                self._days.clear()
            found = self._days[day] = tuple(occurrence(self.zone, day, p) for p in self.patterns_on(day))
        return list(found)

    def shifts_between(self, start_ms: int, end_ms: int) -> list[Shift]:
        """Every shift that overlaps [start_ms, end_ms), in start order."""
        if end_ms <= start_ms:
            return []
        first = local_date(self.zone, start_ms) - timedelta(days=2)  # a shift may start the day before
        last = local_date(self.zone, end_ms)
        out: list[Shift] = []
        day = first
        while day <= last:
            out.extend(s for s in self.shifts_on(day) if s.start_ms < end_ms and s.end_ms > start_ms)
            day += timedelta(days=1)
        return sorted(out, key=lambda s: (s.start_ms, s.name))

    def shift_at(self, at_ms: int) -> Shift | None:
        """The shift whose span (pauses included) holds `at_ms`; the latest starting when two overlap."""
        found = [s for s in self.shifts_between(at_ms, at_ms + 1) if s.start_ms <= at_ms < s.end_ms]
        return found[-1] if found else None

    def next_shift(self, at_ms: int, horizon_days: int = 14) -> Shift | None:
        """The first shift starting after `at_ms` within the horizon."""
        later = [s for s in self.shifts_between(at_ms, at_ms + horizon_days * DAY_MS) if s.start_ms > at_ms]
        return later[0] if later else None


@dataclass(frozen=True)
class Shift:
    """One occurrence of a shift: its span and pauses as instants (ms, UTC), clipped and merged."""

    name: str
    day: date
    start_ms: int
    end_ms: int
    pauses: tuple[tuple[int, int, str], ...] = ()
    working: tuple[tuple[int, int], ...] = field(default=(), compare=False)

    @property
    def key(self) -> str:
        """Stable name of this occurrence: its local day and shift name."""
        return f"{self.day.isoformat()}/{self.name}"

    @property
    def span_ms(self) -> int:
        return self.end_ms - self.start_ms

    @cached_property
    def working_ms(self) -> int:
        return sum(b - a for a, b in self.working)

    def working_between(self, start_ms: int, end_ms: int) -> int:
        return measure(self.working, start_ms, end_ms)

    def pause_at(self, at_ms: int) -> tuple[int, int, str] | None:
        for pause in self.pauses:
            if pause[0] <= at_ms < pause[1]:
                return pause
        return None


def to_ms(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("an instant needs a time zone")
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def from_ms(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def local_date(zone: ZoneInfo, ms: int) -> date:
    return from_ms(ms).astimezone(zone).date()


def _instant(zone: ZoneInfo, day: date, clock: time) -> int:
    return to_ms(datetime.combine(day, clock, tzinfo=zone))


def _minutes(clock: time) -> int:
    return clock.hour * 60 + clock.minute


def occurrence(zone: ZoneInfo, day: date, pattern: ShiftPattern) -> Shift:
    """The shift `pattern` starting on `day`, with each local time read on its own calendar day."""
    start_min = _minutes(pattern.start)
    end_day = day if _minutes(pattern.end) > start_min else day + timedelta(days=1)
    start_ms = _instant(zone, day, pattern.start)
    end_ms = max(start_ms, _instant(zone, end_day, pattern.end))
    pauses: list[tuple[int, int, str]] = []
    for pause in pattern.pauses:
        # A pause belongs to the shift's first day unless it starts before the shift does (after midnight).
        p_day = day if _minutes(pause.start) >= start_min else day + timedelta(days=1)
        p_end_day = p_day if _minutes(pause.end) > _minutes(pause.start) else p_day + timedelta(days=1)
        a = max(start_ms, _instant(zone, p_day, pause.start))
        b = min(end_ms, _instant(zone, p_end_day, pause.end))
        if b > a:
            pauses.append((a, b, pause.kind))
    pauses.sort()
    off = merge((a, b) for a, b, _ in pauses)
    return Shift(pattern.name, day, start_ms, end_ms, tuple(pauses), subtract([(start_ms, end_ms)], off))


def merge(intervals: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Sorted, disjoint union of half-open intervals (empty ones dropped)."""
    out: list[list[int]] = []
    for a, b in sorted(i for i in intervals if i[1] > i[0]):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return tuple((a, b) for a, b in out)


def subtract(base: Sequence[tuple[int, int]], holes: Sequence[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for a, b in merge(base):
        cursor = a
        for h_a, h_b in holes:
            if h_b <= cursor or h_a >= b:
                continue
            if h_a > cursor:
                out.append((cursor, h_a))
            cursor = max(cursor, h_b)
        if cursor < b:
            out.append((cursor, b))
    return tuple(out)


def measure(intervals: Sequence[tuple[int, int]], start_ms: int, end_ms: int) -> int:
    """Length of the part of disjoint sorted `intervals` inside [start_ms, end_ms); 0 when end <= start."""
    if end_ms <= start_ms:
        return 0
    total = 0
    i = max(0, bisect.bisect_right(intervals, (start_ms, start_ms)) - 1)
    for a, b in intervals[i:]:
        if a >= end_ms:
            break
        total += max(0, min(b, end_ms) - max(a, start_ms))
    return total


def working_intervals(calendar: Calendar, start_ms: int, end_ms: int) -> tuple[tuple[int, int], ...]:
    """The calendar's working time inside [start_ms, end_ms) as merged intervals (overlapping shifts
    count once)."""
    spans = (w for s in calendar.shifts_between(start_ms, end_ms) for w in s.working)
    return merge((max(a, start_ms), min(b, end_ms)) for a, b in spans)


def working_ms(calendar: Calendar, start_ms: int, end_ms: int) -> int:
    """Working milliseconds between two instants: shifts minus their breaks and planned stops."""
    return sum(b - a for a, b in working_intervals(calendar, start_ms, end_ms))


def working_seconds(calendar: Calendar, start: datetime, end: datetime) -> float:
    """Working seconds between two aware instants (0 when end is not after start)."""
    return working_ms(calendar, to_ms(start), to_ms(end)) / 1000


def nominal_minutes(pattern: ShiftPattern) -> int:
    """Working minutes of a shift on a day without a clock change (its span less its pauses)."""
    return occurrence(ZoneInfo("UTC"), date(2026, 1, 5), pattern).working_ms // 60_000
