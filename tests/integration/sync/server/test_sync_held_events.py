"""An admin holds a stored event back (`jitdesk server events quarantine`): every pull skips it with
the reason, stations keep the reason where people see it, and a hub pulling from that server holds
the event too, so the hub's own stations skip it as well."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from jitdesk.services import quarantine
from tests.helpers.sync_events import envelope
from tests.helpers.sync_server import ServerProcess, make_token, server_events, sync_once, wait_until


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jitdesk", "server", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=60)


def test_a_held_event_is_skipped_by_every_copy(tmp_path: Path, start_server: Callable[..., ServerProcess],
                                               stations: Callable[[str], Any]) -> None:
    centre_db, hub_db = str(tmp_path / "centre.db"), str(tmp_path / "hub.db")
    direct = make_token(centre_db, "P1", "direct-station")
    hub_token = make_token(centre_db, "P1", "hub-1", "hub")
    centre = start_server(centre_db)
    poisoned = envelope("direct", 1, payload={"note": "bad"})
    good = envelope("direct", 2)
    with httpx.Client(base_url=centre.url, headers={"Authorization": f"Bearer {direct}"}, timeout=30) as c:
        assert c.post("/v1/events", json={"events": [poisoned, good]}).status_code == 200
    done = _cli("events", "quarantine", poisoned["event_id"], "--reason", "poisoned by a test", "--db", centre_db,
                cwd=tmp_path)
    assert done.returncode == 0 and "1 event(s) quarantined" in done.stdout
    assert _cli("events", "quarantine", "no-such-id", "--reason", "x", "--db", centre_db,
                cwd=tmp_path).returncode == 2
    listed = _cli("events", "held", "--db", centre_db, cwd=tmp_path).stdout
    assert poisoned["event_id"] in listed and "poisoned by a test" in listed

    hub = start_server(hub_db, ["--upstream", centre.url, "--token", hub_token, "--upstream-retry-max", "1"])
    wait_until(lambda: {e["event_id"] for e in server_events(hub_db, "P1")} >= {good["event_id"]},
               "the hub pulled the good event")
    line = stations("line")
    sync_once(line, hub.url, make_token(hub_db, "P1", "line-1"))
    skipped = quarantine.unreadable(line)
    # The hub never stored it, so its stations never see it at all; the hub holds it with the reason.
    assert poisoned["event_id"] not in {e["event_id"] for e in server_events(hub_db, "P1")}
    held = _cli("events", "held", "--db", hub_db, cwd=tmp_path).stdout
    assert poisoned["event_id"] in held and "poisoned by a test" in held
    assert all(poisoned["event_id"] != s.event_id for s in skipped)
    # A station pulling straight from the centre keeps the reason where people see it.
    office = stations("office")
    sync_once(office, centre.url, make_token(centre_db, "P1", "office"))
    reasons = {s.event_id: s.reason for s in quarantine.unreadable(office)}
    assert "poisoned by a test" in reasons[poisoned["event_id"]]
