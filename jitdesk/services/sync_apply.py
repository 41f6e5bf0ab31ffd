"""Station-side sync use cases: read the outbox, record push answers, apply pulled pages.

Each function is one transaction on the station database and runs on the DB worker thread (the
async sync client awaits them). A pulled page and the cursor after it are stored in the same
transaction, so a crash can only replay a page (idempotent), never skip one. Pulled events go
through the unit of work's `ingest`, so an event that sorts before what its entity has folded
makes that entity re-fold; events of kinds (or schema versions) this station does not know are
kept in the log unfolded until the station is upgraded.

Nothing pulled is skipped: an item that is not a readable envelope (or whose device number clashes
with another event here) goes to the unreadable quarantine with its text and the reason, in the same
transaction as the page's good events and the cursor that passes it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, bindparam, func, select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from jitdesk.domain.errors import KnownError
from jitdesk.domain.events import Event
from jitdesk.services import catchup
from jitdesk.services.changes import Changes
from jitdesk.services.master import SYNC_ROLE_KEY
from jitdesk.services.uow import iso_utc, transaction, wall_clock_ms
from jitdesk.storage import eventlog_bulk, identity
from jitdesk.storage.database import PLANT_ID, UNASSIGNED_PLANT, Database
from jitdesk.storage.schema import PENDING, QUARANTINED, SYNCED, EventRow, table
from jitdesk.storage.sync_state import UPSTREAM, QuarantineRow, SyncPeer, UnreadableRow

EVENTS = table(EventRow)
PEERS = table(SyncPeer)
QUARANTINE = table(QuarantineRow)
UNREADABLE = table(UnreadableRow)
SYNC_PROJECTION = "sync"  # Changes name for sync-status-only changes
URL_KEY, TOKEN_KEY = "sync_url", "sync_token"
ROLE_KEY = SYNC_ROLE_KEY  # the role of this station's sync token, from the server's hello


@dataclass(frozen=True)
class Unreadable:
    """A pulled item this station cannot store as an event: its text as sent, and why."""

    raw: str
    reason: str
    event_id: str | None = None  # only where the item had a usable one
    server_seq: int | None = None


@dataclass(frozen=True)
class PeerState:
    server_id: str | None
    protocol: int | None
    cursor: int
    last_success: str | None
    skew_ms: int | None
    message: str | None


def settings(db: Database) -> tuple[str | None, str | None]:
    """The station's server URL and token (station settings, kept in the database)."""
    with db.reading() as session:
        return identity.get_setting(session, URL_KEY), identity.get_setting(session, TOKEN_KEY)


def configure(db: Database, url: str | None, token: str | None) -> None:
    with db.writing() as session:
        if url is not None:
            identity.set_setting(session, URL_KEY, url)
        if token is not None:
            identity.set_setting(session, TOKEN_KEY, token)


def record_role(db: Database, role: str) -> None:
    """Remember the token's role, so master edits the server would refuse are refused here first."""
    with db.writing() as session:
        if identity.get_setting(session, ROLE_KEY) != role:
            identity.set_setting(session, ROLE_KEY, role)


def join_plant(db: Database, plant_id: str) -> int:
    """Adopt the token's plant on first contact; a station of another plant may not sync here.

    Events written before the station joined a plant (plant 'unassigned') have never left it, so
    they take the plant now, before their first push: every copy then holds the same envelope.
    Returns how many such events were assigned."""
    with db.writing() as session:
        mine = identity.get_setting(session, PLANT_ID)
        if mine is None:
            identity.set_setting(session, PLANT_ID, plant_id)
            return int(cast(CursorResult[Any], session.execute(
                update(EVENTS).where(EVENTS.c.plant_id == UNASSIGNED_PLANT, EVENTS.c.sync_state != SYNCED)
                .values(plant_id=plant_id)
            )).rowcount)
        elif mine != plant_id:
            raise KnownError(f"this station belongs to plant '{mine}' but its sync token is for plant "
                             f"'{plant_id}': ask the administrator for the right token")
        return 0


def outbox(db: Database, limit: int, max_bytes: int, after_id: int = 0) -> tuple[bytes, list[str], int]:
    """The next push body (JSON, at most `limit` events and about `max_bytes`), its event ids, and
    the last row id in it (pass it as `after_id` to read the batch after one still in flight)."""
    with db.reading() as session:
        rows = session.execute(
            select(EVENTS.c.event_id, EVENTS.c.plant_id, EVENTS.c.device_id, EVENTS.c.device_seq,
                   EVENTS.c.hlc, EVENTS.c.wall_time, EVENTS.c.kind, EVENTS.c.entity_id, EVENTS.c.actor,
                   EVENTS.c.payload, EVENTS.c.schema_version, EVENTS.c.id)
            .where(EVENTS.c.sync_state == PENDING, EVENTS.c.id > after_id).order_by(EVENTS.c.id).limit(limit)
        ).all()
    last_id = after_id
    parts: list[str] = []
    ids: list[str] = []
    size = 16
    for r in rows:
        # The payload is stored as canonical JSON text: splice it in rather than parse and re-dump.
        head = json.dumps({"event_id": r[0], "plant_id": r[1], "device_id": r[2], "device_seq": r[3],
                           "hlc": r[4], "wall_time": r[5], "kind": r[6], "entity_id": r[7], "actor": r[8],
                           "schema_version": r[10]}, ensure_ascii=False, separators=(",", ":"))
        item = head[:-1] + ',"payload":' + r[9] + "}"
        if ids and size + len(item) + 1 > max_bytes:
            break
        parts.append(item)
        ids.append(r[0])
        last_id = r[11]
        size += len(item.encode()) + 1
    return ('{"events":[' + ",".join(parts) + "]}").encode(), ids, last_id


