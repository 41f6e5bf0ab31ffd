"""Master-data use cases: create and edit plants, lines, stations, parts, users, call types, calendars."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from sqlalchemy import select

from jitdesk.domain import master
from jitdesk.domain.andon.call_type_rules import check_call_type
from jitdesk.domain.auth import Role, hash_pin
from jitdesk.domain.errors import BadInput, NotAllowed, NotFound, PayloadError
from jitdesk.domain.fold import PROJECTORS
from jitdesk.domain.ids import new_id
from jitdesk.domain.master import (
    CallType,
    Demand,
    Duty,
    EscalationPlan,
    Line,
    Part,
    Plant,
    ShiftCalendar,
    Station,
    TaktLine,
    User,
)
from jitdesk.services.access import require_role
from jitdesk.services.changes import Changes
from jitdesk.services.uow import Tx, transaction
from jitdesk.storage import identity, projections
from jitdesk.storage.database import UNASSIGNED_PLANT, Database

T = TypeVar("T")
SYNC_ROLE_KEY = "sync_role"  # written by sync_apply.record_role from the server's hello

# The field that must be unique among records of each kind, and its label for messages.
UNIQUE: dict[type, tuple[str, str]] = {
    Plant: ("code", "code"), Line: ("code", "code"), Station: ("code", "code"),
    Part: ("number", "part number"), User: ("badge", "badge"), CallType: ("code", "code"),
    ShiftCalendar: ("name", "name"), Demand: ("key", "line, day and shift"),
    TaktLine: ("line_id", "line"),
    EscalationPlan: ("key", "call type and line"), Duty: ("key", "role, shift and line"),
}
LABELS: dict[type, str] = {
    Plant: "Plant", Line: "Line", Station: "Station", Part: "Part", User: "User",
    CallType: "Andon call type", ShiftCalendar: "Shift calendar", Demand: "Demand",
    TaktLine: "Line takt settings",
    EscalationPlan: "Line escalation", Duty: "Duty",
}


@dataclass(frozen=True)
class Record(Generic[T]):
    id: str
    value: T


def save(db: Database, record: Any, *, actor: str | None, entity_id: str | None = None,
         now_ms: Any = None) -> tuple[str, Changes]:
    """Create (no `entity_id`) or replace a master-data record; returns its id and the Changes."""
    kwargs = {} if now_ms is None else {"now_ms": now_ms}
    with transaction(db, **kwargs) as tx:
        entity_id = save_in(tx, record, actor=actor, entity_id=entity_id)
    return entity_id, tx.changes


def save_in(tx: Tx, record: Any, *, actor: str | None, entity_id: str | None = None,
            check_access: bool = True) -> str:
    """`save` inside a transaction the caller owns (several records in one commit). `check_access=False`
    is for the command line, whose user holds the database file itself."""
    state_type = type(record)
    if check_access:
        require_role(tx, actor, Role.ADMIN)
    _syncs_as_admin(tx)
    _check(tx, record, entity_id)
    entity_id_given = entity_id is not None
    entity_id = entity_id or new_id()
    if state_type is Plant and tx.plant_id == UNASSIGNED_PLANT:
        tx.adopt_plant(entity_id)  # the first plant is this database's plant, from its own event on
    try:
        kind = master.kind_of(state_type)
        # An edit is based on the version shown: it sorts after that version on every copy, even
        # when that version came from a device whose clock runs hours ahead.
        payload = master.to_payload(record)
        after = 0
        if entity_id_given:
            replaced = tx.latest(entity_id, kind)
            if replaced is not None:
                after, payload[master.REPLACES] = replaced.hlc, replaced.event_id
        tx.append(kind, entity_id, payload, actor, after_hlc=after)
    except PayloadError as error:
        raise BadInput(f"{LABELS[state_type]}: {error.field} {error.problem}.") from error
    return entity_id


def _syncs_as_admin(tx: Tx) -> None:
    """A station whose sync token is not an admin token may not make master edits: the server
    would refuse them, and the edit would stay on this station only, for ever."""
    role = identity.get_setting(tx.session, SYNC_ROLE_KEY)
    if role is not None and role not in ("admin", "hub"):
        raise NotAllowed("master data can only be changed on an admin device: this station's sync token "
                         f"is a {role} token, so the server would refuse the change")


def _check(tx: Tx, record: Any, entity_id: str | None) -> None:
    state_type = type(record)
    label = LABELS[state_type]
    field, field_label = UNIQUE[state_type]
    value = getattr(record, field)
    if isinstance(value, str):
        if not value.strip():
            raise BadInput(f"{label}: the {field_label} may not be empty.")
        table = projections.table_for(PROJECTORS.get(master.NAMES[state_type]))
        clash = tx.session.execute(
            select(table.c.id).where(table.c[field] == value, table.c.id != (entity_id or ""))
        ).first()
        if clash is not None:
            raise BadInput(f"{label}: the {field_label} '{value}' is already used by another record.")
    if entity_id is not None and _load(tx, state_type, entity_id) is None:
        raise NotFound(f"{label} {entity_id} does not exist.")
    if isinstance(record, Station) and record.line_id is not None and _load(tx, Line, record.line_id) is None:
        raise NotFound(f"Station {record.code}: its line does not exist.")
    if isinstance(record, TaktLine) and _load(tx, Line, record.line_id) is None:
        raise NotFound("Line takt settings: their line does not exist.")
    if isinstance(record, ShiftCalendar):
        problem = master.check_calendar(record)
        if problem:
            raise BadInput(f"Shift calendar {record.name}: {problem}.")
    if isinstance(record, CallType) and (problem := check_call_type(record)):
        raise BadInput(f"Andon call type {record.code}: {problem}.")


def _load(tx: Tx, state_type: type[T], entity_id: str) -> T | None:
    found = projections.load(tx.session, PROJECTORS.get(master.NAMES[state_type]), entity_id)
    return None if found is None else found[0]


def save_user(db: Database, *, actor: str | None, name: str, badge: str, role: str, pin: str | None,
              active: bool = True, user_id: str | None = None) -> tuple[str, Changes]:
    """Create or edit a user; `pin=None` keeps the current PIN (a new user must get one)."""
    Role.parse(role)
    if pin is None:
        if user_id is None:
            raise BadInput("User: a new user needs a PIN (4 to 12 digits).")
        with db.reading() as session:
            found = projections.load(session, PROJECTORS.get("user"), user_id)
        if found is None:
            raise NotFound(f"User {user_id} does not exist.")
        pin_hash = found[0].pin_hash
    else:
        pin_hash = hash_pin(pin, os.urandom(16))
    user = User(name=name.strip(), badge=badge.strip(), role=role.lower(), pin_hash=pin_hash, active=active)
    return save(db, user, actor=actor, entity_id=user_id)


def records(db: Database, state_type: type[T]) -> list[Record[T]]:
    """Every record of one kind, sorted by its unique field."""
    with db.reading() as session:
        states = projections.all_states(session, PROJECTORS.get(master.NAMES[state_type]))
    field = UNIQUE[state_type][0]
    return sorted((Record(k, v) for k, v in states.items()), key=lambda r: str(getattr(r.value, field)))


def get(db: Database, state_type: type[T], entity_id: str) -> T:
    with db.reading() as session:
        found = projections.load(session, PROJECTORS.get(master.NAMES[state_type]), entity_id)
    if found is None:
        raise NotFound(f"{LABELS[state_type]} {entity_id} does not exist.")
    return found[0]


def deactivate(db: Database, state_type: type[Any], entity_id: str, *, actor: str | None) -> Changes:
    record = get(db, state_type, entity_id)
    return save(db, replace(record, active=False), actor=actor, entity_id=entity_id)[1]
