"""Generic projection rows: a state dataclass stored as a row of the table named after its projector.

Entity projections carry the order key of their last folded event (fold_hlc, fold_device, fold_seq);
derived projections are a row dataclass plus its key in `id`. `SessionStates` and `MemoryStates` give a
derived projector the entity states it reads: from the database inside a transaction, or from memory
during a rebuild.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import cache
from typing import Any, TypeVar

import orjson
from sqlalchemy import JSON, Boolean, Table, delete, select
from sqlalchemy.orm import Session

from jitdesk.domain.fold import Aggregate, AnyDerived, Projector
from jitdesk.storage.schema import Base

S = TypeVar("S")
Key = tuple[int, str, int]


def table_for(projector: Projector[Any] | AnyDerived) -> Table:
    try:
        return Base.metadata.tables[projector.name]
    except KeyError:
        raise LookupError(f"no projection table named '{projector.name}'") from None


_NAMES: dict[type, tuple[str, ...]] = {}


def _names(state_type: type) -> tuple[str, ...]:
    names = _NAMES.get(state_type)
    if names is None:
        names = _NAMES[state_type] = tuple(f.name for f in fields(state_type))
    return names


_SCALARS = frozenset({str, int, float, bool, type(None)})


def state_to_row(state: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in _names(type(state)):
        value = getattr(state, name)
        out[name] = value if type(value) in _SCALARS else _plain(value)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, str | int | float):  # enums of text or numbers among them
        return value
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def row_to_state(state_type: type[S], row: Mapping[Any, Any]) -> S:
    values = {}
    for name in _names(state_type):
        value = row[name]
        values[name] = tuple(value) if type(value) is list else value
    return state_type(**values)


MEMBERS = "members"  # an aggregate's column of member contributions, {entity id: contribution}


def dump_json(value: Any) -> str:
    """JSON text as projections store it: one spelling for one value (keys sorted), whichever path wrote it."""
    return orjson.dumps(value, default=_tuple_subclass, option=orjson.OPT_SORT_KEYS).decode()


def _tuple_subclass(value: Any) -> list[Any]:
    if isinstance(value, tuple):  # a NamedTuple contribution
        return list(value)
    raise TypeError(f"cannot store {type(value).__name__} in a projection")


@dataclass(frozen=True)
class _TableSql:
    """Hand-written SQL for the per-event hot path (load and upsert one row), with the
    conversions SQLAlchemy's column types would do: JSON text and SQLite's 0/1 booleans."""

    columns: tuple[str, ...]
    json_columns: frozenset[str]
    bool_columns: frozenset[str]
    load: str
    upsert: str
    select: str


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
        select=f'SELECT {quoted} FROM "{name}"',
        upsert=f'INSERT INTO "{name}" ({quoted}) VALUES ({", ".join(":" + c for c in cols)})'
        f" ON CONFLICT (id) DO UPDATE SET {updates}",
    )


def raw(session: Session) -> sqlite3.Connection:
    """The DB-API connection of the session's current transaction."""
    return session.connection().connection.driver_connection  # type: ignore[return-value]


def _to_state(sql: _TableSql, state_type: type[S], found: Sequence[Any]) -> tuple[S, dict[str, Any]]:
    row = dict(zip(sql.columns, found, strict=True))
    for name in sql.json_columns:
        row[name] = orjson.loads(row[name])
    for name in sql.bool_columns:
        row[name] = bool(row[name])
    return row_to_state(state_type, row), row


def load(session: Session, projector: Projector[S], entity_id: str) -> tuple[S, Key] | None:
    sql = _sql(table_for(projector).name)
    found = raw(session).execute(sql.load, (entity_id,)).fetchone()
    if found is None:
        return None
    state, row = _to_state(sql, projector.state_type, found)
    return state, (row["fold_hlc"], row["fold_device"], row["fold_seq"])


def load_many(session: Session, projector: Projector[S], entity_ids: Sequence[str]) -> dict[str, tuple[S, Key]]:
    """`load` for many entities in one query (a pulled page's entities)."""
    sql = _sql(table_for(projector).name)
    found = raw(session).execute(f"{sql.select} WHERE id IN (SELECT value FROM json_each(?))",
                                 (orjson.dumps(list(entity_ids)).decode(),)).fetchall()
    out: dict[str, tuple[S, Key]] = {}
    for values in found:
        state, row = _to_state(sql, projector.state_type, values)
        out[row["id"]] = (state, (row["fold_hlc"], row["fold_device"], row["fold_seq"]))
    return out


def save_states(session: Session, projector: Projector[Any], items: Iterable[tuple[str, Any, Key]]) -> None:
    """`save` for many entities in one executemany: (entity id, state, order key of its last event)."""
    rows = []
    for entity_id, state, key in items:
        values = state_to_row(state)
        values.update(id=entity_id, fold_hlc=key[0], fold_device=key[1], fold_seq=key[2])
        rows.append(values)
    save_many(session, projector, rows)


