"""The takt reads: each line's status now (board, `jitdesk takt status`, andon link), one line's
status with its last cycles (station view) and a day's plan (`jitdesk takt plan`).

Everything is computed by the domain (`domain.takt`) from the current calendars and demand and the
derived minute counts, so the screens and the command line say the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from jitdesk.domain.errors import NotFound
from jitdesk.domain.fold import PROJECTORS
from jitdesk.domain.master import Demand, TaktLine
from jitdesk.domain.takt.calendar import Calendar, local_date
from jitdesk.domain.takt.cycle import TaktMinutes
from jitdesk.domain.takt.plan import ShiftPlan, plan_at, plans_for_day
from jitdesk.domain.takt.records import line_calendar, line_calendars
from jitdesk.domain.takt.status import LineStatus, line_status
from jitdesk.storage import identity, projections, takt_repo
from jitdesk.storage.database import STATION_ID, Database


@dataclass(frozen=True)
class LineTakt:
    line_id: str
    code: str
    name: str
    status: LineStatus
    settings: TaktLine


@dataclass(frozen=True)
class Board:
    at_ms: int
    timezone: str
    lines: tuple[LineTakt, ...]


def days_around(zone_name: str, at_ms: int) -> list[str]:
    today = local_date(Calendar(zone_name).zone, at_ms)
    return [(today + timedelta(days=d)).isoformat() for d in (-1, 0)]


def _status(session: Session, calendar: Calendar, line_id: str, demands: list[Demand], at_ms: int,
            completions: bool, window: float) -> LineStatus:
    plan = plan_at(calendar, line_id, at_ms, demands)
    if plan is None:
        return line_status(calendar, line_id, None, [], [], at_ms, window)
    rows = takt_repo.minute_rows(session, plan.shift.start_ms, plan.shift.end_ms, line_id)
    recent = takt_repo.latest_completions(session, line_id, plan.shift.start_ms) if completions else []
    return line_status(calendar, line_id, plan, rows, recent, at_ms, window)


def board(db: Database, *, now_ms: int) -> Board:
    """Every active line's status now: a few minute rows per line, no cycle rows."""
    with db.reading() as session:
        zone = takt_repo.plant_timezone(session)
        records = takt_repo.calendars(session)
        demands = takt_repo.demands(session, days_around(zone, now_ms))
        lines = [(lid, line) for lid, line in takt_repo.lines(session) if line.active]
        settings = takt_repo.takt_lines(session)
        plans: dict[str, tuple[Calendar, ShiftPlan | None]] = {}
        calendars = line_calendars(records, (line_id for line_id, _line in lines), zone)
        for line_id, _line in lines:
            calendar = calendars[line_id]
            plans[line_id] = (calendar, plan_at(calendar, line_id, now_ms, demands))
        spans = [p.shift for _c, p in plans.values() if p is not None]
        rows = takt_repo.minute_rows(session, min(s.start_ms for s in spans), max(s.end_ms for s in spans)) \
            if spans else []
    by_line: dict[str, list[TaktMinutes]] = {}
    for row in rows:
        by_line.setdefault(row.line_id, []).append(row)
    out = []
    for line_id, line in lines:
        calendar, plan = plans[line_id]
        own = settings.get(line_id) or TaktLine(line_id)
        status = line_status(calendar, line_id, plan, by_line.get(line_id, []), [], now_ms, own.window_percent / 100)
        out.append(LineTakt(line_id, line.code, line.name, status, own))
    return Board(now_ms, zone, tuple(out))


def line_takt(db: Database, line_id: str, *, now_ms: int) -> LineTakt:
    """One line's status with its last ten cycle times (the station view), judged by the line's window."""
    with db.reading() as session:
        zone = takt_repo.plant_timezone(session)
        found = {lid: line for lid, line in takt_repo.lines(session)}
        if line_id not in found:
            raise NotFound(f"Line {line_id} does not exist.")
        calendar = line_calendar(takt_repo.calendars(session), line_id, zone)
        demands = takt_repo.demands(session, days_around(zone, now_ms))
        settings = takt_repo.takt_line(session, line_id)
        status = _status(session, calendar, line_id, demands, now_ms, True, settings.window_percent / 100)
    line = found[line_id]
    return LineTakt(line_id, line.code, line.name, status, settings)


def current_takt_seconds(session: Session, line_id: str, now_ms: int) -> float | None:
    """The line's takt now in seconds (working time per part of the running shift's plan), or None
    outside shifts or without demand: for the andon call's escalation in takts."""
    zone = takt_repo.plant_timezone(session)
    calendar = line_calendar(takt_repo.calendars(session), line_id, zone)
    plan = plan_at(calendar, line_id, now_ms, takt_repo.demands(session, days_around(zone, now_ms)))
    return None if plan is None or plan.takt_ms is None else plan.takt_ms / 1000


@dataclass(frozen=True)
class DayPlan:
    line_id: str
    code: str
    name: str
    day: date
    calendar: Calendar
    plans: tuple[ShiftPlan, ...]


def line_by_code(session: Session, code: str) -> tuple[str, str]:
    for line_id, line in takt_repo.lines(session):
        if line.code.lower() == code.strip().lower():
            return line_id, line.name
    raise NotFound(f"No line has the code '{code}'.")


def day_plan(db: Database, line_code: str, day: date) -> DayPlan:
    with db.reading() as session:
        line_id, name = line_by_code(session, line_code)
        zone = takt_repo.plant_timezone(session)
        calendar = line_calendar(takt_repo.calendars(session), line_id, zone)
        demands = takt_repo.demands(session, [day.isoformat()])
        code = next(line.code for lid, line in takt_repo.lines(session) if lid == line_id)
    return DayPlan(line_id, code, name, day, calendar, tuple(plans_for_day(calendar, line_id, day, demands)))


@dataclass(frozen=True)
class StationLines:
    """The line this station works on (None: it has none) and every active line (id, code, name)."""

    own: str | None
    lines: tuple[tuple[str, str, str], ...]
    timezone: str


def station_lines(db: Database) -> StationLines:
    with db.reading() as session:
        sid = identity.get_setting(session, STATION_ID)
        found = projections.load(session, PROJECTORS.get("station"), sid) if sid else None
        lines = tuple((lid, line.code, line.name) for lid, line in takt_repo.lines(session) if line.active)
        zone = takt_repo.plant_timezone(session)
    own = found[0].line_id if found is not None else None
    return StationLines(own, lines, zone)
