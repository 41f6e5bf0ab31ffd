"""The escalation book: a line's own ladder, the takt from the line's calendar and demand (fallback: the
setting), and the person on shift when each level was reached, at simulated clock times."""

from __future__ import annotations

from datetime import UTC, datetime, time

from jitdesk.domain.andon.book import EscalationBook, on_duty
from jitdesk.domain.andon.call import CALL_ACKNOWLEDGED, CALL_ESCALATED, CALL_SHELVED, apply
from jitdesk.domain.master import Demand, Duty, EscalationPlan, demand_key, duty_key, plan_key
from jitdesk.domain.takt.calendar import Calendar, ShiftPattern
from tests.helpers.andon_events import MIN, call_event, maint, raised, stop_type

DAY = "2026-09-21"  # a Monday


def at(hhmm: str) -> int:
    hours, minutes = map(int, hhmm.split(":"))
    return int(datetime(2026, 9, 21, hours, minutes, tzinfo=UTC).timestamp() * 1000)


WEEK = (ShiftPattern("Early", time(6), time(14)), ShiftPattern("Late", time(14), time(22)))
CALENDAR = Calendar("UTC", (WEEK,) * 5 + ((), ()))
DUTIES = (
    Duty(duty_key("team leader", "Early", "L1"), "team leader", "Early", "Bea", "L1"),
    Duty(duty_key("supervisor", "Early", None), "Supervisor", "early", "Dora"),
    Duty(duty_key("supervisor", "Late", None), "supervisor", "Late", "Carl"),
    Duty(duty_key("manager", "Late", "L1"), "manager", "Late", "Old name", "L1", active=False),
)


def book(**changes: object) -> EscalationBook:
    values: dict[str, object] = {
        "call_types": {"ct-maint": maint(), "ct-stop": stop_type()}, "duties": DUTIES,
        "station_lines": {"st-1": "L1", "st-office": None}, "calendars": {"L1": CALENDAR, None: CALENDAR},
    }
    values.update(changes)
    return EscalationBook(**values)  # type: ignore[arg-type]


def test_the_person_is_who_is_on_shift_when_the_level_is_reached() -> None:
    call = apply(None, raised(at("13:50")))
    first = book().of(call, at("13:56"))  # 5 min: reached at 13:55, early shift, the line's team leader
    assert (first.level, first.notify, first.person, first.who) == (1, "team leader", "Bea", "team leader: Bea")
    second = book().of(call, at("14:06"))  # 15 min: reached at 14:05, the late shift's supervisor
    assert (second.level, second.person, second.reached_ms) == (2, "Carl", at("14:05"))
    third = book().of(call, at("14:21"))  # nobody holds "manager" (the one record is inactive)
    assert (third.level, third.notify, third.person, third.who) == (3, "manager", None, "manager")


def test_line_roster_wins_over_the_plant_wide_one() -> None:
    own = Duty(duty_key("supervisor", "Late", "L1"), "supervisor", "Late", "Eve", "L1")
    assert on_duty((*DUTIES, own), "supervisor", "Late", "L1") == "Eve"
    assert on_duty((*DUTIES, own), "supervisor", "Late", "L2") == "Carl"
    assert on_duty(DUTIES, "team leader", "Early", None) is None  # Bea is only the line's
    assert on_duty(DUTIES, "supervisor", "Night", "L1") is None


def test_a_station_on_no_line_uses_the_plant_calendar() -> None:
    call = apply(None, raised(at("15:00"), station="st-office"))
    assert book().of(call, at("15:16")).person == "Carl"
    outside = apply(None, raised(at("22:30"), station="st-office"))
    esc = book().of(outside, at("22:50"))  # no shift at 22:45: the role alone
    assert (esc.level, esc.person) == (2, None)


def test_a_line_plan_replaces_the_type_ladder_on_that_line_only() -> None:
    plan = EscalationPlan(plan_key("ct-maint", "L1"), "ct-maint", "L1", (2, 4), (), ("team leader", "plant manager"))
    b = book(plans={plan.key: plan}, station_lines={"st-1": "L1", "st-2": "L2"})
    here = apply(None, raised(at("15:00")))
    there = apply(None, raised(at("15:00"), station="st-2"))
    assert (b.of(here, at("15:02")).level, b.of(there, at("15:02")).level) == (1, 0)
    top = b.of(here, at("15:04"))
    assert (top.level, top.levels, top.top, top.notify) == (2, 2, True, "plant manager")
    assert b.of(there, at("15:04")).levels == 3
    off = EscalationPlan(plan.key, "ct-maint", "L1", (2, 4), active=False)  # switched off: the type's again
    assert book(plans={plan.key: off}).of(here, at("15:04")).level == 0


def test_takt_from_the_line_demand_and_the_setting_as_fallback() -> None:
    call = apply(None, raised(at("15:00"), call_type="ct-stop", stops_line=True))
    # 480 parts in the 8 h late shift: a takt of 60 s; the type escalates after 1 and 3 takts
    demand = Demand(demand_key("L1", DAY, "Late"), "L1", DAY, 480, "Late")
    b = book(demands=(demand,))
    assert b.takt_ms(call) == 60_000
    assert [b.of(call, at("15:00") + s * 1000).level for s in (59, 60, 179, 180)] == [0, 1, 1, 2]
    # no demand on the line: the setting's takt, or minutes alone without one
    assert book(default_takt_ms=120_000).of(call, at("15:02")).level == 1
    assert book().of(call, at("15:02")).level == 0
    assert book().of(call, at("15:10")).level == 1  # 10 minutes


def test_shelve_and_manual_move_the_time_the_level_was_reached() -> None:
    call = apply(None, raised(at("13:50")))
    shelved = apply(call, call_event(CALL_SHELVED, {"until_ms": at("14:00"), "by_name": "S"}, ms=at("13:52"), seq=2))
    esc = book().of(shelved, at("14:04"))  # clock stood 13:52-14:00: 5 min read at 14:03, the late shift
    assert (esc.level, esc.reached_ms, esc.person) == (1, at("14:03"), None)  # no late team leader
    manual = apply(call, call_event(CALL_ESCALATED, {"level": 2, "by_name": ""}, ms=at("13:51"), seq=3))
    esc = book().of(manual, at("13:52"))
    assert (esc.level, esc.reached_ms, esc.person) == (2, at("13:51"), "Dora")
    acked = apply(call, call_event(CALL_ACKNOWLEDGED, {"by_name": "Ana"}, ms=at("13:53"), seq=4))
    assert book().of(acked, at("16:00")).level == 0  # escalation stops on acknowledge
    assert book().of(acked, at("16:00")).elapsed_ms == 3 * MIN