def save(session: Session, projector: Projector[Any], entity_id: str, state: Any, key: Key) -> None:
    sql = _sql(table_for(projector).name)
    values = state_to_row(state)
    values.update(id=entity_id, fold_hlc=key[0], fold_device=key[1], fold_seq=key[2])
    for name in sql.json_columns:
        values[name] = dump_json(values[name])
    raw(session).execute(sql.upsert, values)


def save_many(session: Session, projector: Projector[Any] | AnyDerived, rows: Iterable[dict[str, Any]]) -> None:
    """Bulk write of already-converted rows into an emptied table (rebuilds), stored exactly as `save`
    stores them (the same JSON text), so a rebuilt table equals an incrementally kept one."""
    sql = _sql(table_for(projector).name)
    batch = list(rows)
    for values in batch:
        for name in sql.json_columns:
            values[name] = dump_json(values[name])
    if batch:
        raw(session).executemany(sql.upsert, batch)


def clear(session: Session, projector: Projector[Any] | AnyDerived) -> None:
    session.execute(delete(table_for(projector)))


def all_states(session: Session, projector: Projector[S]) -> dict[str, S]:
    table = table_for(projector)
    rows = session.execute(select(table)).mappings()
    return {row["id"]: row_to_state(projector.state_type, row) for row in rows}


def save_derived_many(session: Session, derived: AnyDerived,
                      items: Sequence[tuple[str, Any | None, Mapping[str, Any] | None]]) -> None:
    """Write derived rows, (key, row or None for no row, an aggregate's members or None), in two
    executemanys; an aggregate's row keeps its `members`."""
    gone = [(key,) for key, row, _ in items if row is None]
    if gone:
        raw(session).executemany(f'DELETE FROM "{derived.name}" WHERE id = ?', gone)
    rows = [row_values(key, row, members) for key, row, members in items if row is not None]
    save_many(session, derived, rows)


def load_members_many(session: Session, aggregate: Aggregate[Any], keys: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The member contributions kept with each aggregate row, one query (a group with no row is left out)."""
    found = raw(session).execute(
        f'SELECT id, "{MEMBERS}" FROM "{aggregate.name}" WHERE id IN (SELECT value FROM json_each(?))',
        (orjson.dumps(list(keys)).decode(),)).fetchall()
    return {key: dict(orjson.loads(text)) for key, text in found}


def row_values(key: str, row: Any, members: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A derived row's plain values, ready for `save_many`."""
    values = state_to_row(row)
    values["id"] = key
    if members is not None:
        values[MEMBERS] = members
    return values


class SessionStates:
    """Entity states read from the projection tables in the session's transaction; states the
    transaction has just written are handed back from `written` without reading them again."""

    def __init__(self, session: Session, projectors: Mapping[str, Projector[Any]]) -> None:
        self._session = session
        self._projectors = projectors
        self.written: dict[tuple[str, str], Any] = {}
        self._read: dict[tuple[str, str], Any] = {}  # states read in this transaction (the unit of
        # work puts every state it writes into `written`, so these cannot go stale)

    def get(self, projector: str, entity_id: str) -> Any | None:
        state = self.written.get((projector, entity_id))
        if state is not None:
            return state
        key = (projector, entity_id)
        if key in self._read:
            return self._read[key]
        found = load(self._session, self._projectors[projector], entity_id)
        state = self._read[key] = None if found is None else found[0]
        return state

    def members(self, projector: str, field: str, value: Any) -> list[tuple[str, Any]]:
        p = self._projectors[projector]
        sql = _sql(p.name)
        if field not in sql.columns:
            raise LookupError(f"projection {p.name} has no column {field}")
        rows = raw(self._session).execute(f'{sql.select} WHERE "{field}" = ?', (value,)).fetchall()
        return [(state_row[1]["id"], state_row[0]) for state_row in (_to_state(sql, p.state_type, r) for r in rows)]


class MemoryStates:
    """Entity states held in memory (a rebuild), with an index per (projector, field) made on first use."""

    def __init__(self, states: Mapping[str, Mapping[str, Any]]) -> None:
        self._states = states
        self._index: dict[tuple[str, str], dict[Any, list[tuple[str, Any]]]] = {}

    def get(self, projector: str, entity_id: str) -> Any | None:
        return self._states.get(projector, {}).get(entity_id)

    def members(self, projector: str, field: str, value: Any) -> list[tuple[str, Any]]:
        index = self._index.get((projector, field))
        if index is None:
            index = self._index[(projector, field)] = {}
            for entity_id, state in self._states.get(projector, {}).items():
                index.setdefault(getattr(state, field), []).append((entity_id, state))
        return index.get(value, [])
