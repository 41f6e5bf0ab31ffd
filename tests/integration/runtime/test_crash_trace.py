"""Native crash traces: a real segfault in a child process leaves its trace in the log dir, and the next
start keeps it as a crash report and says where it is (the log, stderr and the message bar's problems)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from jitdesk.runtime.crash_trace import TRACE_NAME, enable_crash_trace
from tests.helpers.paths import REPO_ROOT

ROOT = REPO_ROOT
CRASH = ("import faulthandler, sys; from pathlib import Path; from jitdesk.runtime.crash_trace import "
         "enable_crash_trace; enable_crash_trace(Path(sys.argv[1])); faulthandler._sigsegv()")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a real SIGSEGV in a child process is POSIX-only")


def crash_in_child(log_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", CRASH, str(log_dir)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_a_native_crash_is_reported_at_the_next_start(tmp_path: Path) -> None:
    log_dir = tmp_path / "log"
    died = crash_in_child(log_dir)
    assert died.returncode != 0
    trace = log_dir / TRACE_NAME
    assert "Fatal Python error" in trace.read_text(encoding="utf-8")
    again = enable_crash_trace(log_dir)
    try:
        assert again.previous is not None and again.previous.name.startswith("crash-")
        assert "Fatal Python error" in again.previous.read_text(encoding="utf-8")
        assert again.message is not None and str(again.previous) in again.message
        assert "stopped unexpectedly" in again.message
    finally:
        again.close()
    assert not trace.exists()  # a clean exit leaves no trace file behind
    quiet = enable_crash_trace(log_dir)
    quiet.close()
    assert quiet.previous is None and quiet.message is None  # reported once, not at every start


def test_the_app_says_so_in_its_log_after_a_crash(tmp_path: Path) -> None:
    log_dir = Path(os.environ["JITDESK_LOG_DIR"])
    assert crash_in_child(log_dir).returncode != 0
    shot = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-m", "jitdesk", "--db", str(tmp_path / "s.db"), "--screenshot",
                             str(shot), "--size", "800x600"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    reports = sorted(log_dir.glob("crash-*.txt"))
    assert len(reports) == 1
    assert "stopped unexpectedly" in result.stderr and str(reports[0]) in result.stderr
    log_text = (log_dir / "jitdesk.log").read_text(encoding="utf-8")
    assert "stopped unexpectedly" in log_text and str(reports[0]) in log_text
    assert not (log_dir / TRACE_NAME).exists()
