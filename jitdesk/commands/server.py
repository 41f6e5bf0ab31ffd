"""`jitdesk server`: run the sync server, or manage its device tokens.

    jitdesk server [--db URL] [--host H] [--port P] [--cert FILE --key FILE] [--upstream URL --token T]
                   [--workers N] [--request-timeout S]
    jitdesk server token create --plant P --device D --role station|hub|admin [--db URL]
    jitdesk server token revoke ID|TOKEN [--db URL]
    jitdesk server token list [--db URL]
    jitdesk server events quarantine EVENT_ID... --reason TEXT [--db URL]   (see server_events)
    jitdesk server snapshot make --plant P | archive --plant P [--before SEQ] [--yes]   (see server_snapshot)
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from jitdesk.commands import server_events, server_snapshot

DB_HELP = "server database: an SQLite file path or postgresql://... (default: server.db in the data dir)"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("server", help="run the sync server (or manage its tokens)",
                                   description="Run the jitdesk sync server, a plant hub or the centre.")
    parser.add_argument("--db", metavar="URL", help=DB_HELP)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8470, help="port to listen on (default 8470)")
    parser.add_argument("--cert", metavar="FILE", help="TLS certificate (PEM); serve https with --key")
    parser.add_argument("--key", metavar="FILE", help="TLS private key (PEM)")
    parser.add_argument("--upstream", metavar="URL", help="relay this plant to an upstream server (hub mode)")
    parser.add_argument("--token", metavar="T", help="hub token for the upstream server "
                        "(or $JITDESK_UPSTREAM_TOKEN)")
    parser.add_argument("--upstream-ca", metavar="FILE", help="CA certificate to trust for the upstream")
    parser.add_argument("--upstream-retry-max", type=float, default=30.0, metavar="S",
                        help="longest wait between tries while the upstream is unreachable (default 30)")
    parser.add_argument("--max-wait", type=float, default=30.0, metavar="S",
                        help="longest long-poll a client may ask for (default 30 s)")
    parser.add_argument("--workers", type=int, default=1, metavar="N",
                        help="API processes sharing the port (default 1); with PostgreSQL, long-polls in "
                        "every process wake at once on a push to any")
    parser.add_argument("--request-timeout", type=float, default=60.0, metavar="S",
                        help="close a connection whose request has not arrived whole in S s (default 60)")
    parser.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    actions = parser.add_subparsers(dest="server_action", metavar="ACTION")
    token = actions.add_parser("token", help="issue, revoke and list device tokens")
    verbs = token.add_subparsers(dest="token_action", required=True, metavar="VERB")
    create = verbs.add_parser("create", help="create a token and print it once")
    create.add_argument("--plant", required=True, help="the plant id the device belongs to")
    create.add_argument("--device", required=True, help="a name for the device, e.g. line-1-scan")
    create.add_argument("--role", required=True, choices=["station", "hub", "admin"])
    create.add_argument("--db", metavar="URL", help=DB_HELP, dest="token_db")
    revoke = verbs.add_parser("revoke", help="revoke a token at once (by id or by the token itself)")
    revoke.add_argument("ident", metavar="ID|TOKEN")
    revoke.add_argument("--db", metavar="URL", help=DB_HELP, dest="token_db")
    listing = verbs.add_parser("list", help="list tokens (never their values)")
    listing.add_argument("--db", metavar="URL", help=DB_HELP, dest="token_db")
    server_events.add_parser(actions, DB_HELP)
    server_snapshot.add_parser(actions, DB_HELP)


def server_db(flag: str | None) -> str:
    from jitdesk.paths import data_dir

    chosen = flag or os.environ.get("JITDESK_SERVER_DB")
    if chosen:
        return chosen
    path = data_dir() / "server.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    return str(path)


def run(args: argparse.Namespace) -> int:
    from jitdesk.domain.errors import BadInput
    from jitdesk.sync.server.store import ServerStore

    if args.server_action == "token":
        store = ServerStore(server_db(getattr(args, "token_db", None) or args.db))
        try:
            return _token(store, args)
        finally:
            store.close()
    if args.server_action == "events":
        store = ServerStore(server_db(getattr(args, "events_db", None) or args.db))
        try:
            return server_events.run(store, args)
        finally:
            store.close()
    if args.server_action in ("snapshot", "archive"):
        store = ServerStore(server_db(getattr(args, "snapshot_db", None) or args.db))
        try:
            return server_snapshot.run(store, args)
        finally:
            store.close()
    if not 0 < args.port < 65536:
        raise BadInput(f"--port {args.port} is not a port: use 1 to 65535")
    if bool(args.cert) != bool(args.key):
        raise BadInput("TLS needs both --cert and --key")
    token = args.token or os.environ.get("JITDESK_UPSTREAM_TOKEN")
    if args.workers < 1 or args.request_timeout <= 0:
        raise BadInput("--workers must be at least 1 and --request-timeout more than 0")
    if args.upstream and args.workers > 1:
        raise BadInput("a hub relays with one process: leave out --workers")
    if args.upstream and not token:
        raise BadInput("--upstream needs --token (a hub token issued by the upstream server)")
    for label, path in (("certificate", args.cert), ("key", args.key), ("CA", args.upstream_ca)):
        if path and not os.path.isfile(path):
            raise BadInput(f"the TLS {label} file {path} does not exist")
    return serve(server_db(args.db), host=args.host, port=args.port, cert=args.cert, key=args.key,
                 upstream=args.upstream, token=token, upstream_ca=args.upstream_ca, log_level=args.log_level,
                 retry_max=args.upstream_retry_max, max_wait=args.max_wait, workers=args.workers,
                 request_timeout=args.request_timeout)


def _token(store: object, args: argparse.Namespace) -> int:
    from jitdesk.sync.server.store import ServerStore

    assert isinstance(store, ServerStore)
    if args.token_action == "create":
        token_id, token = store.create_token(args.plant, args.device, args.role)
        print(f"token {token_id} for plant {args.plant}, device {args.device}, role {args.role}.")
        print("Copy it now; it is not shown again:")
        print(token)
        return 0
    if args.token_action == "revoke":
        done = store.revoke_token(args.ident)
        print(f"revoked {done} token(s)." if done else "no such active token.")
        return 0 if done else 1
    for row in store.list_tokens():
        state = f"revoked {row['revoked_at']}" if row["revoked_at"] else "active"
        print(f"{row['id']:>5}  {row['plant_id']}  {row['device']}  {row['role']}  "
              f"created {row['created_at']}  {state}")
    return 0


def serve(db: str, *, host: str, port: int, cert: str | None = None, key: str | None = None,
          upstream: str | None = None, token: str | None = None, upstream_ca: str | None = None,
          log_level: str = "info", retry_max: float = 30.0, max_wait: float = 30.0, workers: int = 1,
          request_timeout: float = 60.0) -> int:
    import logging

    import uvicorn

    from jitdesk.sync.server import worker_app
    from jitdesk.sync.server.api import create_app
    from jitdesk.sync.server.guard import GuardedH11Protocol
    from jitdesk.sync.server.store import ServerStore

    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    GuardedH11Protocol.request_timeout_s = request_timeout
    common: dict[str, Any] = {
        "host": host, "port": port, "ssl_certfile": cert, "ssl_keyfile": key, "log_level": log_level,
        "access_log": False, "timeout_graceful_shutdown": 3, "log_config": None, "http": GuardedH11Protocol,
        # Thousands of devices: a deep accept queue, and no X-Forwarded-For parsing (it parsed the
        # trusted addresses again for every request, a fifth of a long-poll's cost).
        "backlog": 8192, "proxy_headers": False,
    }
    store = ServerStore(db)  # migrates once, before any worker starts
    if workers > 1:
        store.close()
        worker_app.configure(db=db, max_wait=max_wait, log_level=log_level, request_timeout=request_timeout)
        # A worker busy with thousands of connections may answer the supervisor's ping late: do not kill it.
        uvicorn.run(worker_app.IMPORT, factory=True, workers=workers, timeout_worker_healthcheck=30, **common)
        return 0
    relay = None
    if upstream:
        from jitdesk.sync.server.relay import Relay

        assert token is not None
        relay = Relay(store, upstream, token, verify=upstream_ca or True, backoff_cap_s=retry_max)
    app = create_app(store, background=relay.run if relay else None, max_wait=max_wait)
    app.state.relay = relay
    try:
        uvicorn.Server(uvicorn.Config(app, **common)).run()
    finally:
        store.close()
    return 0
