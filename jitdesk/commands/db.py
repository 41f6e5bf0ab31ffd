"""`jitdesk db upgrade [--db PATH]`: migrate a station database to the newest schema."""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("db", help="database maintenance")
    actions = parser.add_subparsers(dest="db_action", required=True, metavar="ACTION")
    upgrade = actions.add_parser("upgrade", help="migrate the database to the newest schema")
    upgrade.add_argument("--db", metavar="PATH", help="database file (default: the user data dir)")


def run(args: argparse.Namespace) -> int:
    from jitdesk.paths import database_path
    from jitdesk.storage import migrate
    from jitdesk.storage.engine import make_engine

    path = database_path(args.db)
    engine = make_engine(path)
    try:
        before = migrate.current_revision(engine)
        changed = migrate.upgrade(engine)
    finally:
        engine.dispose()
    head = migrate.head_revision()
    if changed:
        print(f"{path}: upgraded from {before or 'empty'} to {head}.")
    else:
        print(f"{path}: already at the newest schema ({head}).")
    return 0
