"""The snapshot a station started from, as its rebuild reads it: which events it covers, and the
entity states it holds (the base a rebuild folds the uncovered events onto)."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from jitdesk.domain.fold import PROJECTORS
from jitdesk.storage.projections import row_to_state
from jitdesk.storage.schema import table
from jitdesk.storage.snapshot_tables import SnapshotBaseRow

BASE = table(SnapshotBaseRow)
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


def load(session: Session) -> Base | None:
    """The station's snapshot base, or None when it replayed everything from the start."""
    row = session.execute(select(BASE.c.seq, BASE.c.header, BASE.c.body).where(BASE.c.id == 1)).first()
    if row is None:
        return None
    header = json.loads(row.header)
    states: dict[str, dict[str, list[Any]]] = {p.name: {} for p in PROJECTORS.all()}
    for line in gzip.decompress(row.body).split(b"\n")[1:]:
        if not line:
            continue
        item = orjson.loads(line)
        projector = PROJECTORS.get(item["p"])
        r = item["r"]
        states[projector.name][r["id"]] = [row_to_state(projector.state_type, r),
                                           (r["fold_hlc"], r["fold_device"], r["fold_seq"])]
    return Base(row.seq, Coverage(header["covered"]), states)


def note(session: Session) -> str | None:
    """Plain words for people reading this station's log (KPIs, audits), or None."""
    row = session.execute(select(BASE.c.seq, BASE.c.installed_at).where(BASE.c.id == 1)).first()
    if row is None:
        return None
    return (f"This station started from a server snapshot at event {row.seq} (installed {row.installed_at}): "
            "events before it are in the snapshot's projections, not in this station's own log.")
