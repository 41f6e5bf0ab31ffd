"""Generic projection rows: a state dataclass stored as a row of the table named after its projector."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import JSON, Boolean, Table, delete, select
from sqlalchemy.orm import Session

from jitdesk.domain.fold import Projector
from jitdesk.storage.schema import Base

S = TypeVar("S")
Key = tuple[int, str, int]


def table_for(projector: Projector[Any]) -> Table:
    try:
        return Base.metadata.tables[projector.name]
    except KeyError:
        raise LookupError(f"no projection table named '{projector.name}'") from None


def state_to_row(state: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(state):
        value = getattr(state, f.name)
        out[f.name] = _plain(value)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def row_to_state(state_type: type[S], row: Mapping[Any, Any]) -> S:
    values = {}
    for f in fields(state_type):  # type: ignore[arg-type]
        value = row[f.name]
        values[f.name] = tuple(value) if isinstance(value, list) else value
    return state_type(**values)


@dataclass(frozen=True)
class _TableSql:
    """Hand-written SQL for the per-event hot path (load and upsert one row), with the
    conversions SQLAlchemy's column types would do: JSON text and SQLite's 0/1 booleans."""

    columns: tuple[str, ...]
    json_columns: frozenset[str]
    bool_columns: frozenset[str]
    load: str
    upsert: str


@cache
def _sql(name: str) -> _TableSql:
    table = Base.metadata.tables[name]
    cols = tuple(c.name for c in table.c)
    quoted = ", ".join(f'"{c}"' for c in cols)
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in cols if c != "id")
    return _TableSql(
        columns=cols,
        json_columns=frozenset(c.name for c in table.c if isinstance(c.type, JSON)),
        bool_columns=frozenset(c.name for c in table.c if isinstance(c.type, Boolean)),
        load=f'SELECT {quoted} FROM "{name}" WHERE id = ?',
        upsert=f'INSERT INTO "{name}" ({quoted}) VALUES ({", ".join(":" + c for c in cols)})'
        f" ON CONFLICT (id) DO UPDATE SET {updates}",
    )


def raw(session: Session) -> sqlite3.Connection:
    """The DB-API connection of the session's current transaction."""
    return session.connection().connection.driver_connection  # type: ignore[return-value]


def load(session: Session, projector: Projector[S], entity_id: str) -> tuple[S, Key] | None:
    sql = _sql(table_for(projector).name)
    found = raw(session).execute(sql.load, (entity_id,)).fetchone()
    if found is None:
        return None
    row = dict(zip(sql.columns, found, strict=True))
    for name in sql.json_columns:
        row[name] = json.loads(row[name])
    for name in sql.bool_columns:
        row[name] = bool(row[name])
    return row_to_state(projector.state_type, row), (row["fold_hlc"], row["fold_device"], row["fold_seq"])


def save(session: Session, projector: Projector[Any], entity_id: str, state: Any, key: Key) -> None:
    sql = _sql(table_for(projector).name)
    values = state_to_row(state)
    values.update(id=entity_id, fold_hlc=key[0], fold_device=key[1], fold_seq=key[2])
    for name in sql.json_columns:
        values[name] = json.dumps(values[name], separators=(",", ":"))
    raw(session).execute(sql.upsert, values)


def save_many(session: Session, projector: Projector[Any], rows: Iterable[dict[str, Any]]) -> None:
    """Bulk insert of already-converted rows into an emptied table (rebuilds)."""
    batch = list(rows)
    if batch:
        session.execute(table_for(projector).insert(), batch)


def clear(session: Session, projector: Projector[Any]) -> None:
    session.execute(delete(table_for(projector)))


def all_states(session: Session, projector: Projector[S]) -> dict[str, S]:
    table = table_for(projector)
    rows = session.execute(select(table)).mappings()
    return {row["id"]: row_to_state(projector.state_type, row) for row in rows}
