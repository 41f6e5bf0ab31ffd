"""A call raised at one station reaches a second station's board through a real server (long-poll), and
its claim there comes back to the first: the board model both stations' screens read."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from jitdesk.domain.master import CallType, Line, Plant, Station, User
from jitdesk.gui.andon.model import BoardModel
from jitdesk.services import master, station_identity
from jitdesk.services.andon.board import andon_board
from jitdesk.services.andon.calls import acknowledge, raise_call
from jitdesk.services.uow import transaction
from jitdesk.sync.client import SyncClient
from tests.helpers.sync_server import ServerProcess, make_token, sync_once

WAIT_S = 20.0  # stops a hung test; not a timing claim


def test_a_call_reaches_the_other_stations_board(start_server: Callable[..., ServerProcess],
                                                 sqlite_server_db: str, stations: Callable[[str], Any]) -> None:
    admin, a, b = stations("admin"), stations("a"), stations("b")
    from jitdesk.domain.auth import hash_pin

    with transaction(admin) as tx:
        plant = master.save_in(tx, Plant(code="LP", name="Live plant"), actor=None)
    with transaction(admin) as tx:
        line = master.save_in(tx, Line(code="L1", name="Line 1"), actor=None)
        st_a = master.save_in(tx, Station(code="L1-S1", name="A", role="line", line_id=line), actor=None)
        st_b = master.save_in(tx, Station(code="SUP", name="B", role="supervisor"), actor=None)
        maint = master.save_in(tx, CallType(code="MAINT", name="Maintenance", color="#2979FF",
                                            responder_role="supervisor"), actor=None)
        sup = master.save_in(tx, User(name="Ana Ruiz", badge="B-1", role="supervisor",
                                      pin_hash=hash_pin("1234", b"0" * 16)), actor=None)
    server = start_server(sqlite_server_db)
    tokens = {name: make_token(sqlite_server_db, plant, name, role) for name, role in
              (("admin", "admin"), ("a", "station"), ("b", "station"))}
    for db, name in ((admin, "admin"), (a, "a"), (b, "b")):
        sync_once(db, server.url, tokens[name])
    station_identity.assign(a, st_a, actor=None)
    station_identity.assign(b, st_b, actor=None)

    async def scenario() -> None:
        boards = {"a": BoardModel(), "b": BoardModel()}
        clients: dict[str, SyncClient] = {}
        looks: set[asyncio.Future[None]] = set()

        def follow(name: str, db: Any) -> Callable[[Any], None]:
            def on_changes(_changes: Any) -> None:
                async def look() -> None:
                    boards[name].set_board(await clients[name].worker.run(andon_board, db))
                task = asyncio.ensure_future(look())
                looks.add(task)
                task.add_done_callback(looks.discard)
            return on_changes

        for name, db in (("a", a), ("b", b)):
            clients[name] = SyncClient(db, server.url, tokens[name], long_poll_s=10, on_changes=follow(name, db))
        tasks = [asyncio.ensure_future(c.run()) for c in clients.values()]

        async def until(check: Callable[[], bool]) -> None:
            async def poll() -> None:
                while not check():
                    await asyncio.sleep(0.02)
            await asyncio.wait_for(poll(), WAIT_S)

        try:
            await until(lambda: all(c.status.state == "online" for c in clients.values()))
            outcome = await clients["a"].worker.run(raise_call, a, maint, st_a)
            assert outcome.call_id is not None
            clients["a"].kick()
            await until(lambda: boards["b"].has_call(outcome.call_id or ""))
            call = boards["b"].calls_at(st_a)[0]
            assert call.status.value == "raised" and call.station_id == st_a
            tile = boards["b"].tile(next(s for s in boards["b"].stations if s.station_id == st_a), call.raised_ms)
            assert (tile.colour, tile.words, tile.clear) == ("#2979FF", "Maintenance", False)
            # the supervisor claims it at B; station A's board hears it through the server
            await clients["b"].worker.run(acknowledge, b, outcome.call_id, actor=sup)
            clients["b"].kick()
            await until(lambda: any(c.acknowledged for c in boards["a"].calls_at(st_a)))
            assert boards["a"].calls_at(st_a)[0].ack_name == "Ana Ruiz"
        finally:
            for client in clients.values():
                client.stop()
            await asyncio.gather(*tasks)
            for client in clients.values():
                await client.close()

    asyncio.run(scenario())
