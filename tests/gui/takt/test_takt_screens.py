"""The takt views in the real app window (`jitdesk demo --screenshot`): they fit 1280x800 without
growing the window, on the demo plant with its calendars and demand."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.helpers.paths import REPO_ROOT


@pytest.mark.parametrize("view", ["takt", "taktboard"])
def test_takt_views_fit_the_small_screen(tmp_path: Path, view: str) -> None:
    shot = tmp_path / f"{view}.png"
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)
    done = subprocess.run([sys.executable, "-m", "jitdesk", "demo", "--db", str(tmp_path / "demo.db"),
                           "--screenshot", str(shot), "--view", view, "--size", "1280x800"],
                          cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1280, 800)
