"""A hold decided at the server after a station pulled the event reaches that station (holds_after):
kept in the Sync view as "held by the server: <reason>", the event staying in its log. Real server."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from jitdesk.services import quarantine
from jitdesk.services.sync_apply import EVENTS
from jitdesk.services.syncstatus import ONLINE
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


class _OlderServer(httpx.AsyncBaseTransport):
    """The real server, as one of an older version would answer a pull that names holds_after (no
    older server can run here): everything else passes through unchanged."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.refused = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and "holds_after" in request.url.params:
            self.refused += 1
            return httpx.Response(422, json={"detail": "query.holds_after: Extra inputs are not permitted"})
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def test_against_an_older_server_the_station_pulls_without_holds_after(
        sqlite_server_db: str, start_server: Callable[..., ServerProcess], stations: Callable[[str], Any]) -> None:
    writer, reader = stations("writer"), stations("reader")
    server = start_server(sqlite_server_db)
    note(writer, "a scan")
    sync_once(writer, server.url, make_token(sqlite_server_db, "P1", "writer"))
    older = _OlderServer()
    status = sync_once(reader, server.url, make_token(sqlite_server_db, "P1", "reader"), transport=older)
    assert older.refused == 1  # asked once, then never again
    assert len(_note_ids(reader)) == 1 and status.state == ONLINE
    assert reader.setting(HOLDS_KEY) is None
