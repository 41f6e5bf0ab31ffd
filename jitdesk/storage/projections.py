"""Generic projection rows: a state dataclass stored as a row of the table named after its projector."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import fields
from typing import Any, TypeVar

from sqlalchemy import Table, delete, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
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


def load(session: Session, projector: Projector[S], entity_id: str) -> tuple[S, Key] | None:
    table = table_for(projector)
    row = session.execute(select(table).where(table.c.id == entity_id)).mappings().first()
    if row is None:
        return None
    return row_to_state(projector.state_type, row), (row["fold_hlc"], row["fold_device"], row["fold_seq"])


def save(session: Session, projector: Projector[Any], entity_id: str, state: Any, key: Key) -> None:
    table = table_for(projector)
    values = state_to_row(state)
    values.update(id=entity_id, fold_hlc=key[0], fold_device=key[1], fold_seq=key[2])
    stmt = sqlite_insert(table).values(values)
    stmt = stmt.on_conflict_do_update(index_elements=[table.c.id], set_=values)
    session.execute(stmt)


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
