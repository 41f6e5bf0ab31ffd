"""Master-data conflicts: edits based on an older version than the one they come after.

Every master edit names the version it replaces (`replaces`: the event id of the record's newest
event where the edit was made). Folding a record's events in order, an edit whose `replaces` is not
the event just before it was made without seeing that one: two admins changed the same record
apart (offline, or at once). The fold still gives one answer on every copy, but the edit that came
second in that order overwrote a change its author never saw: such edits are listed here, for
admins to check in the Sync view, never settled silently. Derived from the log on demand, so every
copy with the same events lists the same conflicts.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from sqlalchemy import select

from jitdesk.domain import master
from jitdesk.storage import eventlog
from jitdesk.storage.database import Database
from jitdesk.storage.schema import EventRow, table

EVENTS = table(EventRow)
LABELS = {master.kind_of(t): name for t, name in master.NAMES.items()}


@dataclass(frozen=True)
class MasterConflict:
    kind: str  # e.g. "part"
    entity_id: str
    record: str  # the record as it stands (its code, number or name)
    edit_made_at: str  # wall time of the edit that did not see the other change
    overwrote_made_at: str  # wall time of the change it overwrote without seeing it
    actor: str | None


def conflicts(db: Database, limit: int = 200) -> list[MasterConflict]:
    """Master edits that overwrote a version their author had not seen, newest first."""
    kinds = list(LABELS)
    with db.reading() as session:
        entities = session.execute(select(EVENTS.c.entity_id, EVENTS.c.kind).where(EVENTS.c.kind.in_(kinds))
                                   .distinct()).all()
        found: list[MasterConflict] = []
        for entity_id, kind in entities:
            history = eventlog.entity_events(session, entity_id, [kind])
            for before, edit in pairwise(history):
                replaces = edit.payload.get(master.REPLACES)
                if replaces is not None and replaces != before.event_id:
                    current = history[-1].payload
                    name = next((str(current[k]) for k in ("code", "number", "name", "badge") if k in current),
                                entity_id)
                    found.append(MasterConflict(LABELS[kind], entity_id, name, edit.wall_time, before.wall_time,
                                                edit.actor))
    found.sort(key=lambda c: c.edit_made_at, reverse=True)
    return found[:limit]


def describe(items: list[MasterConflict]) -> str:
    """Plain words for the Sync view."""
    if not items:
        return ""
    lines = [f"{len(items)} master-data conflict(s): an edit was made without seeing another change to the "
             "same record. Check these records and edit them again if needed:"]
    for c in items[:10]:
        lines.append(f"  ⚠ {c.kind} {c.record}: the edit of {c.edit_made_at} replaced the change of "
                     f"{c.overwrote_made_at} without seeing it")
    if len(items) > 10:
        lines.append(f"  … and {len(items) - 10} more")
    return "\n".join(lines)
