"""Install a server snapshot on a station: its projections become the station's, its seq the cursor.

Everything happens in one write transaction (a kill -9 midway leaves the station as it was): the
snapshot is stored as the station's base (`snapshot_base` table and setting), the projections are
made again from it by the ordinary rebuild, which folds on top the snapshot's tail (its newest events,
which travel as events) and the station's own events that the snapshot does not cover (its unsynced
outbox, kept and pushed as usual), and the pull cursor is set
to the snapshot's seq, so pulling goes on from there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from jitdesk.domain.fold import PROJECTORS
from jitdesk.services import snapshot_base
from jitdesk.services.changes import Changes
from jitdesk.services.rebuild import FOLDED_WITH, rebuild_in
from jitdesk.services.snapshot_base import BASE, ROWS, SNAPSHOT_BASE, Coverage
from jitdesk.services.snapshot_pack import SnapshotRefused, Unpacked
from jitdesk.services.uow import iso_utc, wall_clock_ms
from jitdesk.storage import eventlog_bulk, identity
from jitdesk.storage.database import PLANT_ID, Database
from jitdesk.storage.projections import dump_json
from jitdesk.storage.schema import PENDING, SYNCED, EventRow, table
from jitdesk.storage.sync_state import UPSTREAM, SyncPeer

EVENTS = table(EventRow)
PEERS = table(SyncPeer)
THRESHOLD_KEY = "sync_snapshot_backlog"  # local setting: start from a snapshot above this many events
DEFAULT_THRESHOLD = 20_000


@dataclass(frozen=True)
class Installed:
    seq: int
    entities: int
    folded_on_top: int  # events the snapshot did not fold in (its tail, this station's own), folded on it

    @property
    def changes(self) -> Changes:
        """Every projection changed (for the views to reload)."""
        names = [p.name for p in PROJECTORS.all()] + [d.name for d in PROJECTORS.derived()]
        return Changes(frozenset((name, "*") for name in names))


def note(db: Database) -> str | None:
    """Plain words when this station's log starts at a snapshot (see snapshot_base.note), else None."""
    with db.reading() as session:
        return snapshot_base.note(session)


def threshold(db: Database) -> int:
    found = db.setting(THRESHOLD_KEY)
    return int(found) if found and found.isdigit() else DEFAULT_THRESHOLD


def is_fresh(db: Database) -> bool:
    """True when this station has pulled nothing yet (it may hold events of its own)."""
    with db.reading() as session:
        cursor = session.execute(select(PEERS.c.cursor).where(PEERS.c.name == UPSTREAM)).scalar_one_or_none()
        pulled = session.execute(select(EVENTS.c.id).where(EVENTS.c.server_seq.is_not(None)).limit(1)).first()
        return not cursor and pulled is None


def install(db: Database, snapshot: Unpacked, server_id: str) -> Installed:
    header = snapshot.header
    stamp = iso_utc(wall_clock_ms())
    with db.writing() as session:
        mine = identity.get_setting(session, PLANT_ID)
        if mine is not None and mine != header["plant_id"]:
            raise SnapshotRefused(f"the snapshot is of plant '{header['plant_id']}', this station belongs to '{mine}'")
        session.execute(delete(BASE))
        session.execute(delete(ROWS))
        session.execute(insert(BASE).values(
            id=1, seq=header["seq"], server_id=server_id, sha256=snapshot.sha256,
            header=json.dumps(header, separators=(",", ":")), installed_at=stamp))
        for name, rows in snapshot.rows.items():
            for start in range(0, len(rows), 5_000):
                session.execute(insert(ROWS), [{"projector": name, "entity_id": r["id"], "row": dump_json(r)}
                                               for r in rows[start:start + 5_000]])
        identity.set_setting(session, SNAPSHOT_BASE, json.dumps(
            {"seq": header["seq"], "sha256": snapshot.sha256, "server_id": server_id, "installed_at": stamp}))
        eventlog_bulk.insert_foreign_many(session, snapshot.tail)  # folded below, with the events after
        _mark_held(session, db.device_id, Coverage(header["covered"]))
        report = rebuild_in(session)
        identity.set_setting(session, FOLDED_WITH, json.dumps(PROJECTORS.fingerprint(), separators=(",", ":")))
        values = {"cursor": header["seq"], "server_id": server_id}
        session.execute(sqlite_insert(PEERS).values(name=UPSTREAM, **values)
                        .on_conflict_do_update(index_elements=[PEERS.c.name], set_=values))
        # The local clock has now seen every event of the snapshot (as if they had been pulled).
        _plant, last_seq, hlc, _top = identity.local_state(session, db.device_id)
        identity.store_device_state(session, db.device_id, last_seq, max(hlc, int(header.get("max_hlc") or 0)))
    return Installed(header["seq"], sum(len(rows) for rows in snapshot.rows.values()), report.events)


def _mark_held(session: Session, device_id: str, coverage: Coverage) -> None:
    """This station's waiting events that the snapshot holds are on the server already (a resync
    queued them again): they are not sent again, as the server may have archived them away."""
    rows = session.execute(select(EVENTS.c.id, EVENTS.c.device_seq).where(
        EVENTS.c.device_id == device_id, EVENTS.c.sync_state == PENDING)).all()
    held = [{"rid": r.id} for r in rows if coverage.holds(device_id, r.device_seq)]
    if held:
        session.execute(update(EVENTS).where(EVENTS.c.id == bindparam("rid")).values(sync_state=SYNCED), held)
