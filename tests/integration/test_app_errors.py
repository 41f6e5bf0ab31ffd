"""Start-up problems are plain words and exit status 2, never a traceback."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from jitdesk.storage.database import open_database
from tests.helpers.paths import REPO_ROOT

ROOT = REPO_ROOT


def _jitdesk(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "jitdesk", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_corrupt_database_is_a_plain_message(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"this is not sqlite at all " * 200)
    result = _jitdesk("--db", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "not a jitdesk database or is damaged" in result.stderr and str(path) in result.stderr


def test_database_from_the_future_is_a_plain_message(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    open_database(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    result = _jitdesk("--db", str(path), "--screenshot", str(tmp_path / "x.png"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "newer jitdesk" in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_demo_on_a_corrupt_file_is_a_plain_message(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    path.write_bytes(b"\x00" * 4096 + b"garbage")
    result = _jitdesk("demo", "--setup-only", "--db", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "jitdesk:" in result.stderr


def test_bad_settings_still_start_and_say_which_line(tmp_path: Path) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text("[ui]\nfont_scale = 1.2\nfullscreen = maybe\n", encoding="utf-8")
    shot = tmp_path / "shot.png"
    result = _jitdesk("--db", str(tmp_path / "s.db"), "--settings", str(settings), "--screenshot", str(shot),
                      "--size", "800x600")
    assert result.returncode == 0, result.stderr
    assert "line 3" in result.stderr and shot.exists()
    # The same message is in the rotating log file in the user log dir (private to each test).
    log_file = Path(os.environ["JITDESK_LOG_DIR"]) / "jitdesk.log"
    assert "line 3" in log_file.read_text(encoding="utf-8")


def test_unknown_view_and_bad_size_are_plain_messages(tmp_path: Path) -> None:
    for args in (("--view", "nosuch"), ("--size", "big")):
        result = _jitdesk("--db", str(tmp_path / "v.db"), "--screenshot", str(tmp_path / "v.png"), *args)
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert result.stderr.startswith("jitdesk: ")


def test_sigterm_closes_the_app_cleanly(tmp_path: Path) -> None:
    import signal
    import time

    db = tmp_path / "station.db"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "JITDESK_DATA_DIR": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "jitdesk", "--db", str(db)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # SIGTERM only once the app says its handlers are in place (before that, the default action kills it)
    log_file = Path(os.environ["JITDESK_LOG_DIR"]) / "jitdesk.log"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None and not (
            log_file.exists() and "SIGTERM close it" in log_file.read_text(errors="replace")):
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
