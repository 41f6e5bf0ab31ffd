"""`jitdesk takt ...`: the day's plan of a line, every line's status, schedule adherence, demand.

    jitdesk takt plan --line L1 --date 2026-12-02 [--json]    shifts, working minutes, breaks, demand,
                                                            takt and planned parts per hour
    jitdesk takt status [--json] [--at TIME]                 every line: planned by now, made, efficiency
    jitdesk takt adherence --from D --to D [--line L] [--out FILE.csv] [--at TIME]
    jitdesk takt demand --line L --date D --quantity N [--shift S] [--parts-per-cycle K]
    jitdesk takt demand --csv FILE.csv                      line,date,quantity[,shift][,parts_per_cycle]

The numbers come from the same domain code as the station view and the board (domain.takt).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jitdesk.domain.errors import BadInput, StorageProblem
from jitdesk.storage.database import Database


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("takt", help="takt plans, line status, schedule adherence, demand")
    actions = parser.add_subparsers(dest="takt_action", required=True, metavar="ACTION")
    plan = actions.add_parser("plan", help="a line's shifts on a day: working minutes, breaks, demand, takt")
    plan.add_argument("--line", required=True, metavar="CODE", help="the line's code")
    plan.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="the plant-local day")
    plan.add_argument("--json", action="store_true", help="print JSON")
    status = actions.add_parser("status", help="every line: planned by now, made, efficiency")
    status.add_argument("--json", action="store_true", help="print JSON")
    status.add_argument("--at", metavar="TIME", help="as at this ISO time (default: now), e.g. 2026-12-02T08:00+01:00")
    adherence = actions.add_parser("adherence", help="schedule adherence per line and shift (CSV)")
    adherence.add_argument("--from", dest="first", required=True, metavar="YYYY-MM-DD")
    adherence.add_argument("--to", dest="last", required=True, metavar="YYYY-MM-DD")
    adherence.add_argument("--line", metavar="CODE", help="one line only")
    adherence.add_argument("--out", metavar="FILE.csv", help="write the CSV here (default: print it)")
    adherence.add_argument("--at", metavar="TIME", help="as at this ISO time (default: now)")
    demand = actions.add_parser("demand", help="set demand for a line's day or shift, or import a CSV")
    demand.add_argument("--csv", metavar="FILE.csv", help="line,date,quantity[,shift][,parts_per_cycle]")
    demand.add_argument("--line", metavar="CODE")
    demand.add_argument("--date", metavar="YYYY-MM-DD")
    demand.add_argument("--quantity", type=int)
    demand.add_argument("--shift", help="one shift of the day (default: the whole day)")
    demand.add_argument("--parts-per-cycle", type=int, default=1)
    for sub in (plan, status, adherence, demand):
        sub.add_argument("--db", metavar="PATH", help="database file (default: the user data dir)")


def _day(text: str, what: str = "--date") -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{what} must be a date like 2026-12-02, not '{text}'.") from None


@contextmanager
def _database(path_arg: str | None) -> Iterator[Database]:
    from jitdesk.paths import database_path
    from jitdesk.storage.database import open_database

    path = database_path(path_arg)
    if not path.is_file():  # reading a plan never creates a database as a side effect
        raise StorageProblem(f"There is no database at {path}.")
    db = open_database(path)
    try:
        yield db
    finally:
        db.close()


def run(args: argparse.Namespace) -> int:
    action = {"plan": _plan, "status": _status, "adherence": _adherence, "demand": _demand}[args.takt_action]
    with _database(args.db) as db:
        return action(db, args)


def _minutes(ms: int) -> int:
    return ms // 60_000


def plan_json(db: Database, line: str, day: date) -> dict[str, Any]:
    from jitdesk.services.takt.status import day_plan

    found = day_plan(db, line, day)
    zone = found.calendar.zone

    def local(ms: int) -> str:
        return datetime.fromtimestamp(ms / 1000, zone).isoformat(timespec="minutes")

    shifts = []
    for plan in found.plans:
        s = plan.shift
        shifts.append({
            "name": s.name, "start": local(s.start_ms), "end": local(s.end_ms),
            "span_minutes": _minutes(s.span_ms), "working_minutes": _minutes(s.working_ms),
            "breaks": [{"start": local(a), "end": local(b), "kind": kind, "minutes": _minutes(b - a)}
                       for a, b, kind in s.pauses],
            "demand": plan.demand, "parts_per_cycle": plan.parts_per_cycle,
            "takt_seconds": None if plan.takt_ms is None else round(plan.takt_ms / 1000, 2),
            "cycle_seconds": None if plan.cycle_ms is None else round(plan.cycle_ms / 1000, 2),
            "planned_per_hour": [{"hour": hour.isoformat(timespec="minutes"), "working_minutes": working,
                                  "planned": round(parts, 1)}
                                 for hour, working, parts in plan.planned_per_hour(found.calendar)],
        })
    return {"line": found.code, "name": found.name, "date": day.isoformat(), "timezone": found.calendar.timezone,
            "shifts": shifts}


def _plan(db: Database, args: argparse.Namespace) -> int:
    data = plan_json(db, args.line, _day(args.date))
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    print(f"Line {data['line']} {data['name']}: {data['date']} ({data['timezone']})")
    if not data["shifts"]:
        print("  no shifts on this day")
    for s in data["shifts"]:
        takt = "no demand" if s["takt_seconds"] is None else f"takt {s['takt_seconds']:.1f} s per part"
        if s["parts_per_cycle"] > 1 and s["cycle_seconds"] is not None:
            takt += f", {s['cycle_seconds']:.1f} s per cycle of {s['parts_per_cycle']}"
        print(f"\n{s['name']}  {s['start'][11:16]}-{s['end'][11:16]}  working {s['working_minutes']} min"
              f" of {s['span_minutes']}  demand {s['demand']}  {takt}")
        for b in s["breaks"]:
            print(f"  {b['kind']:<5}  {b['start'][11:16]}-{b['end'][11:16]}  {b['minutes']} min")
        print("  hour   working  planned")
        for h in s["planned_per_hour"]:
            print(f"  {h['hour'][11:16]}  {h['working_minutes']:>4} min  {h['planned']:>7.1f}")
    return 0


def status_json(db: Database, now_ms: int) -> dict[str, Any]:
    from jitdesk.domain.takt.link import behind
    from jitdesk.services.takt.status import board

    found = board(db, now_ms=now_ms)
    lines = []
    for line in found.lines:
        s = line.status
        plan = s.plan
        lines.append({
            "line": line.code, "name": line.name, "phase": s.phase,
            "shift": None if plan is None else plan.shift.key,
            "demand": None if plan is None else plan.demand,
            "planned": s.planned, "actual": s.actual, "ahead": s.ahead, "standing": s.standing,
            "efficiency": None if s.efficiency is None else round(s.efficiency, 4),
            "behind_takts": s.behind_takts,
            "andon_link": line.settings.andon_link, "andon_after_takts": line.settings.andon_takts,
            "andon_due": behind(s, line.settings) and line.settings.andon_link,
        })
    at = datetime.fromtimestamp(now_ms / 1000).astimezone()
    return {"at": at.isoformat(timespec="seconds"), "timezone": found.timezone, "lines": lines}


def _now(text: str | None) -> int:
    from jitdesk.domain.takt.calendar import to_ms
    from jitdesk.services.uow import wall_clock_ms

    if text is None:
        return wall_clock_ms()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadInput(f"--at must be an ISO time like 2026-12-02T08:00+01:00, not '{text}'.") from None
    if moment.tzinfo is None:
        raise BadInput("--at needs its offset or Z, like 2026-12-02T08:00+01:00.")
    return to_ms(moment)


def _status(db: Database, args: argparse.Namespace) -> int:
    data = status_json(db, _now(args.at))
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    print(f"{'line':<8} {'shift':<18} {'phase':<8} {'planned':>8} {'made':>6} {'eff.':>6} {'±':>6}  state")
    for x in data["lines"]:
        eff = "—" if x["efficiency"] is None else f"{x['efficiency'] * 100:.0f}%"
        state = x["standing"].replace("_", " ") if x["phase"] == "running" else "paused"
        print(f"{x['line']:<8} {x['shift'] or '—':<18} {x['phase']:<8} {x['planned']:>8} {x['actual']:>6} "
              f"{eff:>6} {x['ahead']:>+6}  {state}")
    return 0


def _adherence(db: Database, args: argparse.Namespace) -> int:
    from jitdesk.services.takt.adherence import adherence, to_csv

    rows = adherence(db, _day(args.first, "--from"), _day(args.last, "--to"), now_ms=_now(args.at),
                     line_code=args.line)
    text = to_csv(rows)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"{len(rows)} shift(s) written to {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def _demand(db: Database, args: argparse.Namespace) -> int:
    from jitdesk.services.takt.demand import import_csv, set_demand
    from jitdesk.services.takt.status import line_by_code

    # The command line has no signed-in user: whoever runs it holds the database file itself.
    if args.csv:
        try:
            text = Path(args.csv).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise BadInput(f"Cannot read {args.csv}: {error}") from error
        checked, _changes = import_csv(db, text, actor=None, check_access=False)
        print(f"{len(checked.rows)} demand row(s) imported from {args.csv}")
        for problem in checked.problems:
            print(f"{args.csv} {problem.words}: left out", file=sys.stderr)
        return 1 if checked.problems else 0
    if not (args.line and args.date and args.quantity is not None):
        raise BadInput("Give --csv FILE, or --line, --date and --quantity.")
    with db.reading() as session:
        line_id = line_by_code(session, args.line)[0]
    set_demand(db, line_id, _day(args.date), args.quantity, shift=args.shift,
               parts_per_cycle=args.parts_per_cycle, actor=None, check_access=False)
    print(f"demand of line {args.line} on {args.date}{' ' + args.shift if args.shift else ''}: {args.quantity}")
    return 0
