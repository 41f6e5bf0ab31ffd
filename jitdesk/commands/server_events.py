"""`jitdesk server events ...`: hold stored events back from every pull and relay.

    jitdesk server events quarantine EVENT_ID... --reason TEXT [--db URL]
    jitdesk server events held [--db URL]
    jitdesk server events clocks [--db URL]      (each device's clock skew as seen by this server)

A quarantined event stays in the server's log (events are never deleted) but no pull serves it and
no hub relays it: each pull lists it under `skipped` with the reason, so stations and hubs record it
where people see it, and a hub holds it too, so its own stations skip it as well.
"""

from __future__ import annotations

import argparse

from jitdesk.domain.errors import BadInput


def add_parser(actions: argparse._SubParsersAction[argparse.ArgumentParser], db_help: str) -> None:
    events = actions.add_parser("events", help="quarantine stored events (held back from every pull)")
    verbs = events.add_subparsers(dest="events_action", required=True, metavar="VERB")
    hold = verbs.add_parser("quarantine", help="hold stored events back from every pull and relay")
    hold.add_argument("event_ids", nargs="+", metavar="EVENT_ID")
    hold.add_argument("--reason", required=True, help="why, in plain words (shown to every client)")
    hold.add_argument("--db", metavar="URL", help=db_help, dest="events_db")
    held = verbs.add_parser("held", help="list held events and why")
    held.add_argument("--db", metavar="URL", help=db_help, dest="events_db")
    clocks = verbs.add_parser("clocks", help="how far each device's clock is ahead of this server's")
    clocks.add_argument("--db", metavar="URL", help=db_help, dest="events_db")


def run(store: object, args: argparse.Namespace) -> int:
    from jitdesk.sync.server.store import ServerStore

    assert isinstance(store, ServerStore)
    if args.events_action == "quarantine":
        reason = args.reason.strip()
        if not reason or not reason.isprintable():
            raise BadInput("--reason must be printable words")
        missing = [e for e in args.event_ids if store.event_plant(e) is None]
        if missing:
            raise BadInput(f"this server holds no event {missing[0]}")
        done = sum(store.hold([(e, f"quarantined by an admin: {reason}")], store.event_plant(e), by="admin")
                   for e in args.event_ids)
        print(f"{done} event(s) quarantined; every pull now skips them with the reason.")
        return 0
    if args.events_action == "clocks":
        from jitdesk.domain.clock import MAX_AHEAD_MS

        for row in store.device_clocks():
            flag = "  CLOCK WRONG" if abs(row["ahead_ms"]) > MAX_AHEAD_MS else ""
            print(f"{row['device_id']}  plant {row['plant_id']}  via {row['device']}  "
                  f"{row['ahead_ms'] / 1000:+.1f} s  at {row['at']}{flag}")
        return 0
    rows = store.held()
    if not rows:
        print("no held events.")
    for row in rows:
        print(f"{row['event_id']}  plant {row['plant_id'] or '?'}  {row['at']}  by {row['by']}: {row['reason']}")
    return 0
