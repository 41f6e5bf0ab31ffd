"""`jitdesk server snapshot ...` and `jitdesk server archive ...`: snapshots and the event archive.

    jitdesk server snapshot make --plant P [--db URL]   fold the plant's events into a new snapshot
    jitdesk server snapshot list [--plant P] [--db URL]
    jitdesk server archive --plant P [--before SEQ] [--yes] [--db URL]

A snapshot is made by the station's own fold code over every event of the plant up to its newest
server_seq (in a temporary station database), packed and hashed (see services.snapshot_pack), and
kept on the server, which hands it to new stations. `archive` says what it would move and which
devices would have to resync from a snapshot; with `--yes` it first makes a snapshot at the plant's
head (so every device can catch up), then moves the events.
"""

from __future__ import annotations

import argparse
import time

from jitdesk.domain.errors import BadInput


def add_parser(actions: argparse._SubParsersAction[argparse.ArgumentParser], db_help: str) -> None:
    snap = actions.add_parser("snapshot", help="make and list snapshots of a plant's projections")
    verbs = snap.add_subparsers(dest="snapshot_action", required=True, metavar="VERB")
    make = verbs.add_parser("make", help="fold the plant's events into a new snapshot")
    make.add_argument("--plant", required=True, help="the plant id")
    make.add_argument("--tail-minutes", type=int, default=24 * 60, metavar="M",
                      help="the events of the last M minutes travel as events, so late ones re-fold exactly "
                      "(default 1440)")
    make.add_argument("--db", metavar="URL", help=db_help, dest="snapshot_db")
    listing = verbs.add_parser("list", help="list the snapshots this server keeps")
    listing.add_argument("--plant", help="only this plant")
    listing.add_argument("--db", metavar="URL", help=db_help, dest="snapshot_db")
    arch = actions.add_parser("archive", help="move a plant's old events to the archive (says what first)")
    arch.add_argument("--plant", required=True, help="the plant id")
    arch.add_argument("--before", type=int, metavar="SEQ",
                      help="archive events below this server_seq, even if some devices have not passed them "
                      "(they resync from a snapshot); default: what every known device has passed")
    arch.add_argument("--yes", action="store_true", help="do it (without: only say what would move)")
    arch.add_argument("--db", metavar="URL", help=db_help, dest="snapshot_db")


def make_snapshot(store: object, plant_id: str, tail_minutes: int = 24 * 60) -> dict[str, object]:
    """Make and keep a snapshot of the plant at its newest event; returns its meta."""
    from jitdesk.services import snapshot_pack
    from jitdesk.sync.server import snapshots
    from jitdesk.sync.server.store import ServerStore

    assert isinstance(store, ServerStore)
    seq = snapshots.plant_head(store, plant_id)
    if seq == 0:
        raise BadInput(f"this server holds no events of plant '{plant_id}'")
    if tail_minutes < 0:
        raise BadInput("--tail-minutes must be 0 or more")
    packed = snapshot_pack.make(plant_id, seq, snapshots.events_upto(store, plant_id, seq),
                                tail_ms=tail_minutes * 60_000)
    meta = packed.meta()
    snapshots.save(store, meta, packed.body)
    return meta


def run(store: object, args: argparse.Namespace) -> int:
    from jitdesk.sync.server import archive, snapshots
    from jitdesk.sync.server.store import ServerStore

    assert isinstance(store, ServerStore)
    if args.server_action == "snapshot":
        if args.snapshot_action == "make":
            started = time.monotonic()
            meta = make_snapshot(store, args.plant, args.tail_minutes)
            print(f"snapshot of plant {meta['plant_id']} at event {meta['seq']}: {meta['events']} events "
                  f"({meta['tail']} of them the tail, sent as events), "
                  f"{meta['size']} bytes packed, sha256 {meta['sha256']} ({time.monotonic() - started:.1f} s)")
            return 0
        rows = snapshots.listing(store, args.plant)
        if not rows:
            print("no snapshots.")
        for row in rows:
            print(f"plant {row['plant_id']}  at event {row['seq']}  {row['size']} bytes  made {row['made_at']}  "
                  f"sha256 {row['sha256']}")
        return 0
    chosen = archive.plan(store, args.plant, args.before)
    print(chosen.words())
    if not chosen.events:
        return 0
    if not args.yes:
        print("nothing moved: run again with --yes to archive.")
        return 0
    if chosen.snapshot_seq is None or chosen.snapshot_seq < chosen.target:
        meta = make_snapshot(store, args.plant)
        print(f"made a snapshot at event {meta['seq']} first (sha256 {meta['sha256']})")
        chosen = archive.plan(store, args.plant, args.before)
    moved = archive.run(store, chosen)
    print(f"moved {moved} event(s) to the archive; pulls from before {chosen.target + 1} now resync from a snapshot.")
    return 0
