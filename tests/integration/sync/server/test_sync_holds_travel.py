"""Two things a hub passes on that a page of events alone did not carry: a hold decided at the centre
after the hub had pulled the event, and whose own token a device relayed by the hub is."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from jitdesk.services import quarantine
from jitdesk.sync import wire
from jitdesk.sync.server.store import ServerStore
from tests.helpers.sync_events import envelope
from tests.helpers.sync_server import ServerProcess, make_token, server_events, sync_once, wait_until


@pytest.fixture
def store(server_db: str) -> Iterator[ServerStore]:
    s = ServerStore(server_db)
    yield s
    s.close()


def _held(db: str) -> dict[str, str]:
    s = ServerStore(db, migrate=False)
    try:
        return {h["event_id"]: h["reason"] for h in s.held()}
    finally:
        s.close()


def test_a_device_named_by_its_hub_may_push_on_its_own_token(store: ServerStore) -> None:
    hub = store.authenticate(store.create_token("P1", "hub-a", "hub")[1])
    own = store.authenticate(store.create_token("P1", "st1", "station")[1])
    other = store.authenticate(store.create_token("P1", "st2", "station")[1])
    assert store.push(hub, [envelope("behind-hub", 1)], names={"behind-hub": "st1"})[0]["status"] == wire.ACCEPTED
    assert store.push(own, [envelope("behind-hub", 2)])[0]["status"] == wire.ACCEPTED
    refused = store.push(other, [envelope("behind-hub", 3)])[0]
    assert refused["status"] == wire.REJECTED and "relayed by hub 'hub-a'" in refused["reason"]
    # The hub keeps relaying it; a name given later does not replace the first.
    assert store.push(hub, [envelope("behind-hub", 4)], names={"behind-hub": "st2"})[0]["status"] == wire.ACCEPTED
    assert store.push(other, [envelope("behind-hub", 5)])[0]["status"] == wire.REJECTED
    # A device the hub gave no name for stays bound to the hub alone.
    assert store.push(hub, [envelope("nameless", 1)])[0]["status"] == wire.ACCEPTED
    assert store.push(own, [envelope("nameless", 2)])[0]["status"] == wire.REJECTED


def test_only_a_hub_names_devices(tmp_path: Path, start_server: Callable[..., ServerProcess]) -> None:
    db = str(tmp_path / "centre.db")
    token = make_token(db, "P1", "st1")
    centre = start_server(db)
    with httpx.Client(base_url=centre.url, headers={"Authorization": f"Bearer {token}"}, timeout=30) as c:
        answer = c.post("/v1/events", json={"events": [envelope("d", 1)], "devices": {"d": "st9"}})
        assert answer.status_code == 403 and "hub" in answer.json()["detail"]
    assert server_events(db) == []


def test_a_hold_reaches_a_hub_that_already_pulled_the_event(
        tmp_path: Path, start_server: Callable[..., ServerProcess], stations: Callable[[str], Any]) -> None:
    centre_db, hub_db = str(tmp_path / "centre.db"), str(tmp_path / "hub.db")
    hub_token = make_token(centre_db, "P1", "hub-1", "hub")
    line_at_centre = make_token(centre_db, "P1", "line-1")
    centre = start_server(centre_db)
    hub = start_server(hub_db, ["--upstream", centre.url, "--token", hub_token, "--upstream-retry-max", "1"])
    device_id = "line-1-device"  # bound at the hub to the token of line-1
    relayed = envelope(device_id, 1, payload={"note": "decided bad later"})
    with httpx.Client(base_url=hub.url, headers={"Authorization": f"Bearer {make_token(hub_db, 'P1', 'line-1')}"},
                      timeout=30) as c:
        assert c.post("/v1/events", json={"events": [relayed]}).json()["results"][0]["status"] == wire.ACCEPTED
    wait_until(lambda: relayed["event_id"] in {e["event_id"] for e in server_events(centre_db, "P1")},
               "the hub relayed the event to the centre")
    # The hub named the device: its own token at the centre may now push for it directly.
    with httpx.Client(base_url=centre.url, headers={"Authorization": f"Bearer {line_at_centre}"}, timeout=30) as c:
        own = c.post("/v1/events", json={"events": [envelope(device_id, 2)]}).json()["results"][0]
        assert own["status"] == wire.ACCEPTED, own

    done = subprocess.run([sys.executable, "-m", "jitdesk", "server", "events", "quarantine", relayed["event_id"],
                           "--reason", "poisoned, decided late", "--db", centre_db], capture_output=True, text=True,
                          cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    wait_until(lambda: relayed["event_id"] in _held(hub_db), "the hold reached the hub")
    assert "poisoned, decided late" in _held(hub_db)[relayed["event_id"]]
    # The hub serves it as skipped from now on: a new station of the plant sees the reason, not the event.
    office = stations("office")
    sync_once(office, hub.url, make_token(hub_db, "P1", "office"))
    reasons = {s.event_id: s.reason for s in quarantine.unreadable(office)}
    assert "poisoned, decided late" in reasons[relayed["event_id"]]
