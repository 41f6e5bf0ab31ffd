"""`jitdesk demo [--db PATH] [--simulate] [--setup-only]`: the app on a demo plant made on first use."""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from jitdesk.commands.options import add_app_options

    parser = subparsers.add_parser(
        "demo", help="open the app on a demo plant (created on first use)",
        description="Open jitdesk on a demo plant: two lines, twelve stations, parts, andon call "
                    "types, a two-shift calendar and users of every role.")
    add_app_options(parser, sub_command=True)
    parser.add_argument("--simulate", action="store_true", help="live activity: scans, andon calls, cycles")
    parser.add_argument("--setup-only", action="store_true",
                        help="create the demo database, print its users' badges and PINs, and exit")


def run(args: argparse.Namespace) -> int:
    from jitdesk.paths import demo_database_path

    path = demo_database_path(args.db)
    if args.setup_only:
        return setup_only(path)
    from jitdesk.app import run_gui

    return run_gui(args, path, demo=True)


def setup_only(path: object) -> int:
    from jitdesk.services.demo import ensure_demo
    from jitdesk.services.demo.summary import summary_text
    from jitdesk.storage.database import open_database

    db = open_database(str(path))
    try:
        created = ensure_demo(db)
        print(f"Demo plant {'created' if created else 'already present'} in {path}\n")
        print(summary_text(db))
    finally:
        db.close()
    return 0
