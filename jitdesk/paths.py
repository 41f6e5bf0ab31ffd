"""Where jitdesk keeps its files (platformdirs), each overridable by a flag or an environment variable."""

from __future__ import annotations

import os
from pathlib import Path

APP = "jitdesk"


def _dirs():  # type: ignore[no-untyped-def]
    from platformdirs import PlatformDirs

    return PlatformDirs(APP, appauthor=False)


def data_dir() -> Path:
    return Path(os.environ.get("JITDESK_DATA_DIR") or _dirs().user_data_dir)


def config_dir() -> Path:
    return Path(os.environ.get("JITDESK_CONFIG_DIR") or _dirs().user_config_dir)


def log_dir() -> Path:
    return Path(os.environ.get("JITDESK_LOG_DIR") or _dirs().user_log_dir)


def database_path(flag: str | None = None) -> Path:
    """--db flag, else $JITDESK_DB, else jitdesk.db in the user data dir."""
    chosen = flag or os.environ.get("JITDESK_DB")
    return Path(chosen).expanduser() if chosen else data_dir() / "jitdesk.db"


def demo_database_path(flag: str | None = None) -> Path:
    chosen = flag or os.environ.get("JITDESK_DEMO_DB")
    return Path(chosen).expanduser() if chosen else data_dir() / "demo.db"


def settings_path(flag: str | None = None) -> Path:
    chosen = flag or os.environ.get("JITDESK_SETTINGS")
    return Path(chosen).expanduser() if chosen else config_dir() / "settings.toml"
