"""Edit escalation master data: a line's own ladder for a call type, and the duty roster (who holds a
role on a shift). One record per key (`master.plan_key`, `master.duty_key`): saving it again replaces
it, through the admin-only master-data path (`services.master`), so every station gets the same."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jitdesk.domain.errors import BadInput, NotFound
from jitdesk.domain.fold import PROJECTORS
from jitdesk.domain.master import CallType, Duty, EscalationPlan, Line, duty_key, plan_key
from jitdesk.services.changes import Changes
from jitdesk.services.master import save
from jitdesk.storage import projections
from jitdesk.storage.database import Database

MAX_STEPS = 5


@dataclass(frozen=True)
class EscalationData:
    """What the admin form shows: the records with their ids, and the types and lines to pick from."""

    plans: tuple[tuple[str, EscalationPlan], ...]  # by call type code, then line code
    duties: tuple[tuple[str, Duty], ...]  # by line, shift, role
    call_types: dict[str, CallType]
    lines: dict[str, Line]


def escalation_data(db: Database) -> EscalationData:
    with db.reading() as session:
        plans = projections.all_states(session, PROJECTORS.get("escalation_plan"))
        duties = projections.all_states(session, PROJECTORS.get("duty"))
        types = projections.all_states(session, PROJECTORS.get("call_type"))
        lines = projections.all_states(session, PROJECTORS.get("line"))

    def type_code(p: EscalationPlan) -> str:
        return types[p.call_type_id].code if p.call_type_id in types else "?"

    def line_code(line_id: str | None) -> str:
        return lines[line_id].code if line_id in lines else ""

    return EscalationData(
        tuple(sorted(plans.items(), key=lambda it: (type_code(it[1]), line_code(it[1].line_id)))),
        tuple(sorted(duties.items(), key=lambda it: (line_code(it[1].line_id), it[1].shift, it[1].role))),
        types, lines)


def _existing(db: Database, projection: str, key: str) -> str | None:
    with db.reading() as session:
        states = projections.all_states(session, PROJECTORS.get(projection))
    return next((rid for rid, record in states.items() if record.key == key), None)


def _steps(values: Sequence[int], label: str) -> tuple[int, ...]:
    if len(values) > MAX_STEPS:
        raise BadInput(f"Line escalation: at most {MAX_STEPS} levels of {label}.")
    if any(not isinstance(v, int) or v < 1 for v in values):
        raise BadInput(f"Line escalation: the {label} must be whole numbers of 1 or more.")
    if list(values) != sorted(set(values)):
        raise BadInput(f"Line escalation: the {label} must grow from level to level, like 5, 15, 30.")
    return tuple(values)


def save_line_ladder(db: Database, *, actor: str | None, call_type_id: str, line_id: str,
                     minutes: Sequence[int], takts: Sequence[int] = (), notify: Sequence[str] = (),
                     active: bool = True) -> tuple[str, Changes]:
    """Give line `line_id` its own ladder for calls of `call_type_id` (replacing the type's there)."""
    data = escalation_data(db)
    if call_type_id not in data.call_types:
        raise NotFound(f"Andon call type {call_type_id} does not exist.")
    if line_id not in data.lines:
        raise NotFound(f"Line {line_id} does not exist.")
    minutes_t, takts_t = _steps(minutes, "minutes"), _steps(takts, "takts")
    if active and not (minutes_t or takts_t):
        raise BadInput("Line escalation: give at least one level (minutes after raising, like 5, 15, 30).")
    names = tuple(n.strip() for n in notify)
    if len(names) > MAX_STEPS or any(len(n) > 60 for n in names):
        raise BadInput(f"Line escalation: at most {MAX_STEPS} names of up to 60 letters, one per level.")
    key = plan_key(call_type_id, line_id)
    record = EscalationPlan(key, call_type_id, line_id, minutes_t, takts_t, names, active)
    return save(db, record, actor=actor, entity_id=_existing(db, "escalation_plan", key))


def save_duty(db: Database, *, actor: str | None, role: str, shift: str, person: str,
              line_id: str | None = None, active: bool = True) -> tuple[str, Changes]:
    """Say who holds `role` (e.g. "team leader") on the shift named `shift` (line `line_id`, or every line)."""
    role, shift, person = role.strip(), shift.strip(), person.strip()
    for value, label in ((role, "role"), (shift, "shift"), (person, "person")):
        if not value:
            raise BadInput(f"Duty: the {label} may not be empty.")
    if line_id is not None and line_id not in escalation_data(db).lines:
        raise NotFound(f"Line {line_id} does not exist.")
    key = duty_key(role, shift, line_id)
    record = Duty(key, role, shift, person, line_id, active)
    return save(db, record, actor=actor, entity_id=_existing(db, "duty", key))