def record_push(db: Database, sent: Sequence[str], results: Sequence[dict[str, Any]]) -> Changes:
    """Mark events the server holds as SYNCED (with its server_seq) and quarantine refused ones."""
    synced: list[str] = []
    refused: list[tuple[str, str]] = []
    for event_id, result in zip(sent, results, strict=False):
        if not isinstance(result, dict):
            continue
        status = result.get("status")
        if status in ("accepted", "duplicate"):
            synced.append(event_id)
        elif status == "rejected":
            refused.append((event_id, str(result.get("reason") or "refused by the server")[:1000]))
        elif status == "conflict":  # the id is taken by other content: this event is not on the server
            refused.append((event_id, "conflict: " + str(result.get("reason") or "the id is already used")[:990]))
    stamp = iso_utc(wall_clock_ms())
    with transaction(db) as tx:
        if synced:
            # One statement over a JSON array of ids (not hundreds of bound parameters). server_seq
            # is filled in when the event comes back in a pull.
            tx.session.execute(
                update(EVENTS).where(EVENTS.c.event_id.in_(
                    select(text("value")).select_from(func.json_each(bindparam("ids"))).scalar_subquery()
                )).values(sync_state=SYNCED),
                {"ids": json.dumps(synced)},
            )
        if refused:
            tx.session.execute(
                update(EVENTS).where(EVENTS.c.event_id == bindparam("eid")).values(sync_state=QUARANTINED),
                [{"eid": e} for e, _ in refused],
            )
            for event_id, reason in refused:
                stmt = sqlite_insert(QUARANTINE).values(event_id=event_id, reason=reason, at=stamp)
                tx.session.execute(stmt.on_conflict_do_update(
                    index_elements=[QUARANTINE.c.event_id], set_={"reason": reason, "at": stamp}))
            tx.touch(SYNC_PROJECTION, "quarantine")
    return tx.changes


def apply_page(db: Database, page: Sequence[tuple[Event, bool]], cursor: int, server_id: str,
               unreadable: Sequence[Unreadable] = (), *, fold: bool = True) -> Changes:
    """Store a pulled page (event, foldable), quarantine its unreadable items, and move the cursor
    past all of them, in one transaction.

    `fold=False` (a long catch-up) stores the events without folding them and notes, in the same
    transaction, that the log holds unfolded events after the last row before them
    (`catchup.UNFOLDED_AFTER`); `catchup.finish` folds them all at once later. A crash in between
    loses nothing: the note stays until that fold has committed."""
    broken = list(unreadable)
    with transaction(db) as tx:
        events = [event for event, _ in page]
        if fold:  # the whole page in one bulk insert and one fold pass (see Tx.ingest_many)
            stored = tx.ingest_many(events, [foldable for _, foldable in page])
        else:
            catchup.note_unfolded(tx.session)
            stored = tx.store_many(events)
        missed = [event for event, new in zip(events, stored, strict=True) if not new]
        here = eventlog_bulk.present(tx.session, [e.event_id for e in missed]) if missed else set()
        for event in missed:
            if event.event_id not in here:  # not a duplicate: say why it was not stored
                clash = _clash(tx.session, event)
                if clash is not None:
                    broken.append(Unreadable(_envelope_text(event), clash, event.event_id, event.server_seq))
        if broken:
            _quarantine_unreadable(tx.session, broken)
            tx.touch(SYNC_PROJECTION, "unreadable")
        _save_peer(tx.session, cursor=cursor, server_id=server_id)
    return tx.changes


def _clash(session: Any, event: Event) -> str | None:
    """Why a pulled event that was not inserted is not simply a duplicate, or None if it is one."""
    if session.execute(select(EVENTS.c.id).where(EVENTS.c.event_id == event.event_id)).first() is not None:
        return None
    other = session.execute(select(EVENTS.c.event_id).where(
        EVENTS.c.device_id == event.device_id, EVENTS.c.device_seq == event.device_seq)).scalar_one_or_none()
    return (f"device {event.device_id} number {event.device_seq} is already used here by event "
            f"{other or '(unknown)'}; two different events cannot share it")


