"""The PyInstaller bundle (build.spec) builds and runs: migrations, resources and the demo travel with it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.paths import REPO_ROOT

ROOT = REPO_ROOT


@pytest.mark.slow
def test_the_bundle_builds_and_runs_the_demo(tmp_path: Path) -> None:
    pyinstaller = Path(sys.executable).with_name("pyinstaller")
    if not pyinstaller.exists():
        pytest.skip("PyInstaller is not installed (it comes with the dev extras)")
    build = subprocess.run(
        [str(pyinstaller), "--noconfirm", "--log-level", "WARN", "--distpath", str(tmp_path / "dist"),
         "--workpath", str(tmp_path / "build"), str(ROOT / "build.spec")],
        capture_output=True, text=True, timeout=1200, cwd=tmp_path)
    assert build.returncode == 0, build.stderr[-3000:]
    exe = tmp_path / "dist" / "jitdesk" / "jitdesk"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "JITDESK_DATA_DIR": str(tmp_path / "data")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=300, env=env,
                              cwd=tmp_path)

    assert run("--version").stdout.startswith("jitdesk ")
    db = tmp_path / "demo.db"
    setup = run("demo", "--setup-only", "--db", str(db))
    assert setup.returncode == 0, setup.stderr
    shot = run("demo", "--db", str(db), "--screenshot", str(tmp_path / "board.png"), "--view", "kanban")
    assert shot.returncode == 0, shot.stderr
    assert (tmp_path / "board.png").stat().st_size > 20_000
    printed = run("cards", "print", "--db", str(db), "--all", "--out", str(tmp_path / "cards.pdf"))
    assert printed.returncode == 0, printed.stderr
    assert "printed" in printed.stdout
    shutil.rmtree(tmp_path / "build", ignore_errors=True)
