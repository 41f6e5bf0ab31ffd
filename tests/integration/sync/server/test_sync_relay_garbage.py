"""The hub relay against a real centre behind a garbage-answering HTTP server, and with a planted bug:
malformed envelopes from upstream are quarantined on the hub with their text while the good ones are
stored and the upstream cursor passes them; a garbled answer is shown in /v1/health as offline with
the reason; a relay that crashes is restarted by its supervisor and /v1/health says "restarting",
never online, meanwhile."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from jitdesk.domain.master import Part
from jitdesk.runtime.supervise import Supervisor
from jitdesk.services import master
from jitdesk.sync import wire
from jitdesk.sync.remote import Remote
from jitdesk.sync.server.api import Wakeups, create_app
from jitdesk.sync.server.relay import CURSOR, Relay
from jitdesk.sync.server.store import ServerStore
from tests.helpers.garbagehttp import GarbageServer
from tests.helpers.sync_server import ServerProcess, free_port, make_token, server_events, sync_once, wait_until


def health(url: str) -> dict[str, Any]:
    return dict(httpx.get(url + "/v1/health", timeout=10).json())


def hub_store(db: str) -> ServerStore:
    return ServerStore(db, migrate=False)


def test_relay_quarantines_malformed_upstream_envelopes_and_reports_garbled_answers(
        sqlite_server_db: str, tmp_path: Path, start_server: Callable[..., ServerProcess],
        stations: Callable[[str], Any]) -> None:
    centre_db, hub_db = sqlite_server_db, str(tmp_path / "hub.db")
    centre = start_server(centre_db)
    hub_token = make_token(centre_db, "P1", "plant-1-hub", "hub")
    office = stations("office")
    t_office = make_token(centre_db, "P1", "corporate-admin", "admin")
    for i in range(6):
        master.save(office, Part(f"P-{i}", f"part {i}"), actor=None)
    sync_once(office, centre.url, t_office)
    good = server_events(centre_db)
    bad_items: list[Any] = [
        "not an event at all",
        {**good[0], "device_seq": "one"},
        {k: v for k, v in good[1].items() if k != "payload"},
    ]
    with GarbageServer(centre.url) as garbage:
        garbage.set("bad-page", items=bad_items)
        hub = start_server(hub_db, ["--upstream", garbage.url, "--token", hub_token, "--upstream-retry-max", "0.3"])
        wait_until(lambda: len(server_events(hub_db, "P1")) == len(good), "the hub stored every good event")
        assert garbage.injected == len(bad_items)
        store = hub_store(hub_db)
        try:
            held = store.unreadable_upstream()
            assert sorted(h["raw"] for h in held) == sorted(wire.raw_text(i) for i in bad_items)
            assert all(h["reason"].startswith("not a readable event: ") for h in held)
            assert int(store.get_meta(CURSOR) or 0) == max(e["server_seq"] for e in good)
        finally:
            store.close()
        assert sorted(e["event_id"] for e in server_events(hub_db)) == sorted(e["event_id"] for e in good)
        wait_until(lambda: health(hub.url)["upstream"]["online"], "the hub says it is online")
        up = health(hub.url)["upstream"]
        assert (up["state"], up["unreadable"]) == ("running", len(bad_items))
        assert [t["name"] for t in health(hub.url)["tasks"]] == ["relay"]

        # The link starts answering garbage: the relay keeps running and /v1/health says why.
        garbage.set("bad-gzip")
        master.save(office, Part("P-new", "wakes the long poll"), actor=None)
        sync_once(office, centre.url, t_office)
        wait_until(lambda: not health(hub.url)["upstream"]["online"], "the hub says it is offline")
        up = health(hub.url)["upstream"]
        assert up["state"] == "running" and "could not be decoded" in up["message"]
        garbage.set("pass")
        wait_until(lambda: len(server_events(hub_db, "P1")) == len(good) + 1, "the hub caught up")
        wait_until(lambda: health(hub.url)["upstream"]["online"], "online again")


@pytest.fixture
def in_process_hub(tmp_path: Path) -> Iterator[Callable[..., str]]:
    """A hub's API served by a real uvicorn in this process, so a relay with a planted bug can run."""
    import uvicorn

    started: list[tuple[uvicorn.Server, threading.Thread, ServerStore]] = []

    def _start(relay_factory: Callable[[ServerStore], Relay], supervisor: Supervisor) -> str:
        store = ServerStore(str(tmp_path / "hub.db"))
        relay = relay_factory(store)
        app = create_app(store, background=relay.run, supervisor=supervisor)
        app.state.relay = relay
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                               log_config=None, timeout_graceful_shutdown=2))
        thread = threading.Thread(target=server.run, name="hub-uvicorn", daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{port}"

        def up() -> bool:
            try:
                return httpx.get(url + "/v1/health", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(up, "the in-process hub answers")
        started.append((server, thread, store))
        return url

    yield _start
    for server, thread, store in started:
        server.should_exit = True
        thread.join(30)
        store.close()


def test_a_crashing_relay_is_restarted_and_health_never_says_online_meanwhile(
        sqlite_server_db: str, start_server: Callable[..., ServerProcess], stations: Callable[[str], Any],
        in_process_hub: Callable[..., str], tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    centre = start_server(sqlite_server_db)
    hub_token = make_token(sqlite_server_db, "P1", "plant-1-hub", "hub")
    office = stations("office")
    t_office = make_token(sqlite_server_db, "P1", "corporate-admin", "admin")
    master.save(office, Part("P-1", "Bolt"), actor=None)
    sync_once(office, centre.url, t_office)

    class Buggy(Relay):
        """The real relay with a bug planted in its first three pulls."""

        bugs = 3

        async def _puller(self, remote: Remote, wakeups: Wakeups) -> None:
            await asyncio.sleep(0.2)  # online for a moment first, as a real relay would be
            if self.bugs:
                self.bugs -= 1
                raise KeyError("planted relay bug")
            await super()._puller(remote, wakeups)

    supervisor = Supervisor(backoff_initial_s=0.3, backoff_max_s=0.3)
    hub = in_process_hub(lambda store: Buggy(store, centre.url, hub_token, long_poll_s=1.0), supervisor)
    seen: list[dict[str, Any]] = []

    def restarting() -> bool:
        up = health(hub)["upstream"]
        seen.append(up)
        return bool(up["state"] == "restarting")

    wait_until(restarting, "health shows the relay restarting")
    up = seen[-1]
    assert up["online"] is False
    assert "the relay stopped: unexpected error (KeyError: 'planted relay bug'); see the log" in up["message"]
    relay_task = next(t for t in health(hub)["tasks"] if t["name"] == "relay")
    assert relay_task["state"] in ("restarting", "starting", "running")

    def healed() -> bool:
        answer = health(hub)
        seen.append(answer["upstream"])
        task = next(t for t in answer["tasks"] if t["name"] == "relay")
        return bool(task["restarts"] == 3 and answer["upstream"]["online"])

    wait_until(healed, "the relay runs again after three restarts")
    assert all(not u["online"] for u in seen if u["state"] != "running")
    hub_db = str(tmp_path / "hub.db")  # where in_process_hub keeps it
    wait_until(lambda: [e["event_id"] for e in server_events(hub_db)]
               == [e["event_id"] for e in server_events(sqlite_server_db)], "the hub holds the centre's event")
    errors = [r for r in caplog.records if r.name == "jitdesk.tasks" and r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info is not None
