"""The demo's takt: calendars round the clock in Europe/Berlin, demand for the demo lines, and cycles.

* Calendars: the plant's two shifts Monday to Friday (demo/master.py) get a night shift, and a
  weekend calendar runs the same three shifts on Saturday and Sunday, so the takt screens are alive
  whenever the demo is opened; Christmas Day and Boxing Day are holidays, Christmas Eve has only an
  early shift (a one-off override).
* Demand: every day from yesterday for `DEMAND_DAYS` (topped up by the simulator as days pass):
  L1 makes gear pumps one at a time; L2 centrifugal pumps in pairs (two parts per cycle).
* Line settings: an on-target window of 10 % and the andon link on, at 3 cycles behind (L1) and 4 (L2),
  with the call type `TAKT` ("Behind takt") it raises.
* `--simulate`: each line completes cycles at its own pace with a seeded spread (L1 a little faster
  than takt, so ahead; L2 slower, so behind), in working time only (nothing in breaks). When the demo
  starts mid-shift, the shift so far is filled in first, as if the line had been running.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from jitdesk.domain.ids import new_id
from jitdesk.domain.master import CallType, ShiftCalendar, TaktLine
from jitdesk.domain.takt.calendar import Shift, local_date
from jitdesk.domain.takt.cycle import COMPLETED
from jitdesk.domain.takt.plan import plan_at
from jitdesk.domain.takt.records import line_calendar
from jitdesk.services import master
from jitdesk.services.changes import NO_CHANGES, Changes
from jitdesk.services.demo import DemoContext, demo_section, load_context, simulator
from jitdesk.services.hub import ServiceHub
from jitdesk.services.takt.andon_link import TAKT_CODE, look, owner_stations
from jitdesk.services.takt.demand import set_in
from jitdesk.services.uow import transaction, wall_clock_ms
from jitdesk.storage import identity, takt_repo
from jitdesk.storage.database import STATION_ID, Database

DEMAND_DAYS = 14
NIGHT = {"name": "Night", "start": "22:00", "end": "06:00", "breaks": [{"start": "02:00", "end": "02:30"}]}
WEEK_SHIFTS = (
    {"name": "Early", "start": "06:00", "end": "14:00",
     "breaks": [{"start": "09:00", "end": "09:15"}, {"start": "11:30", "end": "12:00"}]},
    {"name": "Late", "start": "14:00", "end": "22:00",
     "breaks": [{"start": "17:00", "end": "17:15"}, {"start": "19:30", "end": "20:00"}]},
    NIGHT,
)
CALENDARS = (
    ShiftCalendar(name="Weekday nights", shifts=(NIGHT,), days=(0, 1, 2, 3, 4)),
    ShiftCalendar(name="Weekend three shifts", shifts=WEEK_SHIFTS, days=(5, 6),
                  holidays=("2026-12-25", "2026-12-26"),
                  overrides=({"date": "2026-12-24", "shifts": [WEEK_SHIFTS[0]], "reason": "Christmas Eve"},)),
)

TAKT_TYPE = CallType(code=TAKT_CODE, name="Behind takt", color="#FF9100", escalate_minutes=(10, 20, 40), symbol="◷",
                     sound="help", severity="medium", responder_role="operator",
                     escalate_to=("team leader", "supervisor", "plant manager"))
ANDON_TAKTS = {"L1": 3, "L2": 4}


@dataclass(frozen=True)
class LinePace:
    code: str
    day_demand: int
    parts_per_cycle: int
    pace: float  # cycle time as a share of takt: below 1 runs ahead
    spread: float  # lognormal sigma of cycle times


PACES = (LinePace("L1", 1300, 1, 0.95, 0.10), LinePace("L2", 640, 2, 1.12, 0.18))


def _demand_days(db: Database, ctx: DemoContext, today: date, days: int) -> None:
    with db.reading() as session:
        have = {(d.line_id, d.day) for d in takt_repo.demands(
            session, [(today + timedelta(days=n)).isoformat() for n in range(-1, days)])}
    with transaction(db) as tx:
        for n in range(-1, days):
            day = today + timedelta(days=n)
            for pace in PACES:
                line_id = ctx.lines.get(pace.code)
                if line_id is not None and (line_id, day.isoformat()) not in have:
                    set_in(tx, line_id, day, pace.day_demand, parts_per_cycle=pace.parts_per_cycle,
                           actor=ctx.admin_id or None)


@demo_section("takt")
def create(db: Database, ctx: DemoContext) -> None:
    with transaction(db) as tx:
        for calendar in CALENDARS:
            master.save_in(tx, calendar, actor=ctx.admin_id or None)
        if TAKT_CODE not in ctx.call_types:
            master.save_in(tx, TAKT_TYPE, actor=ctx.admin_id or None)
        for code, takts in ANDON_TAKTS.items():
            if code in ctx.lines:
                master.save_in(tx, TaktLine(ctx.lines[code], window_percent=10, andon_takts=takts, andon_link=True),
                               actor=ctx.admin_id or None)
    with db.reading() as session:
        zone = takt_repo.plant_timezone(session)
    today = local_date(ZoneInfo(zone), wall_clock_ms())
    _demand_days(db, ctx, today, DEMAND_DAYS)


# line id -> (the completion a pending cycle started from, its drawn working time): drawn once per cycle,
# so looking every two seconds does not favour short cycles.
_PENDING: dict[str, tuple[int, float]] = {}


def _draw(rng: random.Random, line_id: str, since: int, cycle_ms: float, pace: LinePace) -> float:
    found = _PENDING.get(line_id)
    if found is None or found[0] != since:
        found = (since, cycle_ms * pace.pace * rng.lognormvariate(0, pace.spread))
        _PENDING[line_id] = found
    return found[1]


def step(db: Database, rng: random.Random, now_ms: int | None = None) -> Changes:
    """One look at every demo line: complete the cycles that are due by now (filling in the shift so far
    when the demo was not running), and top up demand as days pass."""
    now = wall_clock_ms() if now_ms is None else now_ms
    ctx = load_context(db)
    with db.reading() as session:
        zone = takt_repo.plant_timezone(session)
    today = local_date(ZoneInfo(zone), now)
    with db.reading() as session:
        known = {d.day for d in takt_repo.demands(session, [today.isoformat()])}
    if today.isoformat() not in known:
        _demand_days(db, ctx, today, DEMAND_DAYS)
    with db.reading() as session:
        records = takt_repo.calendars(session)
        demands = takt_repo.demands(session, [(today + timedelta(days=d)).isoformat() for d in (-1, 0)])
    due: list[tuple[str, int, int]] = []  # line id, time, parts
    for pace in PACES:
        line_id = ctx.lines.get(pace.code)
        if line_id is None:
            continue
        plan = plan_at(line_calendar(records, line_id, zone), line_id, now, demands)
        if plan is None or plan.cycle_ms is None:
            continue
        with db.reading() as session:
            last = takt_repo.latest_completions(session, line_id, plan.shift.start_ms, 1, now)
        at: int | None = last[-1] if last else plan.shift.start_ms
        while at is not None:
            done = _after_working(plan.shift, at, _draw(rng, line_id, at, plan.cycle_ms, pace))
            if done is None or done > now:
                break
            due.append((line_id, done, plan.parts_per_cycle))
            at = done
    if not due:
        return NO_CHANGES
    clock = [now]
    with transaction(db, now_ms=lambda: clock[0]) as tx:
        for line_id, at_ms, parts in sorted(due, key=lambda d: d[1]):
            clock[0] = at_ms
            tx.append(COMPLETED, new_id(), {"line_id": line_id, "parts": parts, "source": "simulator",
                                             "station_id": None}, None)
    return tx.changes


def _after_working(shift: Shift, start_ms: int, working_ms: float) -> int | None:
    """The instant `working_ms` of the shift's working time after `start_ms` (None: past its end)."""
    left = working_ms
    for a, b in shift.working:
        if b <= start_ms:
            continue
        a = max(a, start_ms)
        if b - a >= left:
            return a + math.ceil(left)
        left -= b - a
    return None


def link_step(db: Database, now_ms: int | None = None) -> Changes:
    """The andon link for the lines the other stations own (see the module text)."""
    with db.reading() as session:
        here = identity.get_setting(session, STATION_ID)
        others = {sid for sid in owner_stations(session).values() if sid != here}
    return look(db, now_ms=now_ms, stations=others).changes


@simulator("takt", every_seconds=2.0)
async def simulate(hub: ServiceHub, rng: random.Random) -> Changes:
    changes = await hub.run(step, rng)
    linked = await hub.run(link_step)
    return changes | linked
