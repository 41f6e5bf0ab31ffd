"""The `jitdesk` command: the desktop app by default, and the fixed sub-commands of DESIGN section 8.

Known errors (bad input, unreadable database, unreachable server...) print one plain line on stderr
and exit with status 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from jitdesk import __version__
from jitdesk.commands.options import add_app_options

# Sub-command modules in jitdesk/commands/ (each: add_parser, run).
COMMANDS = ("demo", "db", "cards", "server", "sync", "andon", "takt")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jitdesk", description="Shop-floor just-in-time desk.")
    parser.add_argument("--version", action="version", version=f"jitdesk {__version__}")
    add_app_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = _command(name)
        if module is not None:
            module.add_parser(subparsers)
    return parser


def _command(name: str):  # type: ignore[no-untyped-def]
    try:
        return importlib.import_module(f"jitdesk.commands.{name}")
    except ModuleNotFoundError as error:
        if error.name == f"jitdesk.commands.{name}":
            return None
        raise


def main(argv: Sequence[str] | None = None) -> int:
    from jitdesk.domain.errors import KnownError

    args = build_parser().parse_args(argv)
    try:
        if args.command is None:
            from jitdesk.app import run_app

            return run_app(args)
        return int(_command(args.command).run(args))
    except KnownError as error:
        print(f"jitdesk: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
