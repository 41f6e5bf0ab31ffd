"""The serial stack light through a real pseudo-terminal, including the port vanishing and coming back,
and the light driven by the station's andon state as calls are raised, claimed and resolved."""

from __future__ import annotations

import asyncio
import os
import select
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from jitdesk.devices.stack_light import SerialStackLight, SimulatedLight, frame
from jitdesk.domain.andon.derived import CLEAR, LightState
from jitdesk.runtime.andon_lights import LightDriver
from jitdesk.runtime.bus import ChangeBus
from jitdesk.services.andon.calls import acknowledge, raise_call, resolve
from jitdesk.services.hub import ServiceHub
from jitdesk.storage.database import Database
from tests.helpers.andon_fixtures import AndonPlant
from tests.helpers.pty_port import Pty

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs POSIX pseudo-terminals")

WAIT_S = 10.0  # how long to wait for something that should come; never a speed claim


def wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def read_line(pty: Pty) -> str:
    data = b""
    deadline = time.monotonic() + WAIT_S
    while not data.endswith(b"\n"):
        assert time.monotonic() < deadline, f"no line from the light, got {data!r}"
        ready, _, _ = select.select([pty.master], [], [], 0.1)
        if ready:
            data += os.read(pty.master, 1)
    return data.decode("ascii")


def test_protocol_lines() -> None:
    assert frame(CLEAR) == b"L GREEN STEADY QUIET\n"
    assert frame(LightState("red", True, True)) == b"L RED FLASH BUZZ\n"
    assert frame(LightState("amber", False, False)) == b"L AMBER STEADY QUIET\n"


def test_a_light_that_vanishes_reconnects_without_blocking(tmp_path: Path) -> None:
    link = tmp_path / "ttyUSB-light"
    first = Pty()
    link.symlink_to(first.path)
    statuses: list[str] = []
    light = SerialStackLight(str(link), keepalive_s=30, retry_initial_s=0.05, retry_max_s=0.2,
                             on_status=lambda s: statuses.append(s.state))
    light.show(LightState("amber", True, False))
    light.start()
    second: Pty | None = None
    try:
        assert read_line(first) == "L AMBER FLASH QUIET\n"
        first.close()  # unplugged
        link.unlink()
        light.show(LightState("red", True, True))  # returns at once: the newest state waits for the light
        wait_for(lambda: statuses[-1:] == ["disconnected"])
        light.show(LightState("red", False, False))
        second = Pty()
        link.symlink_to(second.path)  # plugged in again
        assert read_line(second) == "L RED STEADY QUIET\n"
        assert statuses == ["connected", "disconnected", "connected"]
    finally:
        light.close()
        if second is not None:
            assert read_line(second) == "L OFF STEADY QUIET\n"  # let go: every lamp off
            second.close()
        first.close()


def test_the_light_follows_the_station_andon_state(andon_plant: AndonPlant) -> None:
    db = andon_plant.db
    assert isinstance(db, Database)
    hub = ServiceHub(db)
    light = SimulatedLight()
    users = andon_plant.users

    async def scenario() -> None:
        bus = ChangeBus()
        driver = LightDriver(hub, bus, light)

        async def settle() -> None:
            while driver.pending:
                await asyncio.sleep(0.01)

        await driver.start()
        assert light.state == CLEAR
        outcome = await hub.run(raise_call, andon_plant.types["MAINT"], source="button")
        bus.publish(outcome.changes)
        await asyncio.sleep(0)
        await settle()
        assert light.state == LightState("red", True, True)  # a line-stopping call nobody claimed yet
        assert outcome.call_id is not None
        claimed = await hub.run(acknowledge, outcome.call_id, actor=users["B-1005"])
        bus.publish(claimed.changes)
        await asyncio.sleep(0)
        await settle()
        assert light.state == LightState("red", False, False)  # claimed: steady, quiet
        done = await hub.run(resolve, outcome.call_id, "fixed", actor=users["B-1005"])
        bus.publish(done.changes)
        await asyncio.sleep(0)
        await settle()
        assert light.state == CLEAR
        driver.close()

    try:
        asyncio.run(scenario())
    finally:
        hub.worker.shutdown()
    assert light.state.colour == "off"  # closing the driver lets go of the light
