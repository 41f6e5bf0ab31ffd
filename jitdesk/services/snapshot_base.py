"""The snapshot a station started from, as its folds read it: which events it covers, and the
entity states it holds (the base a rebuild or a re-fold folds the uncovered events onto)."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from jitdesk.domain.events import Event
from jitdesk.domain.fold import PROJECTORS, Key, Projector, fold
from jitdesk.storage.projections import row_to_state
from jitdesk.storage.schema import table
from jitdesk.storage.snapshot_tables import SnapshotBaseRow, SnapshotEntityRow

log = logging.getLogger("jitdesk.sync")
BASE = table(SnapshotBaseRow)
ROWS = table(SnapshotEntityRow)
SNAPSHOT_BASE = "snapshot_base"  # local setting: {"seq", "sha256", "server_id", "installed_at"} (JSON)


class Coverage:
    """Which (device, device number) a snapshot holds, from its header's `covered` ranges."""

    def __init__(self, covered: dict[str, list[list[int]]]) -> None:
        self._ranges = covered

    def holds(self, device_id: str, device_seq: int) -> bool:
        return any(low <= device_seq <= high for low, high in self._ranges.get(device_id, ()))


@dataclass(frozen=True)
class Base:
    seq: int
    coverage: Coverage
    # projector name -> entity id -> [state, order key of its last folded event]
    states: dict[str, dict[str, list[Any]]]


_coverage: dict[str, Coverage] = {}  # by snapshot hash: parsed once per process


def coverage(session: Session) -> Coverage | None:
    """What the station's snapshot covers, or None when it replayed everything from the start."""
    row = session.execute(select(BASE.c.sha256, BASE.c.header).where(BASE.c.id == 1)).first()
    if row is None:
        return None
    found = _coverage.get(row.sha256)
    if found is None:
        found = _coverage[row.sha256] = Coverage(json.loads(row.header)["covered"])
    return found


def _state(projector: Projector[Any], text: str) -> list[Any]:
    r = orjson.loads(text)
    return [row_to_state(projector.state_type, r), (r["fold_hlc"], r["fold_device"], r["fold_seq"])]


def load(session: Session) -> Base | None:
    """The station's whole snapshot base (for a rebuild), or None."""
    covered = coverage(session)
    if covered is None:
        return None
    seq = int(session.execute(select(BASE.c.seq).where(BASE.c.id == 1)).scalar_one())
    states: dict[str, dict[str, list[Any]]] = {p.name: {} for p in PROJECTORS.all()}
    for name, entity_id, text in session.execute(select(ROWS.c.projector, ROWS.c.entity_id, ROWS.c.row)):
        states[name][entity_id] = _state(PROJECTORS.get(name), text)
    return Base(seq, covered, states)


def refold(session: Session, projector: Projector[Any], entity_id: str, history: Sequence[Event]) -> tuple[Any, Key]:
    """An entity folded again from its `history` in this log (fold order): from the snapshot's state
    when the snapshot holds the entity, with only the events it does not cover."""
    covered = coverage(session)
    start = None
    if covered is not None:
        text = session.execute(select(ROWS.c.row).where(ROWS.c.projector == projector.name,
                                                        ROWS.c.entity_id == entity_id)).scalar_one_or_none()
        history = [e for e in history if not covered.holds(e.device_id, e.device_seq)]
        start = None if text is None else _state(projector, text)
        if start is not None and history and history[0].order_key < start[1]:
            log.warning("%s %s: event %s is older than the snapshot this station started from; it is folded "
                        "on top of the snapshot's state, not in its place", projector.name, entity_id,
                        history[0].event_id)
    state = fold(projector, history, None if start is None else start[0])
    keys = [e.order_key for e in history] + ([start[1]] if start is not None else [])
    return state, max(keys)


def note(session: Session) -> str | None:
    """Plain words for people reading this station's log (KPIs, audits), or None."""
    seq = session.execute(select(BASE.c.seq).where(BASE.c.id == 1)).scalar_one_or_none()
    if seq is None:
        return None
    return (f"This station started from a server snapshot at event {seq}: the events before it are in the "
            "snapshot's figures, not in this station's own log.")
