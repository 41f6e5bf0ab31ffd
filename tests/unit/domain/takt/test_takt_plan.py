"""Demand, takt and planned-by-now at simulated clock times; the status a station and board show."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from jitdesk.domain.master import Demand, TaktLine, demand_key
from jitdesk.domain.takt.calendar import STOP, Calendar, Pause, ShiftPattern, to_ms
from jitdesk.domain.takt.cycle import HOUR_MS, TaktMinutes, parts_between
from jitdesk.domain.takt.link import LinkAction, behind, decide_link, episode_call_id, lag_at, still_in_episode
from jitdesk.domain.takt.plan import plan_at, plans_for_day
from jitdesk.domain.takt.status import BEHIND, BREAK, OFF, RUNNING, STOPPED, line_status

BERLIN = ZoneInfo("Europe/Berlin")
EARLY = ShiftPattern("Early", time(6), time(14), (Pause(time(9), time(9, 30)), Pause(time(12), time(12, 30), STOP)))
LATE = ShiftPattern("Late", time(14), time(22))
CAL = Calendar("Europe/Berlin", ((EARLY, LATE),) * 5 + ((), ()))
DAY = date(2026, 12, 2)  # a Wednesday


def at(h: int, m: int = 0, s: int = 0) -> int:
    return to_ms(datetime(2026, 12, 2, h, m, s, tzinfo=BERLIN))


def demand(qty: int, shift: str | None = None, ppc: int = 1) -> Demand:
    return Demand(demand_key("L1", DAY.isoformat(), shift), "L1", DAY.isoformat(), qty, shift, ppc)


def rows_from(times: list[int], parts: int = 1) -> list[TaktMinutes]:
    by_hour: dict[int, list[int]] = {}
    for t in times:
        by_hour.setdefault(t // HOUR_MS, [0] * 60)[(t % HOUR_MS) // 60_000] += parts
    return [TaktMinutes("L1", h, 0, sum(p), tuple(p)) for h, p in by_hour.items()]


def test_takt_is_working_time_over_demand() -> None:
    [early, late] = plans_for_day(CAL, "L1", DAY, [demand(420, "Early"), demand(480, "Late")])
    assert early.working_ms == 7 * HOUR_MS and early.takt_ms == 60_000  # 7 h / 420 parts = 60 s
    assert late.takt_ms == 60_000 and late.cycles == 480


def test_a_days_demand_is_shared_by_working_time_and_adds_up() -> None:
    plans = plans_for_day(CAL, "L1", DAY, [demand(1000)])
    assert [p.demand for p in plans] == [467, 533]  # 7 h and 8 h of 15 h
    assert sum(p.demand for p in plans) == 1000


def test_parts_per_cycle_make_the_cycle_longer() -> None:
    [early, _] = plans_for_day(CAL, "L1", DAY, [demand(420, "Early", ppc=4)])
    assert early.cycles == 105 and early.cycle_ms == 240_000


def test_planned_by_now_stands_still_in_breaks_and_stops() -> None:
    plan = plan_at(CAL, "L1", at(8), [demand(420, "Early")])
    assert plan is not None
    assert plan.planned_by(at(6)) == 0 and plan.planned_by(at(8)) == 120
    assert plan.planned_by(at(9, 15)) == plan.planned_by(at(9, 30)) == 180
    assert plan.planned_by(at(12, 10)) == plan.planned_by(at(12, 30)) == 330
    assert plan.planned_by(at(15)) == 420


def test_demand_changed_mid_shift_changes_takt_and_plan_at_once() -> None:
    before = plan_at(CAL, "L1", at(10), [demand(420, "Early")])
    after = plan_at(CAL, "L1", at(10), [demand(840, "Early")])
    assert before is not None and after is not None
    assert before.planned_by(at(10)) == 210 and after.planned_by(at(10)) == 420
    assert after.takt_ms == 30_000


def test_planned_per_hour_covers_the_shift() -> None:
    plan = plan_at(CAL, "L1", at(7), [demand(420, "Early")])
    assert plan is not None
    hours = plan.planned_per_hour(CAL)
    assert [h.hour for h, _m, _p in hours] == [6, 7, 8, 9, 10, 11, 12, 13]
    assert [m for _h, m, _p in hours] == [60, 60, 60, 30, 60, 60, 30, 60]
    assert round(sum(p for _h, _m, p in hours)) == 420


def test_status_ahead_behind_countdown_and_rate_at_a_clock_time() -> None:
    plan = plan_at(CAL, "L1", at(8), [demand(420, "Early")])
    made = [at(6, 1) + i * 70_000 for i in range(100)]  # slower than takt (60 s)
    status = line_status(CAL, "L1", plan, rows_from(made), made, at(8))
    assert status.phase == RUNNING and status.planned == 120 and status.actual == 100
    assert status.ahead == -20 and status.standing == BEHIND and status.behind_takts == 20
    assert status.efficiency is not None and round(status.efficiency, 3) == 0.833
    assert len(status.recent) == 10 and all(c.working_ms == 70_000 and c.judgement == "late" for c in status.recent)
    last = made[-1]
    assert status.countdown_ms == 60_000 - (at(8) - last)  # negative: late
    assert status.countdown_ms is not None and status.countdown_ms < 0
    assert status.rate_needed_per_hour is not None and round(status.rate_needed_per_hour, 1) == round(320 / 5, 1)
    assert behind(status, TaktLine("L1", andon_takts=5)) and not behind(status, TaktLine("L1", andon_takts=25))
    on = TaktLine("L1", andon_takts=5, andon_link=True)
    assert decide_link(status, on, False, False) is LinkAction.RAISE
    assert decide_link(status, on, True, False) is LinkAction.NONE  # its call is open
    assert decide_link(status, on, False, True) is LinkAction.NONE  # closed by hand: same episode
    within = TaktLine("L1", andon_takts=25, andon_link=True)
    assert decide_link(status, within, True, False) is LinkAction.RESOLVE  # back within
    assert decide_link(status, TaktLine("L1", andon_takts=5), True, False) is LinkAction.RESOLVE  # off


def test_status_pauses_in_breaks_and_stops_and_outside_shifts() -> None:
    plan = plan_at(CAL, "L1", at(9, 10), [demand(420, "Early")])
    in_break = line_status(CAL, "L1", plan, [], [at(8, 59)], at(9, 10))
    assert in_break.phase == BREAK and in_break.resumes_ms == at(9, 30)
    assert in_break.countdown_ms == 60_000 - 60_000  # only the minute before the break counts
    stop = line_status(CAL, "L1", plan_at(CAL, "L1", at(12, 5), []), [], [], at(12, 5))
    assert stop.phase == STOPPED
    night = line_status(CAL, "L1", plan_at(CAL, "L1", at(23), []), [], [], at(23))
    assert night.phase == OFF and night.resumes_ms == to_ms(datetime(2026, 12, 3, 6, tzinfo=BERLIN))
    on = TaktLine("L1", andon_takts=1, andon_link=True)
    assert not behind(in_break, on) and not behind(night, on)
    assert decide_link(in_break, on, True, False) is LinkAction.NONE  # a break holds the call
    assert decide_link(night, on, True, False) is LinkAction.RESOLVE  # the shift ended


def test_parts_between_counts_whole_minutes_only_inside() -> None:
    rows = rows_from([at(5, 59, 30), at(6, 0, 10), at(6, 59, 59), at(7, 0), at(13, 59, 59), at(14)])
    assert parts_between(rows, at(6), at(14)) == 4
    assert parts_between(rows, at(6), at(6, 0, 20)) == 1  # the current minute counts


def test_a_status_moved_on_by_the_clock_equals_one_made_then() -> None:
    from jitdesk.domain.takt.status import at_time, stale

    plan = plan_at(CAL, "L1", at(8), [demand(420, "Early")])
    made = [at(6, 1) + i * 70_000 for i in range(100)]
    then = line_status(CAL, "L1", plan, rows_from(made), made, at(8))
    for later in (at(8, 0, 20), at(9, 10), at(11, 45)):
        fresh = line_status(CAL, "L1", plan, rows_from(made), made, later)
        moved = at_time(then, later)
        assert (moved.planned, moved.phase, moved.countdown_ms, moved.resumes_ms, moved.rate_needed_per_hour) == (
            fresh.planned, fresh.phase, fresh.countdown_ms, fresh.resumes_ms, fresh.rate_needed_per_hour)
    assert not stale(then, at(13, 59)) and stale(then, at(14))


def test_an_episode_ends_at_the_first_completion_back_within_the_threshold() -> None:
    plan = plan_at(CAL, "L1", at(8), [demand(420, "Early")])
    assert plan is not None
    made = [at(6, 1) + i * 70_000 for i in range(100)]  # 20 behind at 08:00
    settings = TaktLine("L1", andon_takts=5, andon_link=True)
    assert lag_at(plan, rows_from(made), at(8)) == 20
    assert still_in_episode(plan, settings, rows_from(made), made[-3:])  # all far behind
    # 3 quick ones a minute from 08:00:10 (a minute counts whole, as on the board): 17 behind in the
    # first minute, 2 fewer each minute after: 5 behind in the 7th (08:06), from the 19th completion
    quick = [at(8, 0, 10) + i * 20_000 for i in range(30)]
    rows = rows_from(made + quick)
    assert [lag_at(plan, rows, quick[i]) for i in (0, 3, 17, 18)] == [17, 15, 7, 5]
    assert not still_in_episode(plan, settings, rows, quick)
    assert still_in_episode(plan, settings, rows, quick[:18])  # the 19th brought it back
    assert episode_call_id("L1", at(6), 1) == episode_call_id("L1", at(6), 1)  # every device: the same id
    assert len({episode_call_id("L1", at(6), 1), episode_call_id("L1", at(6), 2),
                episode_call_id("L2", at(6), 1), episode_call_id("L1", at(14), 1)}) == 4
