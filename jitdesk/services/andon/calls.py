"""Andon call use cases, each one transaction through the unit of work (`_act`): read the call, its type
and the actor at `now`, let the domain decide (`domain.andon.rules`), then refuse or append the event the
decision names (a `Step`) and render its words. A refusal raises `AndonRefused` (a KnownError whose
words are the rendered message, and whose `note` is the message itself).

`raise_call` answers a refused raise instead of raising: a second press of the same call is not a
fault, the screen shows the call that is already open (`RaiseOutcome.open_call_id`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from jitdesk.domain.andon.call import (
    CALL_ACKNOWLEDGED,
    CALL_CANCELLED,
    CALL_ESCALATED,
    CALL_PROJECTOR,
    CALL_RAISED,
    CALL_RESOLVED,
    CALL_SHELVED,
    Call,
)
from jitdesk.domain.andon.rules import (
    ACKNOWLEDGED,
    ALREADY_OPEN,
    CANCELLED,
    ESCALATED,
    NOT_RAISED,
    RAISED,
    RESOLVED,
    SHELVED,
    TYPE_UNKNOWN,
    decide_acknowledge,
    decide_cancel,
    decide_escalate,
    decide_raise,
    decide_resolve,
    decide_shelve,
)
from jitdesk.domain.auth import Role
from jitdesk.domain.errors import NotAllowed
from jitdesk.domain.fold import PROJECTORS
from jitdesk.domain.ids import uuid7
from jitdesk.domain.master import CallType
from jitdesk.domain.messages import Message, message
from jitdesk.services.andon.escalation import escalation_book
from jitdesk.services.changes import NO_CHANGES, Changes
from jitdesk.services.uow import Tx, transaction, wall_clock_ms
from jitdesk.services.words import words_in
from jitdesk.storage import andon_repo, identity, projections
from jitdesk.storage.database import STATION_ID, Database
from jitdesk.storage.schema import UserRow, table

log = logging.getLogger("jitdesk.andon")


USERS = table(UserRow)


class AndonRefused(NotAllowed):
    """The domain said no; `str()` is the plain words, `note` the message."""

    def __init__(self, words: str, note: Message) -> None:
        super().__init__(words)
        self.note = note


@dataclass(frozen=True)
class RaiseOutcome:
    call_id: str | None  # the new call (None when refused)
    note: Message
    words: str
    open_call_id: str | None = None  # refused because this call of the same type is open here
    changes: Changes = NO_CHANGES

    @property
    def ok(self) -> bool:
        return self.call_id is not None


@dataclass(frozen=True)
class CallOutcome:
    call_id: str
    note: Message
    words: str
    changes: Changes


def _call_type(tx: Tx, call_type_id: str) -> CallType | None:
    found = projections.load(tx.session, PROJECTORS.get("call_type"), call_type_id)
    return None if found is None else found[0]


def _call(tx: Tx, call_id: str) -> Call | None:
    found = projections.load(tx.session, CALL_PROJECTOR, call_id)
    return None if found is None else found[0]


def _user(tx: Tx, actor: str | None) -> tuple[Role | None, str]:
    """The actor's role and name (None, "" for nobody or an unknown or inactive user)."""
    if actor is None:
        return None, ""
    row = tx.session.execute(USERS.select().where(USERS.c.id == actor)).mappings().first()
    if row is None or not row["active"]:
        return None, ""
    return Role.parse(row["role"]), str(row["name"])


def _station_of(tx: Tx, station_id: str | None) -> str | None:
    return station_id if station_id is not None else identity.get_setting(tx.session, STATION_ID)


def raise_call(db: Database, call_type_id: str, station_id: str | None = None, *, source: str = "button",
               actor: str | None = None, note: str = "", loop_id: str | None = None,
               now_ms: int | None = None) -> RaiseOutcome:
    """Raise a call of `call_type_id` at `station_id` (default: this device's station). No sign-in needed."""
    now = wall_clock_ms() if now_ms is None else now_ms
    with transaction(db, now_ms=lambda: now) as tx:
        station = _station_of(tx, station_id)
        call_type = _call_type(tx, call_type_id)
        open_calls = andon_repo.open_calls_at(tx.session, station) if station else []
        refused = decide_raise(call_type, station, open_calls, call_type_id)
        words = words_in(tx.session, [station] if station else [])
        if refused is not None:
            open_id = refused.params["call_id"] if refused.code == ALREADY_OPEN else None
            return RaiseOutcome(None, refused, words.render(refused), str(open_id) if open_id else None)
        assert call_type is not None and station is not None
        call_id = uuid7(now)
        payload: dict[str, object] = {"station_id": station, "call_type_id": call_type_id, "source": source,
                                      "severity": call_type.severity, "stops_line": call_type.stops_line}
        if note:
            payload["note"] = note[:200]
        if loop_id is not None:
            payload["loop_id"] = loop_id
        tx.append(CALL_RAISED, call_id, payload, actor)
        done = message(RAISED, type=call_type.name, station=station)
    log.info("andon %s call %s raised at %s (%s)", call_type.code, call_id, station, source)
    return RaiseOutcome(call_id, done, words.render(done), changes=tx.changes)


def _refuse(tx: Tx, note: Message) -> AndonRefused:
    return AndonRefused(words_in(tx.session).render(note), note)


@dataclass(frozen=True)
class Seen:
    """What a call use case reads before the domain decides: the call, its type, the actor, the time."""

    tx: Tx
    call: Call | None
    call_type: CallType | None
    role: Role | None
    name: str  # the actor's name ("" for nobody)
    now_ms: int

    @property
    def type_name(self) -> str:
        return self.call_type.name if self.call_type is not None else "?"

    @property
    def station(self) -> str:
        return self.call.station_id if self.call is not None else ""


