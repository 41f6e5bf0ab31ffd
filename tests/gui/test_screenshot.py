"""`--screenshot` renders a view offscreen to a PNG of the asked size, with real content on it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.helpers.paths import REPO_ROOT

ROOT = REPO_ROOT


def _jitdesk(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)  # --screenshot must choose offscreen by itself
    return subprocess.run([sys.executable, "-m", "jitdesk", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def _distinct_colours(image: QImage, step: int = 16) -> int:
    return len({image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)})


@pytest.mark.parametrize("view", ["andon", "admin"])
def test_demo_screenshot_is_a_real_picture(tmp_path: Path, view: str) -> None:
    shot = tmp_path / f"{view}.png"
    result = _jitdesk("demo", "--db", str(tmp_path / "demo.db"), "--screenshot", str(shot),
                      "--view", view, "--size", "1280x720")
    assert result.returncode == 0, result.stderr
    image = QImage(str(shot))
    assert not image.isNull()
    assert (image.width(), image.height()) == (1280, 720)
    assert shot.stat().st_size > 10_000
    assert _distinct_colours(image) > 8  # not a blank single-colour image


def test_plain_database_screenshot(tmp_path: Path) -> None:
    shot = tmp_path / "kpi.png"
    result = _jitdesk("--db", str(tmp_path / "plain.db"), "--screenshot", str(shot), "--view", "kpi")
    assert result.returncode == 0, result.stderr
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1920, 1080)
    assert _distinct_colours(image) > 4


@pytest.mark.parametrize(("args", "size"), [(("--view", "kanban"), (1280, 800)),
                                            (("--board", "kanban"), (1920, 1080))], ids=["kanban", "board"])
def test_screenshot_is_the_asked_size_and_prints_no_traceback(tmp_path: Path, args: tuple[str, ...],
                                                              size: tuple[int, int]) -> None:
    shot = tmp_path / "shot.png"
    result = _jitdesk("demo", "--db", str(tmp_path / "demo.db"), "--screenshot", str(shot), *args,
                      "--size", f"{size[0]}x{size[1]}")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "no running event loop" not in result.stderr + result.stdout
    image = QImage(str(shot))
    assert (image.width(), image.height()) == size
    assert _distinct_colours(image) > 8
