"""The hub relay under limits: batches capped in bytes (a backlog of big events reaches the centre),
a 413 splits the batch, one event too big for the centre alone is refused and kept aside (never
retried for ever), and /v1/health says degraded, with a reason, while the upstream link fails."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from jitdesk.sync.remote import Refused
from jitdesk.sync.server.relay import Relay, byte_batches
from jitdesk.sync.server.store import ServerStore
from tests.helpers.sync_events import envelope
from tests.helpers.sync_server import ServerProcess, free_port, make_token, server_events, wait_until


def test_a_backlog_of_big_events_reaches_the_centre_in_capped_batches(
        tmp_path: Path, start_server: Callable[..., ServerProcess]) -> None:
    centre_db, hub_db = str(tmp_path / "centre.db"), str(tmp_path / "hub.db")
    hub_token = make_token(centre_db, "P1", "hub-1", "hub")
    station = make_token(hub_db, "P1", "line-1")
    hub = start_server(hub_db, ["--upstream", f"http://127.0.0.1:{free_port()}", "--token", hub_token,
                                "--upstream-retry-max", "1"])
    blob = "x" * 20_000
    with httpx.Client(base_url=hub.url, headers={"Authorization": f"Bearer {station}"}, timeout=60) as c:
        for start in range(1, 301, 50):
            batch = [envelope("d1", i, payload={"blob": blob}) for i in range(start, start + 50)]
            assert c.post("/v1/events", json={"events": batch}).status_code == 200
    health = httpx.get(hub.url + "/v1/health", timeout=10).json()
    assert health["status"] == "degraded" and health["upstream"]["message"]
    assert "retrying later" not in health["upstream"]["message"]
    hub.stop()
    centre = start_server(centre_db)
    hub.extra[1] = centre.url
    hub.start()
    wait_until(lambda: len(server_events(centre_db, "P1")) == 300, "the centre got the whole backlog", 90)
    wait_until(lambda: httpx.get(hub.url + "/v1/health", timeout=10).json()["status"] == "ok", "health ok")


class FakeUpstream:
    """Answers 413 above `limit` events per batch, and for any event with a 'huge' payload."""

    def __init__(self, limit: int) -> None:
        self.limit, self.stored, self.calls = limit, [], 0

    async def push(self, batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
        self.calls += 1
        if len(batch) > self.limit or any("huge" in e["payload"] for e in batch):
            raise Refused(413, "batch larger than the server takes")
        self.stored.extend(e["event_id"] for e in batch)
        return [{"event_id": e["event_id"], "status": "accepted"} for e in batch]


def test_a_413_splits_the_batch_and_a_lone_giant_is_kept_aside(tmp_path: Path) -> None:
    store = ServerStore(str(tmp_path / "hub.db"))
    try:
        relay = Relay(store, "http://127.0.0.1:1", "jdt_x")
        batch = [envelope("d1", i) for i in range(1, 10)]
        batch[4]["payload"] = {"huge": True}
        upstream = FakeUpstream(limit=3)
        asyncio.run(relay._send(upstream, batch))  # type: ignore[arg-type]
        assert sorted(upstream.stored) == sorted(e["event_id"] for i, e in enumerate(batch) if i != 4)
        rejects = store.relay_rejects()
        assert [e for e, _ in rejects] == [batch[4]["event_id"]] and "too large" in rejects[0][1]
    finally:
        store.close()


def test_byte_batches_respect_the_cap() -> None:
    rows = [envelope("d1", i, payload={"b": "y" * 1000}) for i in range(1, 50)]
    batches = byte_batches(rows, 10_000)
    assert sum(len(b) for b in batches) == 49 and all(2 <= len(b) <= 10 for b in batches)
    assert byte_batches([envelope("d1", 1, payload={"b": "z" * 50_000})], 10_000)[0][0]["device_seq"] == 1
