"""The live plant: a card emptied at a line station reaches the supermarket station's replenishment
queue and the kanban board of another station through a real server, by long-poll, with both
stations' sync clients running (no sync_once)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from tests.helpers.sync_server import ServerProcess, make_token, sync_once


def build_plant(db: Any) -> tuple[str, str, str, list[str]]:
    from jitdesk.domain.fold import PROJECTORS
    from jitdesk.domain.kanban.loop import Loop
    from jitdesk.domain.kanban.status import Rule
    from jitdesk.domain.master import Line, Part, Plant, Station
    from jitdesk.services import master
    from jitdesk.services.kanban.loops import add_cards_in, save_loop_in
    from jitdesk.services.uow import transaction
    from jitdesk.storage import projections

    with transaction(db) as tx:
        plant = master.save_in(tx, Plant(code="LP", name="Live plant"), actor=None)
        line = master.save_in(tx, Line(code="L1", name="Line 1"), actor=None)
        line_st = master.save_in(tx, Station(code="LINE-1", name="Line 1", role="line", line_id=line), actor=None)
        market = master.save_in(tx, Station(code="SM-A", name="Supermarket", role="supermarket"), actor=None)
        part = master.save_in(tx, Part(number="P-1", name="Hex bolt"), actor=None)
        loop = save_loop_in(tx, Loop(
            code="BOLT", part_id=part, supplier_kind="supermarket", supplier_location="Supermarket A",
            supplier_station_id=market, consumer_station_id=line_st, qty_per_card=10, lead_time_minutes=60,
            safety_factor=0.2, wait_rule=Rule.NOT_ALLOWED, picking_rule=Rule.OPTIONAL,
            in_transit_rule=Rule.REQUIRED, active=True), actor=None)
        ids = add_cards_in(tx, loop, 5, actor=None)
    with db.reading() as session:
        states = projections.all_states(session, PROJECTORS.get("card"))
    return plant, line_st, market, [states[i].code for i in ids]


def test_an_emptied_card_reaches_the_supermarket_queue_live(
        server_db: str, start_server: Callable[..., ServerProcess], stations: Callable[[str], Any]) -> None:
    from jitdesk.services import station_identity
    from jitdesk.services.kanban.board import board_page
    from jitdesk.services.kanban.queue import replenishment_queue
    from jitdesk.services.kanban.scanning import record_scan
    from jitdesk.sync.client import SyncClient

    admin, line, market = stations("admin"), stations("line"), stations("market")
    plant, line_st, market_st, codes = build_plant(admin)
    server = start_server(server_db)
    t_admin = make_token(server_db, plant, "office", "admin")
    t_line, t_market = make_token(server_db, plant, "line-1"), make_token(server_db, plant, "sm-a")
    sync_once(admin, server.url, t_admin)
    for db, token in ((line, t_line), (market, t_market)):
        sync_once(db, server.url, token)
    station_identity.assign(line, line_st, actor=None)
    station_identity.assign(market, market_st, actor=None)
    queue_before = replenishment_queue(market, now_ms=time.time_ns() // 1_000_000)
    assert queue_before.total == 0

    async def main() -> None:
        ca = SyncClient(line, server.url, t_line)
        cb = SyncClient(market, server.url, t_market)
        tasks = [asyncio.ensure_future(ca.run()), asyncio.ensure_future(cb.run())]
        try:
            while not (ca.status.state == cb.status.state == "online"):
                await asyncio.sleep(0.02)
            outcome = await ca.worker.run(record_scan, line, codes[0], line_st)
            assert outcome.event_id is not None, outcome.message
            ca.kick()
            deadline = time.monotonic() + 30
            while True:
                queue = await cb.worker.run(replenishment_queue, market, now_ms=time.time_ns() // 1_000_000)
                if queue.total == 1:
                    break
                assert time.monotonic() < deadline, "the emptied card never reached the supermarket"
                await asyncio.sleep(0.02)
            assert queue.items[0].code == codes[0]
        finally:
            ca.stop()
            cb.stop()
            await asyncio.gather(*tasks)
            await ca.close()
            await cb.close()

    asyncio.run(main())
    sync_once(admin, server.url, t_admin)
    now = time.time_ns() // 1_000_000
    boards = [board_page(db, now_ms=now) for db in (admin, line, market)]
    assert boards[0] == boards[1] == boards[2]
    assert "empty" in repr(boards[0]).lower()
