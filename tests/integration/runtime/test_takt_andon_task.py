"""The station's andon-link task with no Qt: on the station that owns line L1 it raises the line's
Behind-takt call and puts it on the change bus; on another station of the line (the owner down) it raises
the same call at the owner; after a person closed it, a restarted station (a new task and hub over the same
database) raises none while the line stays behind."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from jitdesk.domain.master import CallType, Station, TaktLine
from jitdesk.runtime.bus import ChangeBus
from jitdesk.runtime.takt_routes import follow_andon_link
from jitdesk.services import master
from jitdesk.services.andon.calls import resolve
from jitdesk.services.changes import Changes
from jitdesk.services.hub import ServiceHub
from jitdesk.services.takt.cycles import complete_cycle
from jitdesk.services.uow import transaction
from jitdesk.storage import andon_repo, identity
from jitdesk.storage.database import STATION_ID, open_database
from tests.helpers.takt_plant import at, build_takt_plant

WAIT_S = 10.0  # how long to wait for something that should come; never a speed claim


class CountingHub(ServiceHub):
    """The real hub, counting the calls the task makes (its looks)."""

    looks = 0

    async def run(self, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.looks += 1
        return await super().run(fn, *args, **kwargs)


def _station_db(path: Path, station_code: str) -> tuple[CountingHub, dict[str, str]]:
    db = open_database(path)
    plant = build_takt_plant(db)
    line = plant.lines["L1"]
    with transaction(db, now_ms=lambda: at(5, 30)) as tx:
        ids = {code: master.save_in(tx, Station(code=code, name=code, role="line", line_id=line), actor=None)
               for code in ("L1-A", "L1-B")}
        master.save_in(tx, CallType(code="TAKT", name="Behind takt", color="#FF9100"), actor=None)
        master.save_in(tx, TaktLine(line, andon_takts=3, andon_link=True), actor=None)
        identity.set_setting(tx.session, STATION_ID, ids[station_code])
    for i in range(50):  # 50 made by 07:00 against 60 planned
        complete_cycle(db, line, source="touch", now_ms=at(6, 0, 30) + i * 60_000)
    return CountingHub(db), ids


async def _run(hub: ServiceHub, seen: Callable[[], bool], bus: ChangeBus) -> None:
    task = asyncio.get_running_loop().create_task(
        follow_andon_link(hub, bus, every_s=0.01, clock=lambda: at(7)))
    try:
        async def poll() -> None:
            while not seen():
                await asyncio.sleep(0.01)
        await asyncio.wait_for(poll(), WAIT_S)
    finally:
        task.cancel()


def test_the_owner_station_raises_and_publishes(tmp_path: Path) -> None:
    hub, ids = _station_db(tmp_path / "a.db", "L1-A")
    bus = ChangeBus()
    published: list[Changes] = []
    bus.subscribe(published.append)
    try:
        asyncio.run(_run(hub, lambda: any(c.touches("andon_call") for c in published), bus))
        with hub.db.reading() as session:
            calls = andon_repo.open_calls_at(session, ids["L1-A"])
        assert [c.note for c in calls] == ["takt link: line L1 is 10 cycles behind plan (more than 3)"]
    finally:
        hub.close()


def test_another_station_of_the_line_raises_the_owners_call(tmp_path: Path) -> None:
    hub, ids = _station_db(tmp_path / "b.db", "L1-B")
    bus = ChangeBus()
    published: list[Changes] = []
    bus.subscribe(published.append)
    try:
        asyncio.run(_run(hub, lambda: any(c.touches("andon_call") for c in published), bus))
        with hub.db.reading() as session:
            assert [c.station_id for c in andon_repo.open_calls(session)] == [ids["L1-A"]]
    finally:
        hub.close()


def test_a_restarted_station_raises_no_second_call_for_a_closed_episode(tmp_path: Path) -> None:
    hub, ids = _station_db(tmp_path / "a.db", "L1-A")
    sup, _ = master.save_user(hub.db, actor=None, name="Sam Super", badge="B-5001", role="supervisor", pin="5001")
    published: list[Changes] = []
    bus = ChangeBus()
    bus.subscribe(published.append)
    try:
        asyncio.run(_run(hub, lambda: any(c.touches("andon_call") for c in published), bus))
        with hub.db.reading() as session:
            [call] = andon_repo.open_calls_at(session, ids["L1-A"])
        resolve(hub.db, call.call_id, "instructed", "extra hands sent", actor=sup, now_ms=at(7))
    finally:
        hub.close()
    again = CountingHub(open_database(tmp_path / "a.db"))  # the station restarted
    looks: list[Changes] = []
    bus = ChangeBus()
    bus.subscribe(looks.append)
    try:
        asyncio.run(_run(again, lambda: again.looks >= 3, bus))  # three looks, each with nothing to do
        with again.db.reading() as session:
            assert andon_repo.open_calls(session) == []
        assert not any(looks)
    finally:
        again.close()
