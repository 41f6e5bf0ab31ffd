"""The app's options given before a sub-command survive it (`jitdesk --settings FILE demo`), and given after
it they count too; the main parser's defaults stand when neither gives one."""

from __future__ import annotations

from jitdesk.cli import build_parser


def test_settings_before_demo_is_kept() -> None:
    args = build_parser().parse_args(["--settings", "plant.toml", "--db", "x.db", "demo"])
    assert args.command == "demo"
    assert args.settings == "plant.toml"
    assert args.db == "x.db"


def test_settings_after_demo_counts() -> None:
    args = build_parser().parse_args(["demo", "--settings", "plant.toml", "--view", "kpi"])
    assert args.settings == "plant.toml"
    assert args.view == "kpi"


def test_defaults_without_either() -> None:
    args = build_parser().parse_args(["demo"])
    assert args.settings is None and args.db is None and args.screenshot is None and args.board is None
    assert args.view == "station" and args.size == "1920x1080"
    assert not args.simulate
