"""The quarantine: events the server refused, with its reasons. They stay in the log (never dropped)
and never block the outbox; an admin can send them again once the cause is fixed (e.g. a token
with the right role).

Also what a pull brought that this station could not read as an event (`unreadable`): kept with its
text and the reason, so nothing the server sent is lost unseen."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select, update

from jitdesk.services.changes import Changes
from jitdesk.services.uow import transaction
from jitdesk.storage.database import Database
from jitdesk.storage.schema import PENDING, QUARANTINED, EventRow, table
from jitdesk.storage.sync_state import QuarantineRow, UnreadableRow

EVENTS = table(EventRow)
QUARANTINE = table(QuarantineRow)
UNREADABLE = table(UnreadableRow)


@dataclass(frozen=True)
class QuarantinedEvent:
    event_id: str
    kind: str
    entity_id: str
    wall_time: str
    actor: str | None
    reason: str
    refused_at: str


def quarantined(db: Database, limit: int = 1000) -> list[QuarantinedEvent]:
    """Refused events, newest refusal first."""
    with db.reading() as session:
        rows = session.execute(
            select(EVENTS.c.event_id, EVENTS.c.kind, EVENTS.c.entity_id, EVENTS.c.wall_time, EVENTS.c.actor,
                   QUARANTINE.c.reason, QUARANTINE.c.at)
            .join(QUARANTINE, QUARANTINE.c.event_id == EVENTS.c.event_id)
            .where(EVENTS.c.sync_state == QUARANTINED)
            .order_by(QUARANTINE.c.at.desc(), EVENTS.c.id.desc()).limit(limit)
        ).all()
    return [QuarantinedEvent(*r) for r in rows]


@dataclass(frozen=True)
class UnreadableItem:
    """A pulled item this station could not read: when, why, and its text as the server sent it."""

    received_at: str
    event_id: str | None
    server_seq: int | None
    reason: str
    raw: str


def unreadable(db: Database, limit: int = 1000) -> list[UnreadableItem]:
    """Pulled items that were not events this station can read, newest first."""
    with db.reading() as session:
        rows = session.execute(
            select(UNREADABLE.c.at, UNREADABLE.c.event_id, UNREADABLE.c.server_seq, UNREADABLE.c.reason,
                   UNREADABLE.c.raw)
            .order_by(UNREADABLE.c.at.desc(), UNREADABLE.c.id.desc()).limit(limit)
        ).all()
    return [UnreadableItem(*r) for r in rows]


def retry(db: Database, event_ids: list[str] | None = None) -> Changes:
    """Put quarantined events (all, or the given ones) back in the outbox."""
    with transaction(db) as tx:
        cond = EVENTS.c.sync_state == QUARANTINED
        qcond = QUARANTINE.c.event_id.isnot(None)
        if event_ids is not None:
            cond = cond & EVENTS.c.event_id.in_(event_ids)
            qcond = QUARANTINE.c.event_id.in_(event_ids)
        tx.session.execute(update(EVENTS).where(cond).values(sync_state=PENDING))
        tx.session.execute(delete(QUARANTINE).where(qcond))
        tx.touch("sync", "quarantine")
    return tx.changes
