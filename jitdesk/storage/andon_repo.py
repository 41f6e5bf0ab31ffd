"""Andon reads: hand-written SQL over `andon_call` and `station_andon`, shaped for their indexes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy.orm import Session

from jitdesk.domain.andon.call import Call
from jitdesk.domain.andon.derived import StationAndon
from jitdesk.storage.projections import raw, row_to_state

_CALL_COLUMNS = ("call_id", "status", "station_id", "call_type_id", "source", "severity", "stops_line", "note",
                 "loop_id", "raised_ms", "raised_by", "raised_key", "ack_ms", "ack_by", "ack_name", "ack_key",
                 "end_ms", "end_by", "end_name", "end_reason", "end_text", "end_key", "manual_level", "manual_ms",
                 "shelved_ms", "shelved_until_ms", "shelved_by", "shelved_key")
_KEYS = frozenset({"raised_key", "ack_key", "end_key", "shelved_key"})
_SELECT = "SELECT " + ", ".join(_CALL_COLUMNS) + " FROM andon_call"
_OPEN = "status IN ('raised', 'acknowledged')"
_LIGHT_COLUMNS = ("open_calls", "unclaimed", "stops_line", "top_severity", "oldest_ms", "light", "flash", "buzzer")


def call_from_row(row: Sequence[Any]) -> Call:
    values: dict[str, Any] = dict(zip(_CALL_COLUMNS, row, strict=True))
    values["stops_line"] = bool(values["stops_line"])
    for name in _KEYS:
        values[name] = orjson.loads(values[name]) if values[name] else []
    return row_to_state(Call, values)


def open_calls_at(session: Session, station_id: str) -> list[Call]:
    """The open calls of one station, oldest first (uses the partial index on open calls)."""
    rows = raw(session).execute(f"{_SELECT} WHERE station_id = ? AND {_OPEN} ORDER BY raised_ms, call_id",
                                (station_id,)).fetchall()
    return [call_from_row(r) for r in rows]


def open_calls(session: Session) -> list[Call]:
    rows = raw(session).execute(f"{_SELECT} WHERE {_OPEN} ORDER BY raised_ms, call_id").fetchall()
    return [call_from_row(r) for r in rows]


def open_call_of_loop(session: Session, loop_id: str) -> Call | None:
    found = raw(session).execute(f"{_SELECT} WHERE loop_id = ? AND {_OPEN} ORDER BY raised_ms LIMIT 1",
                                 (loop_id,)).fetchone()
    return None if found is None else call_from_row(found)


def calls_raised_between(session: Session, from_ms: int, to_ms: int) -> list[Call]:
    """Calls raised in [from_ms, to_ms), any status, oldest first."""
    rows = raw(session).execute(f"{_SELECT} WHERE raised_ms >= ? AND raised_ms < ? ORDER BY raised_ms, call_id",
                                (from_ms, to_ms)).fetchall()
    return [call_from_row(r) for r in rows]


def station_lights(session: Session) -> dict[str, StationAndon]:
    """Every station with an open call and its light (a station not in it is clear)."""
    rows = raw(session).execute("SELECT id, " + ", ".join(_LIGHT_COLUMNS) + " FROM station_andon").fetchall()
    out = {}
    for r in rows:
        values = dict(zip(_LIGHT_COLUMNS, r[1:], strict=True))
        for name in ("stops_line", "flash", "buzzer"):
            values[name] = bool(values[name])
        out[str(r[0])] = StationAndon(**values)
    return out
