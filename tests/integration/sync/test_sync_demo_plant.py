"""The demo plant joins a server: its master data, loops, cards and seeded history go up with an admin
token, and a second, empty station that syncs ends with the same log and the same projections."""

from __future__ import annotations

from typing import Any

from tests.helpers.sync_server import log_digest, make_token, projections_digest, server_events, sync_once


def test_demo_station_seeds_the_server_and_a_new_station_catches_up(sqlite_server_db: str, start_server: Any,
                                                                     stations: Any) -> None:
    from jitdesk.services.demo import ensure_demo

    server = start_server(sqlite_server_db)
    demo = stations("demo")
    assert ensure_demo(demo)
    plant = demo.plant_id
    status = sync_once(demo, server.url, make_token(sqlite_server_db, plant, "demo-desk", role="admin"))
    assert status.pending == 0 and status.quarantined == 0
    kinds = {e["kind"] for e in server_events(sqlite_server_db, plant)}
    assert {"master.loop.upserted", "kanban.card.added", "kanban.card.emptied"} <= kinds
    newcomer = stations("newcomer")
    sync_once(newcomer, server.url, make_token(sqlite_server_db, plant, "line-2-s1", role="station"))
    assert log_digest(newcomer) == log_digest(demo)
    assert projections_digest(newcomer) == projections_digest(demo)
