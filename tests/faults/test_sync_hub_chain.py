"""The whole hub chain under faults: stations -> plant hub -> corporate, real server processes, a
fault proxy on both links, kill -9 of the hub mid-run, one station whose clock runs 5 hours fast, and
poisoned pushes (a lone surrogate, raw surrogate bytes, absurd nesting). Once the links heal, every
event is on both servers exactly once, nothing poisoned is anywhere, every station has the same log
and projections, and the honest stations' clocks were not dragged 5 hours ahead."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from jitdesk.domain.clock import MAX_AHEAD_MS, physical_ms
from jitdesk.domain.errors import KnownError
from jitdesk.domain.master import Part
from jitdesk.services import master, sync_apply
from jitdesk.services.uow import transaction
from jitdesk.storage import eventlog
from tests.faults.test_sync_faults import many_notes
from tests.helpers.faultproxy import FaultProxy
from tests.helpers.sync_events import NOTE, envelope
from tests.helpers.sync_server import (
    ServerProcess,
    log_digest,
    make_token,
    projections_digest,
    server_events,
    sync_once,
    wait_until,
)

FIVE_HOURS_MS = 5 * 3600 * 1000
FAULTS: list[tuple[str, dict[str, Any]]] = [("pass", {}), ("cut", {"n": 4000}), ("reset", {}), ("drop", {}),
                                            ("slow", {"delay": 0.01, "chunk": 2048})]


def _try_sync(db: Any, url: str, token: str, **kw: Any) -> bool:
    try:
        sync_once(db, url, token, **kw)
        return True
    except KnownError:
        return False


def _poison(url: str, token: str) -> None:
    deep: dict[str, Any] = {"x": 1}
    for _ in range(200):
        deep = {"n": deep}
    batch = [envelope("poison", 1, plant="P1", payload={"name": "S\ud800"}),
             envelope("poison", 2, plant="P1", payload={"\udfff": 1}),
             envelope("poison", 3, plant="P1", payload=deep),
             envelope("poison", 4, plant="P1", payload={"name": "RAW"})]
    body = json.dumps({"events": batch}).encode().replace(b'"RAW"', b'"S\xed\xa0\x80"')
    answer = httpx.post(url + "/v1/events", content=body, timeout=30,
                        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    assert answer.status_code == 200
    assert [r["status"] for r in answer.json()["results"]] == ["rejected"] * 4


@pytest.mark.slow
def test_the_hub_chain_converges_under_faults(server_db: str, tmp_path: Path,
                                              start_server: Callable[..., ServerProcess],
                                              stations: Callable[[str], Any]) -> None:
    centre_db, hub_db = server_db, str(tmp_path / "hub.db")
    centre = start_server(centre_db)
    hub_token = make_token(centre_db, "P1", "hub-1", "hub")
    with FaultProxy(centre.port) as up:
        hub = start_server(hub_db, ["--upstream", f"http://127.0.0.1:{up.port}", "--token", hub_token,
                                    "--upstream-retry-max", "0.5"])
        with FaultProxy(hub.port) as down:
            link = f"http://127.0.0.1:{down.port}"
            names = ("line-1", "line-2", "skewed")
            dbs = {n: stations(n) for n in names}
            tokens = {n: make_token(hub_db, "P1", n) for n in names}
            office = stations("office")
            office_token = make_token(hub_db, "P1", "office", "admin")
            poisoner = make_token(hub_db, "P1", "poisoner")

            def skewed_clock() -> int:
                return time.time_ns() // 1_000_000 + FIVE_HOURS_MS

            for round_ in range(5):
                down_mode, down_opts = FAULTS[round_ % len(FAULTS)]
                up_mode, up_opts = FAULTS[(round_ + 2) % len(FAULTS)]
                down.set(down_mode, **down_opts)
                up.set(up_mode, **up_opts)
                for name, db in dbs.items():
                    if name == "skewed":
                        with transaction(db, now_ms=skewed_clock) as tx:
                            for i in range(8):
                                tx.append(NOTE, f"n-{i % 5}", {"text": f"skewed {round_} {i}"})
                        _try_sync(db, link, tokens[name], clock_ms=skewed_clock)
                    else:
                        many_notes(db, 8, f"{name} {round_}")
                        _try_sync(db, link, tokens[name])
                master.save(office, Part(f"P-{round_}", f"part {round_}"), actor=None)
                _try_sync(office, link, office_token)
                if round_ == 1:
                    _poison(hub.url, poisoner)
                if round_ == 2:
                    hub.kill9()
                    hub.start()

            down.set("pass")
            up.set("pass")
            everyone = [*dbs.values(), office]
            every_token = [*tokens.values(), office_token]

            def settled() -> bool:
                for db, token in zip(everyone, every_token, strict=True):
                    extra = {"clock_ms": skewed_clock} if db is dbs["skewed"] else {}
                    if not _try_sync(db, link, token, **extra):
                        return False
                total = {e[0] for db in everyone for e in log_digest(db)}
                return (all(sync_apply.counts(db) == (0, 0) for db in everyone)
                        and {e["event_id"] for e in server_events(centre_db, "P1")} == total
                        and {e["event_id"] for e in server_events(hub_db, "P1")} == total
                        and all({e[0] for e in log_digest(db)} == total for db in everyone))

            wait_until(settled, "the chain converged", 120)

    for db_url in (centre_db, hub_db):
        ids = [e["event_id"] for e in server_events(db_url, "P1")]
        assert len(ids) == len(set(ids)), "an event is stored twice"
        assert not [e for e in server_events(db_url, "P1") if e["device_id"] == "poison"]
    logs = [log_digest(db) for db in everyone]
    assert all(log == logs[0] for log in logs)
    views = [projections_digest(db) for db in everyone]
    assert all(v == views[0] for v in views)
    assert sorted(p.value.number for p in master.records(dbs["line-1"], Part)) == [f"P-{i}" for i in range(5)]
    # The honest stations' own events were never stamped hours ahead by the skewed one's clock.
    with dbs["line-1"].reading() as session:
        own = [e for e in eventlog.iter_all(session) if e.device_id == dbs["line-1"].device_id]
    for event in own:
        wall = int(datetime.fromisoformat(event.wall_time.replace("Z", "+00:00")).timestamp() * 1000)
        assert physical_ms(event.hlc) - wall <= MAX_AHEAD_MS + 2000

