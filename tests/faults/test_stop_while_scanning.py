"""Stopping the station while its serial scanner is sending: every frame already read is recorded.

The real app (offscreen) runs on a demo database with a serial scanner on a real pty. A thread
writes card codes as fast as the port takes them; SIGTERM (or closing the window) arrives in the
middle of the burst. After the app has exited, what it recorded plus the complete frames still
unread in the pty must be exactly what was written: the scanner is stopped first, then every frame
it read is recorded, then the app closes. No traceback may appear in the log or on stderr.
"""

from __future__ import annotations

import errno
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import tty
from pathlib import Path

import pytest

from tests.helpers.paths import REPO_ROOT
from tests.helpers.pty_port import Pty

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs POSIX pseudo-terminals")

WAIT_S = 120.0  # how long to wait for the app, never a speed claim


def card_codes(db: Path) -> list[str]:
    with sqlite3.connect(db) as con:
        return [code for (code,) in con.execute("SELECT code FROM card WHERE code <> '' ORDER BY code")]


def serial_rows(db: Path) -> list[str]:
    with sqlite3.connect(db) as con:
        return [text for (text,) in con.execute("SELECT text FROM scan_log WHERE source = 'serial' ORDER BY id")]


class Sender(threading.Thread):
    """Writes frames to the pty master until told to stop or the port stops taking bytes."""

    def __init__(self, pty: Pty, codes: list[str]) -> None:
        super().__init__(daemon=True)
        self.pty = pty
        self.codes = codes
        self.written: list[str] = []
        self.halt = threading.Event()
        self.partial = b""

    def run(self) -> None:
        os.set_blocking(self.pty.master, False)
        i = 0
        while not self.halt.is_set():
            code = self.codes[i % len(self.codes)]
            frame = f"{code}\r".encode()
            try:
                sent = os.write(self.pty.master, frame)
            except OSError as error:
                if error.errno in (errno.EAGAIN, errno.EIO):
                    time.sleep(0.005)
                    continue
                raise
            if sent < len(frame):  # the buffer is full: the rest never goes; a partial frame at the end
                self.partial = frame[:sent]
                return
            self.written.append(code)
            i += 1
            time.sleep(0.002)


def left_unread(pty: Pty) -> bytes:
    os.set_blocking(pty.slave, False)
    data = b""
    while True:
        try:
            chunk = os.read(pty.slave, 65536)
        except BlockingIOError:
            return data
        if not chunk:
            return data
        data += chunk


def wait_for_log(log_file: Path, text: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline and proc.poll() is None:
        if log_file.exists() and text in log_file.read_text(errors="replace"):
            return
        time.sleep(0.05)
    raise AssertionError(f"the app never logged {text!r}")


# SIGTERM (a service manager) and SIGINT (Ctrl+C) both close the window as a person's click does.
@pytest.mark.parametrize("how", ["sigterm", "sigint"])
def test_stopping_during_a_burst_records_every_frame_read(tmp_path: Path, how: str) -> None:
    db = tmp_path / "demo.db"
    log_dir = Path(os.environ["JITDESK_LOG_DIR"])
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO_ROOT)}
    subprocess.run([sys.executable, "-m", "jitdesk", "demo", "--db", str(db), "--setup-only"], cwd=REPO_ROOT,
                   env=env, check=True, capture_output=True, timeout=300)
    codes = card_codes(db)
    pty = Pty()
    tty.setraw(pty.slave)  # what the test reads back afterwards must be the bytes as written
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[scanner]\nport = "{pty.path}"\n', encoding="utf-8")
    args = [sys.executable, "-m", "jitdesk", "demo", "--settings", str(settings), "--db", str(db)]
    proc = subprocess.Popen(args, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    sender = Sender(pty, codes)
    try:
        log_file = log_dir / "jitdesk.log"
        wait_for_log(log_file, "SIGTERM close it", proc)
        wait_for_log(log_file, f"scanner connected: {pty.path}", proc)
        sender.start()
        while len(sender.written) < 150 and sender.is_alive():
            time.sleep(0.01)
        proc.send_signal(signal.SIGTERM if how == "sigterm" else signal.SIGINT)
        time.sleep(0.5)  # the burst goes on while the app stops
        sender.halt.set()
        sender.join(timeout=30)
        _out, err = proc.communicate(timeout=WAIT_S)
        unread = left_unread(pty)
    finally:
        sender.halt.set()
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        pty.close()
    assert proc.returncode == 0, err
    recorded = serial_rows(db)
    # A frame cut between what was read and what was not: its terminator is in the unread bytes.
    unread_frames = unread.count(b"\r")
    assert len(recorded) + unread_frames == len(sender.written), (len(recorded), unread_frames,
                                                                   len(sender.written))
    assert recorded == sender.written[: len(recorded)]
    assert len(recorded) >= 150
    log_text = (log_dir / "jitdesk.log").read_text(errors="replace")
    for text in (err, log_text):
        assert "Traceback" not in text
        assert "no running event loop" not in text
    assert f"{len(recorded)} frames read" in log_text
