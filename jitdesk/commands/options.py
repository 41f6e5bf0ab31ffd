"""Command-line options shared by the desktop app (`jitdesk`) and `jitdesk demo`."""

from __future__ import annotations

import argparse


def add_app_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by the app and `jitdesk demo`."""
    parser.add_argument("--db", metavar="PATH", help="database file (default: the user data dir)")
    parser.add_argument("--settings", metavar="FILE",
                        help="settings TOML file (default: the user config dir)")
    parser.add_argument("--screenshot", metavar="FILE.png", help="render a view offscreen to a PNG and exit")
    parser.add_argument("--view", default="station", metavar="NAME",
                        help="view for --screenshot: station, queue, kanban, andon, takt, kpi, admin, sync")
    parser.add_argument("--size", default="1920x1080", metavar="WxH", help="window size for --screenshot")
    parser.add_argument("--board", metavar="NAME", choices=("kanban",),
                        help="open a board in TV mode (full screen, pages turn by themselves): kanban")
