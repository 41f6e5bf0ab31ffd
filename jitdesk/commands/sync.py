"""`jitdesk sync [--once]`: sync a station database with its server, without the GUI.

Where the server URL and token come from, first found wins: `--url`/`--token` (also saved in the
station database for next time), the station settings file ([sync] server_url, token), then what an
earlier `--url`/`--token` saved.
"""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("sync", help="sync this station with its server (no GUI)")
    parser.add_argument("--db", metavar="PATH", help="station database file (default: the user data dir)")
    parser.add_argument("--settings", metavar="FILE", help="station settings file (default: the user config dir)")
    parser.add_argument("--once", action="store_true", help="push and pull once, then exit")
    parser.add_argument("--url", help="server address, e.g. https://hub.plant:8470 (saved for next time)")
    parser.add_argument("--token", help="this device's token (saved for next time)")
    parser.add_argument("--ca", metavar="FILE", help="CA certificate to trust for https")
    parser.add_argument("--retry-max", type=float, default=60.0, metavar="S",
                        help="longest wait between tries while the server is unreachable (default 60)")


def run(args: argparse.Namespace) -> int:
    import asyncio
    import logging
    import signal

    from jitdesk.domain.errors import KnownError
    from jitdesk.paths import database_path
    from jitdesk.services import sync_apply
    from jitdesk.storage.database import open_database
    from jitdesk.sync.client import SyncClient

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    db = open_database(database_path(args.db))
    try:
        from jitdesk.services.rebuild import refold_if_changed

        refold_if_changed(db)
        if args.url or args.token:
            sync_apply.configure(db, args.url, args.token)
        from jitdesk.config import load_settings
        from jitdesk.paths import settings_path

        loaded = load_settings(settings_path(args.settings))
        for problem in loaded.problems:
            logging.warning("%s", problem)
        saved_url, saved_token = sync_apply.settings(db)
        url = args.url or loaded.settings.sync.server_url or saved_url
        token = args.token or loaded.settings.sync.token or saved_token
        if not url or not token:
            raise KnownError("no server configured: run `jitdesk sync --url URL --token TOKEN` once")

        from jitdesk.runtime.supervise import Supervisor
        from jitdesk.runtime.syncwatch import SYNC_TASK, SyncWatch, until_stopped

        def show(status: object) -> None:
            print(_line(status), flush=True)

        # The continuous sync runs supervised: a bug is logged once and the client restarts with
        # backoff, and the lines printed say so (RESTARTING with the reason), never a silent stop.
        supervisor = Supervisor(backoff_max_s=max(1.0, args.retry_max))
        watch = SyncWatch(supervisor, show)
        client = SyncClient(db, url, token, on_status=None if args.once else watch.client_status,
                            verify=args.ca or True, backoff_cap_s=args.retry_max)

        async def main() -> int:
            try:
                if args.once:
                    status = await client.sync_once()
                    print(_line(status))
                    from jitdesk.services.snapshot_install import note

                    if (started := await client.worker.run(note, db)) is not None:
                        print(started)
                    return 0
                loop = asyncio.get_running_loop()

                def on_signal() -> None:
                    client.stop()  # ends a running pass cleanly
                    # ...and cancels a restart that is waiting out its backoff.
                    stopping.append(loop.create_task(supervisor.stop(SYNC_TASK, "stopped by a signal")))

                stopping: list[asyncio.Task[None]] = []
                for sig in (signal.SIGINT, signal.SIGTERM):
                    loop.add_signal_handler(sig, on_signal)
                supervisor.start(SYNC_TASK, client.run)
                await until_stopped(supervisor, SYNC_TASK)
                return 0
            finally:
                await supervisor.stop()
                watch.close()
                await client.close()

        return asyncio.run(main())
    finally:
        db.close()


def _line(status: object) -> str:
    from jitdesk.services.syncstatus import SyncStatus

    assert isinstance(status, SyncStatus)
    skew = "?" if status.skew_ms is None else f"{status.skew_ms / 1000:+.1f}s"
    parts = [status.headline, f"last sync {status.last_success or 'never'}", f"{status.pending} to send",
             f"{status.quarantined} quarantined", f"clock skew {skew}"]
    if status.unreadable:
        parts.append(f"{status.unreadable} unreadable from the server (see the Sync view)")
    if status.message:
        parts.append(status.message)
    return " | ".join(parts)
