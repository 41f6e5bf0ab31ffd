"""Two stations and a plant hub, the hub cut from the centre for a simulated three days, then healed:
every copy ends with the same events and the same projections. Master data from the centre reaches
the stations through the hub."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from jitdesk.domain.master import Part
from jitdesk.services import master
from tests.helpers.faultproxy import FaultProxy
from tests.helpers.sync_events import note
from tests.helpers.sync_server import (
    ServerProcess,
    log_digest,
    make_token,
    projections_digest,
    server_events,
    sync_once,
    wait_until,
)

DAY_MS = 24 * 3600 * 1000


def test_hub_cut_from_the_centre_for_three_days(
        server_db: str, tmp_path: Path, start_server: Callable[..., ServerProcess],
        stations: Callable[[str], Any]) -> None:
    centre_db, hub_db = server_db, str(tmp_path / "hub.db")
    centre = start_server(centre_db)
    hub_token = make_token(centre_db, "P1", "plant-1-hub", "hub")
    office_token = make_token(centre_db, "P1", "corporate-admin", "admin")
    with FaultProxy(centre.port) as proxy:
        hub = start_server(hub_db, ["--upstream", f"http://127.0.0.1:{proxy.port}", "--token", hub_token,
                                    "--upstream-retry-max", "1"])
        s1, s2, office = stations("s1"), stations("s2"), stations("office")
        t1, t2 = make_token(hub_db, "P1", "line-1"), make_token(hub_db, "P1", "market")
        plant_admin = stations("plant-admin")
        t_admin = make_token(hub_db, "P1", "plant-office", "admin")

        # Master data from the centre reaches every station of the plant through the hub.
        part_id, _ = master.save(office, Part("P-1", "Bolt"), actor=None)
        sync_once(office, centre.url, office_token)
        wait_until(lambda: len(server_events(hub_db, "P1")) == 1, "the hub pulled the centre's part")
        sync_once(s1, hub.url, t1)
        assert [p.value.number for p in master.records(s1, Part)] == ["P-1"]

        # Cut the hub off; three days of plant work go on, stations still see each other.
        proxy.set("drop")
        start = time.time_ns() // 1_000_000
        for day in range(3):
            def clock(day: int = day) -> int:
                return time.time_ns() // 1_000_000 + day * DAY_MS

            for i in range(5):
                note(s1, f"day {day} line {i}", now_ms=clock)
                note(s2, f"day {day} market {i}", now_ms=clock)
            master.save(plant_admin, Part(f"L-{day}", f"local part {day}"), actor=None, now_ms=clock)
            master.save(office, Part(f"C-{day}", f"central part {day}"), actor=None, now_ms=clock)
            for db, token in ((s1, t1), (s2, t2), (plant_admin, t_admin)):
                sync_once(db, hub.url, token)
            sync_once(office, centre.url, office_token)
        sync_once(s1, hub.url, t1)
        assert len(log_digest(s1)) == 1 + 30 + 3  # the plant kept working together
        assert len(server_events(centre_db, "P1")) == 1 + 3
        assert time.time_ns() // 1_000_000 - start < DAY_MS

        health = httpx.get(hub.url + "/v1/health", timeout=10).json()
        assert health["upstream"]["online"] is False and health["upstream"]["message"]
        proxy.set("pass")
        total = 1 + 30 + 3 + 3
        wait_until(lambda: len(server_events(centre_db, "P1")) == total, "the centre caught up", 60)
        wait_until(lambda: len(server_events(hub_db, "P1")) == total, "the hub caught up", 60)
        for db, url, token in ((s1, hub.url, t1), (s2, hub.url, t2), (plant_admin, hub.url, t_admin),
                               (office, centre.url, office_token)):
            sync_once(db, url, token)
        copies = [s1, s2, plant_admin, office]
        assert all(log_digest(c) == log_digest(s1) for c in copies)
        assert len(log_digest(s1)) == total
        assert all(projections_digest(c) == projections_digest(s1) for c in copies)
        ids = lambda db: sorted(e["event_id"] for e in server_events(db, "P1"))  # noqa: E731
        assert ids(centre_db) == ids(hub_db) == sorted(e[0] for e in log_digest(s1))
        assert master.get(s2, Part, part_id).number == "P-1"
