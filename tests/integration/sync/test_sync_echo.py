"""A station's own events coming back from the server cost a read, not a write: the cursor moves on in
memory and is stored with the next page that writes; pulled again after a restart, they are duplicates."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from jitdesk.domain.master import Part
from jitdesk.services import master, sync_apply
from jitdesk.sync.client import SyncClient
from tests.helpers.sync_server import ServerProcess, log_digest, make_token, sync_once


def test_own_events_echo_without_a_write_and_the_next_page_stores_the_cursor(
        server_db: str, start_server: Callable[..., ServerProcess], stations: Callable[[str], Any]) -> None:
    server = start_server(server_db)
    a, b = stations("a"), stations("b")
    ta, tb = make_token(server_db, "P1", "a", "admin"), make_token(server_db, "P1", "b", "admin")
    sync_once(a, server.url, ta)
    master.save(a, Part("P-1", "Bolt"), actor=None)

    async def main() -> tuple[int, int, int]:
        client = SyncClient(a, server.url, ta)
        try:
            await client.sync_once()  # first page of the run: stored (nothing stored recently)
            stored = sync_apply.peer(a).cursor
            master.save(a, Part("P-2", "Nut"), actor=None)
            await client.sync_once()  # pushes P-2 and pulls it back: already held here, nothing written
            held = sync_apply.peer(a).cursor
            master.save(b, Part("P-3", "Washer"), actor=None)
            other = SyncClient(b, server.url, tb)
            await other.sync_once()
            await other.close()
            await client.sync_once()  # B's event: a page that writes, with the cursor past the echo
            return stored, held, sync_apply.peer(a).cursor
        finally:
            await client.close()

    stored, held, after = asyncio.run(main())
    assert held == stored  # the echo wrote nothing
    assert after > stored + 1  # past both the echo and B's event
    restarted = sync_once(a, server.url, ta)  # a fresh client pulls from the stored cursor: nothing lost
    assert restarted.state == "online" and restarted.quarantined == 0
    sync_once(b, server.url, tb)
    assert log_digest(a) == log_digest(b)
    assert sorted(p.value.number for p in master.records(a, Part)) == ["P-1", "P-2", "P-3"]
