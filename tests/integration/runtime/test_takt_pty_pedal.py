"""Cycles from real inputs with no Qt: a foot pedal on a pseudo-terminal serial port (pyserial on the
slave, run by the device manager), and a cycle barcode through the scan router. Each press or scan is
one `takt.cycle.completed` event; a bounce within the double window is answered and not counted."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from jitdesk.devices.pedal import PEDAL, PedalDevice, presses
from jitdesk.runtime.station import Runtime
from jitdesk.services.hub import ServiceHub
from jitdesk.services.takt.cycles import CycleOutcome
from jitdesk.storage.database import open_database
from jitdesk.storage.projections import raw
from tests.helpers.pty_port import Pty
from tests.helpers.takt_plant import TaktPlant, build_takt_plant
from tests.helpers.waiting import until

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs POSIX pseudo-terminals")

@pytest.fixture
def station(tmp_path: Path) -> Iterator[tuple[ServiceHub, TaktPlant]]:
    db = open_database(tmp_path / "pedal.db")
    plant = build_takt_plant(db)
    hub = ServiceHub(db)
    yield hub, plant
    hub.close()


def cycles(plant: TaktPlant) -> list[tuple[str, str]]:
    with plant.db.reading() as session:
        rows = raw(session).execute('SELECT line_id, source FROM takt_cycle ORDER BY at_ms').fetchall()
    return [(r[0], r[1]) for r in rows]


def test_line_ends_make_presses() -> None:
    buffer = bytearray()
    assert presses(buffer, b"1\r\n1\n") == 2
    assert presses(buffer, b"P") == 0 and presses(buffer, b"\r") == 1
    assert presses(buffer, b"\r\n\n") == 0


def test_pedal_presses_on_a_pty_complete_cycles(station: tuple[ServiceHub, TaktPlant], tmp_path: Path) -> None:
    hub, plant = station
    link = tmp_path / "ttyUSB1"
    port = Pty()
    link.symlink_to(port.path)
    line = plant.lines["L1"]

    async def scenario() -> list[CycleOutcome]:
        runtime = Runtime(hub)
        answers: list[CycleOutcome] = []
        runtime.takt.subscribe(answers.append)
        runtime.devices.start(PEDAL, PedalDevice(str(link), lambda: runtime.takt.complete(line, "serial"),
                                                 retry_s=0.05))
        try:
            await until(lambda: getattr(runtime.devices.status(PEDAL), "state", "") == "connecting")
            await asyncio.sleep(0.3)  # the reader thread opens the port
            port.write(b"1\r\n")
            await until(lambda: len(answers) == 1)
            port.write(b"1\r\n")  # a bounce: at once again
            await until(lambda: len(answers) == 2)
            await asyncio.sleep(1.6)  # past the double window (DOUBLE_MS)
            port.write(b"1\n")
            await until(lambda: len(answers) == 3)
        finally:
            runtime.close()
        return answers

    try:
        answers = asyncio.run(scenario())
    finally:
        port.close()
    assert [a.recorded for a in answers] == [True, False, True]
    assert answers[1].note.code == "takt.double"
    assert cycles(plant) == [(line, "serial"), (line, "serial")]


def test_a_cycle_barcode_goes_through_the_scan_router(station: tuple[ServiceHub, TaktPlant]) -> None:
    hub, plant = station

    async def scenario() -> CycleOutcome | None:
        runtime = Runtime(hub)
        runtime.router.route("TAKT:L2", "wedge")
        await until(lambda: runtime.takt.last is not None and runtime.takt.pending == 0)
        runtime.close()
        return runtime.takt.last

    outcome = asyncio.run(scenario())
    assert outcome is not None and outcome.recorded
    assert cycles(plant) == [(plant.lines["L2"], "scan")]
