"""Takt reads: minute counts of lines over a span of hours, a line's latest completions, master data
the takt maths needs (plant time zone, lines, calendars, demand of some days)."""

from __future__ import annotations

from collections.abc import Iterable

import orjson
from sqlalchemy.orm import Session

from jitdesk.domain.master import Demand, Line, ShiftCalendar, TaktLine
from jitdesk.domain.takt.cycle import HOUR_MS, TaktMinutes
from jitdesk.storage.projections import raw, row_to_state


def plant_timezone(session: Session) -> str:
    found = raw(session).execute('SELECT timezone FROM "plant" ORDER BY id LIMIT 1').fetchone()
    return found[0] if found and found[0] else "UTC"


def lines(session: Session) -> list[tuple[str, Line]]:
    rows = raw(session).execute('SELECT id, code, name, active FROM "line" ORDER BY code').fetchall()
    return [(r[0], Line(r[1], r[2], bool(r[3]))) for r in rows]


def calendars(session: Session) -> list[ShiftCalendar]:
    cols = ("name", "shifts", "days", "line_id", "active", "holidays", "overrides")
    rows = raw(session).execute(f'SELECT {", ".join(cols)} FROM "calendar"').fetchall()
    out = []
    for r in rows:
        values = dict(zip(cols, r, strict=True))
        for name in ("shifts", "days", "holidays", "overrides"):
            values[name] = orjson.loads(values[name])
        values["active"] = bool(values["active"])
        out.append(row_to_state(ShiftCalendar, values))
    return out


def demands(session: Session, days: Iterable[str]) -> list[Demand]:
    wanted = sorted(set(days))
    if not wanted:
        return []
    marks = ", ".join("?" for _ in wanted)
    rows = raw(session).execute(
        f'SELECT key, line_id, day, quantity, shift, parts_per_cycle, active FROM "demand" WHERE day IN ({marks})',
        wanted).fetchall()
    return [Demand(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6])) for r in rows]


def minute_rows(session: Session, start_ms: int, end_ms: int, line_id: str | None = None) -> list[TaktMinutes]:
    """Every line's (or one line's) minute counts for the clock hours that [start_ms, end_ms) touches."""
    first, last = start_ms // HOUR_MS, (end_ms - 1) // HOUR_MS
    sql = 'SELECT line_id, hour, cycles, total, parts FROM "takt_minutes" WHERE hour BETWEEN ? AND ?'
    args: tuple[object, ...] = (first, last)
    if line_id is not None:
        sql += " AND line_id = ?"
        args += (line_id,)
    rows = raw(session).execute(sql, args).fetchall()
    return [TaktMinutes(r[0], r[1], r[2], r[3], tuple(orjson.loads(r[4]))) for r in rows]


def latest_completions(session: Session, line_id: str, since_ms: int, limit: int = 11,
                       until_ms: int = 1 << 62) -> list[int]:
    """Times of the line's latest completions in [since_ms, until_ms] that were not undone, oldest first."""
    return sorted(at for _id, at, _station in last_cycles(session, line_id, since_ms, limit, until_ms))


def last_cycles(session: Session, line_id: str, since_ms: int, limit: int = 1,
                until_ms: int = 1 << 62) -> list[tuple[str, int, str | None]]:
    """(id, time, station) of the line's latest completions not undone in [since_ms, until_ms], newest first."""
    rows = raw(session).execute(
        'SELECT id, at_ms, station_id FROM "takt_cycle" WHERE line_id = ? AND at_ms BETWEEN ? AND ? AND NOT undone '
        'ORDER BY at_ms DESC, id DESC LIMIT ?', (line_id, since_ms, until_ms, limit)).fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


def takt_lines(session: Session) -> dict[str, TaktLine]:
    """Every line's active takt settings by line id (a line missing here takes `TaktLine(line_id)`)."""
    rows = raw(session).execute(
        'SELECT line_id, window_percent, andon_takts, andon_link FROM "takt_line" WHERE active ORDER BY id DESC'
    ).fetchall()
    return {r[0]: TaktLine(r[0], int(r[1]), int(r[2]), bool(r[3])) for r in rows}


def takt_line(session: Session, line_id: str) -> TaktLine:
    """The line's takt settings (its defaults when it has no active record)."""
    return takt_lines(session).get(line_id) or TaktLine(line_id)
