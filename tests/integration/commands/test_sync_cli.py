"""The command line: `jitdesk server token create|list|revoke` and `jitdesk sync --once`."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.helpers.sync_events import note
from tests.helpers.sync_server import ServerProcess, server_events


def jitdesk(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jitdesk", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def test_tokens_and_a_headless_sync(sqlite_server_db: str, start_server: Callable[..., ServerProcess],
                                    stations: Callable[[str], Any], tmp_path: Path) -> None:
    made = jitdesk("server", "token", "create", "--db", sqlite_server_db, "--plant", "P1", "--device", "line-1",
                   "--role", "station", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip().splitlines()[-1]
    assert token.startswith("jdt_") and "not shown again" in made.stdout
    listing = jitdesk("server", "token", "list", "--db", sqlite_server_db, cwd=tmp_path)
    assert "line-1" in listing.stdout and "active" in listing.stdout and token not in listing.stdout
    bad_role = jitdesk("server", "token", "create", "--db", sqlite_server_db, "--plant", "P1", "--device", "x",
                       "--role", "boss", cwd=tmp_path)
    assert bad_role.returncode == 2 and "invalid choice" in bad_role.stderr

    server = start_server(sqlite_server_db)
    db = stations("line")
    note(db, "from the command line")
    db_path = str(tmp_path / "line.db")
    unreachable = jitdesk("sync", "--once", "--db", db_path, "--url", "http://127.0.0.1:9", "--token", token,
                          cwd=tmp_path)
    assert unreachable.returncode == 2 and "server unreachable" in unreachable.stderr
    done = jitdesk("sync", "--once", "--db", db_path, "--url", server.url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "online" in done.stdout and "0 to send" in done.stdout
    assert len(server_events(sqlite_server_db)) == 1
    nothing = jitdesk("sync", "--once", "--db", str(tmp_path / "fresh.db"), cwd=tmp_path)
    assert nothing.returncode == 2 and "no server configured" in nothing.stderr
    revoked = jitdesk("server", "token", "revoke", "1", "--db", sqlite_server_db, cwd=tmp_path)
    assert revoked.returncode == 0
    refused = jitdesk("sync", "--once", "--db", db_path, cwd=tmp_path)
    assert refused.returncode == 2 and "token revoked" in refused.stderr
    tls = jitdesk("server", "--db", sqlite_server_db, "--cert", "nope.pem", "--key", "nope.key", cwd=tmp_path)
    assert tls.returncode == 2 and "does not exist" in tls.stderr
