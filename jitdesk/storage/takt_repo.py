"""Takt reads: minute counts of lines over a span of hours, a line's latest completions, master data
the takt maths needs (plant time zone, lines, calendars, demand of some days)."""

from __future__ import annotations

from collections.abc import Iterable

import orjson
from sqlalchemy.orm import Session

from jitdesk.domain.master import Demand, Line, ShiftCalendar
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
    """Times of the line's latest completions in [since_ms, until_ms], oldest first."""
    rows = raw(session).execute(
        'SELECT at_ms FROM "takt_cycle" WHERE line_id = ? AND at_ms BETWEEN ? AND ? ORDER BY at_ms DESC LIMIT ?',
        (line_id, since_ms, until_ms, limit)).fetchall()
    return sorted(r[0] for r in rows)
