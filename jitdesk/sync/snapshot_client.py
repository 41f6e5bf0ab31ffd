"""Start a station from the server's snapshot instead of replaying every event (DESIGN section 4).

Two cases: a fresh station (nothing pulled yet) whose plant has a backlog above the threshold
setting asks for the newest snapshot, and falls back to replaying when there is none or it does not
fit; a station told its cursor lies below the server's archive horizon must start from one (the
events it lacks are no longer served), keeping its own unsynced events, which the install folds on
top and the pusher sends as usual. The download is checked (hash, plant, schema revision, fold
fingerprint) before anything is installed; a refusal is logged in plain words.
"""

from __future__ import annotations

import logging
from typing import Any

from jitdesk.domain.errors import KnownError
from jitdesk.services import snapshot_install
from jitdesk.services.snapshot_pack import SnapshotRefused, unpack
from jitdesk.services.worker import DbWorker
from jitdesk.storage.database import Database
from jitdesk.sync.remote import Refused, Remote, Unreachable

log = logging.getLogger("jitdesk.sync")


async def fetch(remote: Remote) -> tuple[dict[str, Any], bytes] | None:
    """The newest snapshot's meta and body, or None when the server has none."""
    try:
        response = await remote._request("GET", "/v1/snapshot")
    except Refused as refused:
        if refused.status == 404:
            return None
        raise
    meta = response.json()
    seq = meta.get("seq") if isinstance(meta, dict) else None
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise Unreachable(f"{remote.url} described its snapshot in an unknown form")
    body = await remote._request("GET", f"/v1/snapshot/{seq}", timeout=300.0)
    return meta, body.content


async def start_from_snapshot(db: Database, worker: DbWorker, remote: Remote, server_id: str, *,
                              required: bool) -> snapshot_install.Installed | None:
    """Fetch, check and install the newest snapshot; None when there is none or it does not fit
    (replay instead). `required`: the server no longer serves the older events, so not starting from
    a snapshot is an error in plain words (retried later), not a replay."""
    found = await fetch(remote)
    if found is None:
        if required:
            raise KnownError("the server archived events this station lacks but has no snapshot to start "
                             "from: ask the administrator to run 'jitdesk server snapshot make'")
        log.info("the server has no snapshot of the plant: replaying its events")
        return None
    meta, body = found
    try:
        unpacked = await worker.run(unpack, meta, body)
        done = await worker.run(snapshot_install.install, db, unpacked, server_id)
    except SnapshotRefused as refused:
        if required:
            raise KnownError(f"cannot start from the server's snapshot ({refused}), and the server no longer "
                             "keeps the older events") from None
        log.warning("not starting from the server's snapshot: %s; replaying its events instead", refused)
        return None
    log.warning("started from the server's snapshot at event %d (%d projection rows; %d events folded on top: "
                "its tail and this station's own); events before it are not in this station's log", done.seq,
                done.entities, done.folded_on_top)
    return done


async def bootstrap_if_due(db: Database, worker: DbWorker, remote: Remote, server_id: str,
                           head: int) -> snapshot_install.Installed | None:
    """For a fresh station with more than the threshold of events to pull: start from a snapshot."""
    if not await worker.run(snapshot_install.is_fresh, db):
        return None
    if head <= await worker.run(snapshot_install.threshold, db):
        return None
    return await start_from_snapshot(db, worker, remote, server_id, required=False)
