"""Archive a plant's old events, once every known device has pulled past them (DESIGN section 4).

Every pull records the cursor its token asked for (`note_cursor`, at most every `CURSOR_EVERY_S`
per token and process, so thousands of long-polls do not each write; a cursor recorded late is only
lower, which archives less). The known devices of a plant are its live station and hub tokens; a
token that never pulled stands at 0. `plan` says what an archive would move: by default the events
every known device has passed, or with `before` everything below that seq, naming the devices still
behind it (they resync from a snapshot). The plant's newest event always stays, so cursors at the
head stay valid. `run` moves the events into `archived_events` (kept, never deleted) and raises the
plant's horizon in one transaction; a pull whose cursor is below the horizon is told to resync from
a snapshot, which must exist at or above the horizon (`jitdesk server archive` makes one first).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field

from sqlalchemy import delete, func, insert, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from jitdesk.domain.errors import BadInput
from jitdesk.sync.server.models import events, tokens
from jitdesk.sync.server.snapshot_models import archive_horizons, archived_events, device_cursors, snapshots
from jitdesk.sync.server.store import Principal, ServerStore, now_iso

# How often a token's cursor is written at most (tests set the variable to 0 to record every pull).
log = logging.getLogger("jitdesk.sync.server")
CURSOR_EVERY_S = float(os.environ.get("JITDESK_CURSOR_RECORD_S", "5"))
_noted: dict[tuple[int, int], tuple[int, float]] = {}  # (store id, token id) -> (cursor, when written)
_noted_lock = threading.Lock()


def note_cursor(store: ServerStore, who: Principal, cursor: int) -> None:
    """Record that `who` asked for events after `cursor` (skipped when written for it just now)."""
    key = (id(store), who.token_id)
    now = time.monotonic()
    with _noted_lock:
        last = _noted.get(key)
        if last is not None and (last[0] == cursor or now - last[1] < CURSOR_EVERY_S):
            return
        _noted[key] = (cursor, now)
    values = {"plant_id": who.plant_id, "device": who.device, "cursor": cursor, "at": now_iso()}
    upsert = (sqlite_insert if store.is_sqlite else pg_insert)(device_cursors).values(token_id=who.token_id, **values)
    try:
        # Not the seq lock: this is bookkeeping, not an event. Several processes may write one token's row.
        with store.engine.begin() as conn:
            conn.execute(upsert.on_conflict_do_update(index_elements=[device_cursors.c.token_id], set_=values))
    except SQLAlchemyError as error:  # never fails the pull: a cursor recorded late only archives less
        log.warning("could not record the pull cursor of plant %s device %s: %s", who.plant_id, who.device,
                    getattr(error, "orig", error))


def horizon(store: ServerStore, plant_id: str) -> int:
    """The highest server_seq archived for the plant (0: nothing archived)."""
    with store.reading() as conn:
        found = conn.execute(select(archive_horizons.c.horizon)
                             .where(archive_horizons.c.plant_id == plant_id)).scalar_one_or_none()
    return int(found or 0)


@dataclass(frozen=True)
class Plan:
    plant_id: str
    horizon: int  # archived so far
    target: int  # archive up to and including this seq
    events: int  # how many events that moves
    snapshot_seq: int | None  # the newest snapshot of the plant
    cursors: list[tuple[str, int]] = field(default_factory=list)  # (device, cursor) of every known device
    behind: list[tuple[str, int]] = field(default_factory=list)  # devices that will resync from a snapshot
    hubs_behind: list[tuple[str, int]] = field(default_factory=list)  # hubs (they cannot: the archive waits)

    def words(self) -> str:
        lines = [f"plant {self.plant_id}: archived up to {self.horizon} so far; newest snapshot at "
                 f"{self.snapshot_seq if self.snapshot_seq is not None else '(none)'}"]
        lines += [f"  device {d}: pulled up to {c}" for d, c in self.cursors] or ["  no known devices"]
        if self.events == 0:
            lines.append("nothing to archive.")
        else:
            lines.append(f"would move {self.events} event(s) with server_seq {self.horizon + 1}..{self.target} "
                         "to the archive (kept, not deleted)")
        lines += [f"  device {d} (at {c}) has not passed them: it will resync from a snapshot"
                  for d, c in self.behind]
        lines += [f"  hub {d} (at {c}) has not passed them, and a hub cannot start from a snapshot: archive "
                  "no further than it has pulled" for d, c in self.hubs_behind]
        return "\n".join(lines)


def plan(store: ServerStore, plant_id: str, before: int | None = None) -> Plan:
    with store.reading() as conn:
        head = int(conn.execute(select(func.coalesce(func.max(events.c.server_seq), 0))
                                .where(events.c.plant_id == plant_id)).scalar_one())
        known = conn.execute(
            select(tokens.c.device, func.coalesce(device_cursors.c.cursor, literal(0)), tokens.c.role)
            .select_from(tokens.outerjoin(device_cursors, device_cursors.c.token_id == tokens.c.id))
            .where(tokens.c.plant_id == plant_id, tokens.c.revoked_at.is_(None), tokens.c.role != "admin")
            .order_by(tokens.c.device)).all()
        snapshot = conn.execute(select(func.max(snapshots.c.seq)).where(snapshots.c.plant_id == plant_id)).scalar()
    done = horizon(store, plant_id)
    cursors = [(str(d), int(c)) for d, c, _ in known]
    hubs = {str(d) for d, _, role in known if role == "hub"}
    if before is not None:
        if before < 1:
            raise BadInput("--before must be a server_seq of 1 or more")
        target = before - 1
    else:
        target = min((c for _, c in cursors), default=head)
    target = max(done, min(target, head - 1))  # the newest event always stays
    with store.reading() as conn:
        count = int(conn.execute(select(func.count()).select_from(events).where(
            events.c.plant_id == plant_id, events.c.server_seq > done, events.c.server_seq <= target)).scalar_one())
    behind = [(d, c) for d, c in cursors if c < target] if count else []
    return Plan(plant_id, done, target, count, None if snapshot is None else int(snapshot), cursors,
                [b for b in behind if b[0] not in hubs], [b for b in behind if b[0] in hubs])


def run(store: ServerStore, chosen: Plan) -> int:
    """Move the planned events to the archive and raise the horizon; returns how many moved."""
    if chosen.hubs_behind:
        hub, at = chosen.hubs_behind[0]
        raise BadInput(f"hub {hub} has pulled only up to {at}: archiving up to {chosen.target} would cut it off "
                       f"(a hub cannot start from a snapshot); use --before {at + 1} or less")
    if chosen.events and (chosen.snapshot_seq is None or chosen.snapshot_seq < chosen.target):
        raise BadInput(f"plant {chosen.plant_id} has no snapshot at or after {chosen.target}: make one first "
                       "(jitdesk server snapshot make), or devices behind could never catch up")
    where = (events.c.plant_id == chosen.plant_id, events.c.server_seq > chosen.horizon,
             events.c.server_seq <= chosen.target)
    cols = [c.name for c in events.c]
    stamp = now_iso()
    with store.writing() as conn:
        conn.execute(insert(archived_events).from_select(
            [*cols, "archived_at"], select(*[events.c[c] for c in cols], literal(stamp)).where(*where)))
        moved = conn.execute(delete(events).where(*where)).rowcount  # an INSERT..SELECT may not count its rows
        values = {"horizon": chosen.target, "at": stamp}
        if not conn.execute(update(archive_horizons).where(archive_horizons.c.plant_id == chosen.plant_id)
                            .values(**values)).rowcount:
            conn.execute(insert(archive_horizons).values(plant_id=chosen.plant_id, **values))
    return int(moved)
