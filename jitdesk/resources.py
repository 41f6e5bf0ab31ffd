"""One helper to find shipped files (resources/, migrations/) in a checkout or a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def root() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle)
    return Path(__file__).resolve().parent.parent


def resource(*parts: str) -> Path:
    return root().joinpath("resources", *parts)


def migrations_dir(name: str = "") -> Path:
    base = root() / "migrations"
    return base / name if name else base
