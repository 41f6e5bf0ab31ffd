"""Calendar maths: properties (additive, breaks never count, never negative) and the named cases
(midnight, both daylight-saving changes in Europe/Berlin, holidays, overrides)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from jitdesk.domain.master import ShiftCalendar
from jitdesk.domain.takt.calendar import (
    STOP,
    Calendar,
    DayOverride,
    Pause,
    ShiftPattern,
    to_ms,
    working_ms,
    working_seconds,
)
from jitdesk.domain.takt.records import line_calendar

BERLIN = ZoneInfo("Europe/Berlin")
HOUR = 3_600_000
EARLY = ShiftPattern("Early", time(6), time(14), (Pause(time(9), time(9, 15)), Pause(time(11, 30), time(12))))
LATE = ShiftPattern("Late", time(14), time(22), (Pause(time(17), time(17, 15)),))
NIGHT = ShiftPattern("Night", time(22), time(6), (Pause(time(2), time(2, 30)),))
WEEK = Calendar("Europe/Berlin", ((EARLY, LATE, NIGHT),) * 5 + ((NIGHT,), ()))  # Saturday: a night shift


def berlin(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> int:
    return to_ms(datetime(y, mo, d, h, mi, tzinfo=BERLIN))


def hours(ms: int) -> float:
    return ms / HOUR


# An instant anywhere in 2026, at minute resolution (shift edges are minutes; the spans land off them too).
instants = st.integers(min_value=berlin(2026, 1, 1), max_value=berlin(2027, 1, 1)).map(lambda ms: ms - ms % 1000)


@given(instants, instants, instants)
def test_working_time_is_additive_over_adjacent_intervals(a: int, b: int, c: int) -> None:
    a, b, c = sorted((a, b, c))
    assert working_ms(WEEK, a, b) + working_ms(WEEK, b, c) == working_ms(WEEK, a, c)


@given(instants, instants)
def test_working_time_is_never_negative_nor_more_than_the_wall_time(a: int, b: int) -> None:
    assert 0 <= working_ms(WEEK, a, b) <= max(0, b - a)
    if b <= a:
        assert working_ms(WEEK, a, b) == 0


@given(instants)
def test_breaks_never_count(a: int) -> None:
    for shift in WEEK.shifts_between(a, a + 3 * 24 * HOUR):
        for start, end, _kind in shift.pauses:
            assert working_ms(WEEK, start, end) == 0 or _overlapping_other_shift(start, end, shift.name)


def _overlapping_other_shift(start: int, end: int, name: str) -> bool:
    return any(s.name != name and s.start_ms < end and s.end_ms > start for s in WEEK.shifts_between(start, end))


def test_a_day_of_three_shifts_is_its_shifts_minus_breaks() -> None:
    # Tue 3 Feb 2026: Early 8 h - 45 min, Late 8 h - 15 min, Night (22:00 to Wed 06:00) 8 h - 30 min.
    assert hours(working_ms(WEEK, berlin(2026, 2, 3, 6), berlin(2026, 2, 3, 14))) == 7.25
    assert hours(working_ms(WEEK, berlin(2026, 2, 3, 14), berlin(2026, 2, 3, 22))) == 7.75
    assert hours(working_ms(WEEK, berlin(2026, 2, 3, 22), berlin(2026, 2, 4, 6))) == 7.5


def test_a_night_shift_crosses_midnight_and_counts_on_both_sides() -> None:
    # Before midnight: 22:00-24:00 = 2 h; after: 00:00-06:00 minus the 02:00 break = 5.5 h.
    assert hours(working_ms(WEEK, berlin(2026, 2, 3, 20), berlin(2026, 2, 4, 0))) == 2.0 + 2.0  # Late's end too
    assert hours(working_ms(WEEK, berlin(2026, 2, 3, 22), berlin(2026, 2, 4, 0))) == 2.0
    assert hours(working_ms(WEEK, berlin(2026, 2, 4, 0), berlin(2026, 2, 4, 6))) == 5.5
    night = WEEK.shift_at(berlin(2026, 2, 4, 1))
    assert night is not None and night.name == "Night" and night.day == date(2026, 2, 3)


def test_spring_forward_night_shift_is_an_hour_shorter() -> None:
    # Sat 28 -> Sun 29 March 2026: clocks jump 02:00 -> 03:00. Night 22:00-06:00 is 7 h of real time;
    # its 02:00-02:30 break falls in the skipped hour and is read as 03:00-03:30 CEST: 6.5 working hours.
    night = WEEK.shift_at(berlin(2026, 3, 29, 1))
    assert night is not None and night.day == date(2026, 3, 28)
    assert hours(night.span_ms) == 7.0
    assert hours(night.working_ms) == 6.5
    assert hours(working_ms(WEEK, berlin(2026, 3, 28, 22), berlin(2026, 3, 29, 6))) == 6.5


def test_fall_back_night_shift_is_an_hour_longer() -> None:
    # Sat 24 -> Sun 25 October 2026: clocks go back 03:00 -> 02:00. Night 22:00-06:00 is 9 h of real
    # time; the 02:00-02:30 break is taken once (the first 02:00): 8.5 working hours, never doubled.
    night = WEEK.shift_at(berlin(2026, 10, 25, 1))
    assert night is not None and night.day == date(2026, 10, 24)
    assert hours(night.span_ms) == 9.0
    assert hours(night.working_ms) == 8.5
    assert hours(working_ms(WEEK, berlin(2026, 10, 24, 22), berlin(2026, 10, 25, 6))) == 8.5


def test_weekday_night_over_no_change_is_eight_hours_less_its_break() -> None:
    assert hours(working_ms(WEEK, berlin(2026, 10, 30, 22), berlin(2026, 10, 31, 6))) == 7.5


def test_holiday_has_no_shifts_and_an_override_gives_a_day_its_own() -> None:
    extra = ShiftPattern("Extra", time(6), time(12), (Pause(time(9), time(9, 30), STOP),))
    calendar = Calendar("Europe/Berlin", WEEK.week, frozenset({date(2026, 12, 24)}),
                        (DayOverride(date(2026, 12, 5), (extra,), "extra Saturday"),  # a Saturday
                         DayOverride(date(2026, 12, 8), (), "maintenance")))  # a Tuesday: no shifts
    # Thu 24 Dec: only the end of Wednesday's night (00:00-06:00 less its break) = 5.5 h; nothing after.
    assert hours(working_ms(calendar, berlin(2026, 12, 24), berlin(2026, 12, 25))) == 5.5
    assert hours(working_ms(calendar, berlin(2026, 12, 24, 6), berlin(2026, 12, 25))) == 0
    # Sat 5 Dec: the extra 06:00-12:00 less its planned stop = 5.5 h, instead of Saturday's night shift.
    assert hours(working_ms(calendar, berlin(2026, 12, 5, 6), berlin(2026, 12, 6, 6))) == 5.5
    assert hours(working_ms(calendar, berlin(2026, 12, 8, 6), berlin(2026, 12, 9))) == 0


def test_working_seconds_takes_aware_datetimes() -> None:
    start = datetime(2026, 2, 3, 5, 0, tzinfo=UTC)  # 06:00 in Berlin (winter)
    assert working_seconds(WEEK, start, datetime(2026, 2, 3, 9, 0, tzinfo=UTC)) == 4 * 3600 - 15 * 60
    assert working_seconds(WEEK, start, start) == 0


def test_line_calendar_is_made_from_records_own_first() -> None:
    shift = {"name": "Early", "start": "06:00", "end": "14:00", "breaks": [{"start": "10:00", "end": "10:30",
                                                                            "kind": "stop"}]}
    plant = ShiftCalendar("Plant", (shift,), days=(0, 1, 2, 3, 4))
    own = ShiftCalendar("L2 nights", ({"name": "Night", "start": "22:00", "end": "06:00", "breaks": []},),
                        days=(0,), line_id="L2", holidays=("2026-12-24",),
                        overrides=({"date": "2026-12-05", "shifts": [shift], "reason": "extra"},))
    l1 = line_calendar([plant, own], "L1", "Europe/Berlin")
    l2 = line_calendar([plant, own], "L2", "Europe/Berlin")
    assert [s.name for s in l1.shifts_on(date(2026, 12, 7))] == ["Early"]
    assert l1.shifts_on(date(2026, 12, 7))[0].pauses[0][2] == "stop"
    assert [s.name for s in l2.shifts_on(date(2026, 12, 7))] == ["Night"]
    assert l2.shifts_on(date(2026, 12, 24)) == [] and [s.name for s in l2.shifts_on(date(2026, 12, 5))] == ["Early"]