@dataclass(frozen=True)
class Step:
    """What the domain allowed: the event to append and the message for the screen that asked."""

    kind: str
    payload: dict[str, object]
    done: Message


def _act(db: Database, call_id: str, actor: str | None, now_ms: int | None,
         decide: Callable[[Seen], Message | Step]) -> CallOutcome:
    """One call use case: in one transaction at `now`, read the call, its type and the actor, ask
    `decide` (the domain's rule), then refuse with its message or append its event."""
    now = wall_clock_ms() if now_ms is None else now_ms
    with transaction(db, now_ms=lambda: now) as tx:
        call = _call(tx, call_id)
        call_type = _call_type(tx, call.call_type_id) if call is not None else None
        role, name = _user(tx, actor)
        seen = Seen(tx, call, call_type, role, name, now)
        decided = decide(seen)
        if isinstance(decided, Message):
            raise _refuse(tx, decided)
        tx.append(decided.kind, call_id, decided.payload, actor)
        words = words_in(tx.session, [seen.station]).render(decided.done)
    return CallOutcome(call_id, decided.done, words, tx.changes)


def acknowledge(db: Database, call_id: str, *, actor: str | None, note: str = "",
                now_ms: int | None = None) -> CallOutcome:
    """A responder claims the call ("Ana is on the way"): needs the type's responding role or above."""

    def decide(s: Seen) -> Message | Step:
        return decide_acknowledge(s.call, s.call_type, s.role) or Step(
            CALL_ACKNOWLEDGED, {"by_name": s.name, **({"note": note[:200]} if note else {})},
            message(ACKNOWLEDGED, type=s.type_name, station=s.station, by=s.name))

    return _act(db, call_id, actor, now_ms, decide)


def resolve(db: Database, call_id: str, reason: str, text: str = "", *, actor: str | None,
            now_ms: int | None = None) -> CallOutcome:
    """Close the call with a reason from the list and free text: needs the responding role or above."""

    def decide(s: Seen) -> Message | Step:
        return decide_resolve(s.call, s.call_type, s.role, reason) or Step(
            CALL_RESOLVED, {"reason": reason, "text": text[:200], "by_name": s.name},
            message(RESOLVED, type=s.type_name, station=s.station, reason=reason))

    return _act(db, call_id, actor, now_ms, decide)


def resolve_by_system(tx: Tx, call: Call, reason: str, text: str) -> None:
    """Close a call the system raised (a kanban material call when a full card arrives), in the caller's
    transaction; no role check: the fact that closes it is the event the caller is writing."""
    tx.append(CALL_RESOLVED, call.call_id, {"reason": reason, "text": text[:200], "by_name": ""}, None)


def cancel(db: Database, call_id: str, text: str = "", *, actor: str | None, station_id: str | None = None,
           now_ms: int | None = None) -> CallOutcome:
    """Take a call back: at the station that raised it while unclaimed, or by a responder."""

    def decide(s: Seen) -> Message | Step:
        return decide_cancel(s.call, s.call_type, s.role, _station_of(s.tx, station_id)) or Step(
            CALL_CANCELLED, {"text": text[:200], "by_name": s.name},
            message(CANCELLED, type=s.type_name, station=s.station))

    return _act(db, call_id, actor, now_ms, decide)


def escalate(db: Database, call_id: str, *, actor: str | None = None, takt_ms: int | None = None,
             now_ms: int | None = None) -> CallOutcome:
    """Lift the call one level now (the caller is still waiting); no sign-in needed. The level now
    comes from the same ladders, takts and duty roster the boards read (`takt_ms`: the fallback
    takt for a line with no plan, as `[andon] takt_seconds` gives it)."""

    def decide(s: Seen) -> Message | Step:
        if s.call is None:
            return decide_escalate(None, 0, 0) or message(NOT_RAISED)
        book = escalation_book(s.tx.session, default_takt_ms=takt_ms, raised_ms=[s.call.raised_ms])
        now = book.of(s.call, s.now_ms)
        return decide_escalate(s.call, now.level, now.levels) or Step(
            CALL_ESCALATED, {"level": now.level + 1, "by_name": s.name},
            message(ESCALATED, type=s.type_name, station=s.station, level=now.level + 1))

    return _act(db, call_id, actor, now_ms, decide)


def shelve(db: Database, call_id: str, minutes: int, text: str = "", *, actor: str | None,
           now_ms: int | None = None) -> CallOutcome:
    """Hold a nuisance call's escalation (and its sound) for `minutes`: supervisors and above."""

    def decide(s: Seen) -> Message | Step:
        until = s.now_ms + minutes * 60_000
        return decide_shelve(s.call, s.role, minutes) or Step(
            CALL_SHELVED, {"until_ms": until, "by_name": s.name, "text": text[:200]},
            message(SHELVED, type=s.type_name, station=s.station, until_ms=until))

    return _act(db, call_id, actor, now_ms, decide)


def raise_by_code(db: Database, type_code: str, station_id: str | None = None, *, source: str = "scan",
                  now_ms: int | None = None) -> RaiseOutcome:
    """Raise a call named by its type code (a scanned call card, a serial andon button)."""
    with db.reading() as session:
        types = projections.all_states(session, PROJECTORS.get("call_type"))
        words = words_in(session)
    found = [cid for cid, t in sorted(types.items()) if t.code.upper() == type_code.upper()]
    active = [cid for cid in found if types[cid].active]
    if not found:
        note = message(TYPE_UNKNOWN)
        return RaiseOutcome(None, note, words.render(note))
    return raise_call(db, (active or found)[0], station_id, source=source, now_ms=now_ms)
