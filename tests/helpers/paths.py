"""Where the repository is, for tests that run the app or build the bundle from it."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