def _envelope_text(event: Event) -> str:
    fields = event._asdict()
    return json.dumps(fields, ensure_ascii=True, separators=(",", ":"), default=str)


def _quarantine_unreadable(session: Any, items: Sequence[Unreadable]) -> None:
    stamp = iso_utc(wall_clock_ms())
    for item in items:
        digest = hashlib.sha256(item.raw.encode("utf-8", "surrogatepass")).hexdigest()
        values = {"peer": UPSTREAM, "digest": digest, "event_id": item.event_id, "server_seq": item.server_seq,
                  "raw": item.raw, "reason": item.reason[:1000], "at": stamp}
        stmt = sqlite_insert(UNREADABLE).values(**values)
        # Pulled again (a resync): one row, with the newest reason.
        session.execute(stmt.on_conflict_do_update(
            index_elements=[UNREADABLE.c.peer, UNREADABLE.c.digest],
            set_={"reason": values["reason"], "server_seq": item.server_seq}))


HELD_BY_SERVER = "held by the server: "  # the reason of a hold kept by record_holds


def record_holds(db: Database, items: Sequence[Unreadable], key: str, cursor: int) -> Changes:
    """Keep holds the server decided after this station pulled the events (shown in the Sync view
    like an unreadable item, the event itself staying in the log and projections) and store the
    hold cursor `key`, in one transaction; applying one twice keeps one row. A hold on an event this
    station never pulled is not kept: if it comes, the page serves it as skipped with its reason."""
    from jitdesk.storage.identity import set_setting

    with transaction(db) as tx:
        held = eventlog_bulk.present(tx.session, [i.event_id for i in items if i.event_id]) if items else set()
        items = [i for i in items if i.event_id in held]
        if items:
            _quarantine_unreadable(tx.session, items)
            tx.touch(SYNC_PROJECTION, "unreadable")
        set_setting(tx.session, key, str(cursor))
    return tx.changes


def unreadable_count(db: Database) -> int:
    """How many pulled items this station could not read (see the Sync view)."""
    with db.reading() as session:
        return int(session.execute(select(func.count()).select_from(UNREADABLE)).scalar_one())


def peer(db: Database) -> PeerState:
    with db.reading() as session:
        row = session.execute(select(PEERS).where(PEERS.c.name == UPSTREAM)).first()
    if row is None:
        return PeerState(None, None, 0, None, None, None)
    return PeerState(row.server_id, row.protocol, row.cursor, row.last_success, row.skew_ms, row.message)


def record_contact(db: Database, *, success: bool, skew_ms: int | None = None,
                   message: str | None = None, protocol: int | None = None) -> None:
    values: dict[str, Any] = {"message": message}
    if success:
        values["last_success"] = iso_utc(wall_clock_ms())
    if skew_ms is not None:
        values["skew_ms"] = skew_ms
    if protocol is not None:
        values["protocol"] = protocol
    with db.writing() as session:
        _save_peer(session, **values)


def resync(db: Database, server_id: str | None, protocol: int | None) -> int:
    """Start pulling from 0 again, keeping the outbox. If the server is a new one (its database was
    replaced or restored), this device's events it may have lost go up again: the server answers
    `duplicate` for those it holds. Returns how many events were queued again."""
    with db.writing() as session:
        old = session.execute(select(PEERS.c.server_id).where(PEERS.c.name == UPSTREAM)).scalar_one_or_none()
        requeued = 0
        if old is not None:
            requeued = cast(CursorResult[Any], session.execute(
                update(EVENTS).where(EVENTS.c.device_id == db.device_id, EVENTS.c.sync_state == SYNCED)
                .values(sync_state=PENDING, server_seq=None)
            )).rowcount
        _save_peer(session, cursor=0, server_id=server_id, protocol=protocol)
        return int(requeued)


def counts(db: Database) -> tuple[int, int]:
    """(events waiting to go up, quarantined events)."""
    with db.reading() as session:
        found = [int(session.execute(select(func.count()).select_from(EVENTS)
                                     .where(EVENTS.c.sync_state == state)).scalar_one())
                 for state in (PENDING, QUARANTINED)]
    return found[0], found[1]


def status_counts(db: Database) -> tuple[int, int, int]:
    """(events waiting to go up, refused events, unreadable pulled items), in one read."""
    with db.reading() as session:
        found = [int(session.execute(select(func.count()).select_from(EVENTS)
                                     .where(EVENTS.c.sync_state == state)).scalar_one())
                 for state in (PENDING, QUARANTINED)]
        found.append(int(session.execute(select(func.count()).select_from(UNREADABLE)).scalar_one()))
    return found[0], found[1], found[2]


def _save_peer(session: Any, **values: Any) -> None:
    stmt = sqlite_insert(PEERS).values(name=UPSTREAM, **values)
    if values:
        stmt = stmt.on_conflict_do_update(index_elements=[PEERS.c.name], set_=values)
    else:
        stmt = stmt.on_conflict_do_nothing()
    session.execute(stmt)
