"""A hold decided at the server after a station pulled the event reaches that station (holds_after):
kept in the Sync view as "held by the server: <reason>", the event staying in its log. Real server."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from jitdesk.services import quarantine
from jitdesk.services.sync_apply import EVENTS
from jitdesk.sync.client import HOLDS_KEY
from tests.helpers.sync_events import NOTE, note
from tests.helpers.sync_server import ServerProcess, make_token, sync_once

ROOT = Path(__file__).resolve().parents[3]


def _note_ids(db: Any) -> list[str]:
    with db.reading() as session:
        return list(session.execute(select(EVENTS.c.event_id).where(EVENTS.c.kind == NOTE)).scalars())


def test_a_hold_reaches_a_station_that_already_pulled_the_event(
        server_db: str, start_server: Callable[..., ServerProcess], stations: Callable[[str], Any]) -> None:
    writer, reader = stations("writer"), stations("reader")
    tokens = {name: make_token(server_db, "P1", name) for name in ("writer", "reader")}
    server = start_server(server_db)
    note(writer, "bad scan")
    sync_once(writer, server.url, tokens["writer"])
    sync_once(reader, server.url, tokens["reader"])
    (event_id,) = _note_ids(reader)
    assert quarantine.unreadable(reader) == []

    done = subprocess.run([sys.executable, "-m", "jitdesk", "server", "events", "quarantine", event_id,
                           "--reason", "scanned on the wrong card", "--db", server_db],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    sync_once(reader, server.url, tokens["reader"])
    held = [(u.event_id, u.reason) for u in quarantine.unreadable(reader)]
    assert held == [(event_id, "held by the server: quarantined by an admin: scanned on the wrong card")]
    assert _note_ids(reader) == [event_id]  # kept in the log: shown as held, not removed
    assert int(reader.setting(HOLDS_KEY) or 0) >= 1
    sync_once(reader, server.url, tokens["reader"])  # asked after its cursor: not kept twice
    assert len(quarantine.unreadable(reader)) == 1
