"""Master-data conflicts: edits based on an older version than the one they come after.

Every master edit names the version it replaces (`replaces`: the event id of the record's newest
event where the edit was made). Folding a record's events in order, an edit whose `replaces` is not
the event just before it was made without seeing that one: two admins changed the same record
apart (offline, or at once). The fold still gives one answer on every copy, but the edit that came
second in that order overwrote a change its author never saw: such edits are listed here, for
admins to check in the Sync view, never settled silently. Derived from the log on demand, so every
copy with the same events lists the same conflicts.

An admin settles one by keeping either version (`keep_version`): a new master edit holding that
version's record, which replaces the record's newest event. A conflict is listed until an edit made
with the record's newest version in view (its `replaces` is the event just before it) follows it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import groupby, pairwise
from typing import Any

from sqlalchemy import select

from jitdesk.domain import master
from jitdesk.domain.auth import Role
from jitdesk.domain.errors import NotFound
from jitdesk.domain.events import Event
from jitdesk.services.access import require_role
from jitdesk.services.changes import Changes
from jitdesk.services.master import save_in
from jitdesk.services.uow import transaction
from jitdesk.storage import eventlog
from jitdesk.storage.database import Database
from jitdesk.storage.schema import EventRow, UserRow, table

EVENTS = table(EventRow)
USERS = table(UserRow)
LABELS = {master.kind_of(t): name for t, name in master.NAMES.items()}
TYPES = {master.kind_of(t): t for t in master.NAMES}


@dataclass(frozen=True)
class MasterConflict:
    kind: str  # e.g. "part"
    entity_id: str
    record: str  # the record as it stands (its code, number or name)
    edit_made_at: str  # wall time of the edit that did not see the other change
    overwrote_made_at: str  # wall time of the change it overwrote without seeing it
    actor: str | None  # who made the edit: the user's name where known here, else their id
    edit_id: str = ""  # the two versions, by event id (`keep_version` takes either)
    overwrote_id: str = ""
    overwrote_actor: str | None = None
    state_type: type | None = None


def conflicts(db: Database, limit: int = 200) -> list[MasterConflict]:
    """Master edits that overwrote a version their author had not seen, newest first."""
    with db.reading() as session:
        # Every master event in one ordered read (not a query per record), grouped by record.
        rows = session.execute(select(*eventlog.COLUMNS).where(EVENTS.c.kind.in_(list(LABELS))).order_by(
            EVENTS.c.entity_id, EVENTS.c.kind, EVENTS.c.hlc, EVENTS.c.device_id, EVENTS.c.device_seq)).all()
        users = dict(session.execute(select(USERS.c.id, USERS.c.name)).tuples().all())
    found: list[MasterConflict] = []
    for (_entity, kind), group in groupby((eventlog.from_row(r) for r in rows), key=lambda e: (e.entity_id, e.kind)):
        found.extend(_conflicts_of(kind, list(group), users))
    found.sort(key=lambda c: c.edit_made_at, reverse=True)
    return found[:limit]


def _conflicts_of(kind: str, history: list[Event], users: dict[str, str]) -> list[MasterConflict]:
    """A record's unsettled conflicts, from its events in fold order."""
    current = history[-1].payload
    entity_id = history[-1].entity_id
    name = next((str(current[k]) for k in ("code", "number", "name", "badge") if k in current), entity_id)
    out: list[MasterConflict] = []
    for before, edit in reversed(list(pairwise(history))):
        replaces = edit.payload.get(master.REPLACES)
        if replaces is None:
            continue
        if replaces == before.event_id:
            break  # made with the record as it stood in view: what came before is settled
        out.append(MasterConflict(LABELS[kind], entity_id, name, edit.wall_time, before.wall_time,
                                  _who(edit.actor, users), edit.event_id, before.event_id,
                                  _who(before.actor, users), TYPES[kind]))
    return out


def _who(actor: str | None, users: dict[str, str]) -> str | None:
    return None if actor is None else users.get(actor, actor)


def keep_version(db: Database, conflict: MasterConflict, event_id: str, *, actor: str | None) -> Changes:
    """Settle a conflict by keeping one of its two versions (admins only): a new edit of the record
    holding that version, made with the record's newest version in view."""
    if event_id not in (conflict.edit_id, conflict.overwrote_id) or conflict.state_type is None:
        raise NotFound("that version is not one of this conflict's two versions")
    with transaction(db) as tx:
        require_role(tx, actor, Role.ADMIN)
        row = tx.session.execute(select(EVENTS.c.payload, EVENTS.c.entity_id, EVENTS.c.kind)
                                 .where(EVENTS.c.event_id == event_id)).first()
        if row is None or row.entity_id != conflict.entity_id or row.kind != master.kind_of(conflict.state_type):
            raise NotFound(f"the version to keep of {conflict.kind} {conflict.record} is not in this station's log")
        record: Any = master.from_payload(conflict.state_type, json.loads(row.payload))
        save_in(tx, record, actor=actor, entity_id=conflict.entity_id)
    return tx.changes
