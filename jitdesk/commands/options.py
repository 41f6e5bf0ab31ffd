"""Command-line options shared by the desktop app (`jitdesk`) and `jitdesk demo`."""

from __future__ import annotations

import argparse
from typing import Any


def add_app_options(parser: argparse.ArgumentParser, *, sub_command: bool = False) -> None:
    """Options shared by the app and `jitdesk demo`. A sub-command's copies have no defaults of their own
    (argparse.SUPPRESS), so `jitdesk --settings FILE demo` keeps the FILE given before the sub-command
    instead of the sub-parser resetting it; the main parser's defaults stand when neither gives one."""

    def default(value: Any) -> Any:
        return argparse.SUPPRESS if sub_command else value

    parser.add_argument("--db", metavar="PATH", default=default(None),
                        help="database file (default: the user data dir)")
    parser.add_argument("--settings", metavar="FILE", default=default(None),
                        help="settings TOML file (default: the user config dir)")
    parser.add_argument("--screenshot", metavar="FILE.png", default=default(None),
                        help="render a view offscreen to a PNG and exit")
    parser.add_argument("--view", default=default("station"), metavar="NAME",
                        help="view for --screenshot: station, queue, kanban, andon, takt, taktboard, kpi, "
                             "admin, sync")
    parser.add_argument("--size", default=default("1920x1080"), metavar="WxH",
                        help="window size for --screenshot")
    parser.add_argument("--board", metavar="NAME", choices=("kanban", "andon"), default=default(None),
                        help="open a board in TV mode (full screen, pages turn by themselves): kanban, andon")
