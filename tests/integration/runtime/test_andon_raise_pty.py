"""Raising andon calls without the screen: a call card scanned through the scan router, and a physical
andon button box on its own serial line (a real pseudo-terminal read by pyserial) sending the same code."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from jitdesk.devices.framing import ScannerConfig
from jitdesk.devices.scanners import SerialScannerDevice
from jitdesk.runtime.scan_router import Routed
from jitdesk.runtime.station import Runtime
from jitdesk.services.andon.calls import RaiseOutcome
from jitdesk.services.hub import ServiceHub
from jitdesk.storage import andon_repo
from jitdesk.storage.database import Database
from tests.helpers.andon_fixtures import AndonPlant
from tests.helpers.pty_port import Pty
from tests.helpers.waiting import until

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs POSIX pseudo-terminals")

def _open_types(db: Database, station: str, types: dict[str, str]) -> list[str]:
    names = {v: k for k, v in types.items()}
    with db.reading() as session:
        return [names[c.call_type_id] for c in andon_repo.open_calls_at(session, station)]


def test_a_scanned_call_card_raises_the_call_here(andon_plant: AndonPlant) -> None:
    assert isinstance(andon_plant.db, Database)
    hub = ServiceHub(andon_plant.db)

    async def scenario() -> list[RaiseOutcome]:
        runtime = Runtime(hub)
        answers: list[RaiseOutcome] = []
        routed: list[Routed] = []
        runtime.andon.subscribe(answers.append)
        runtime.router.subscribe(routed.append)
        runtime.router.route("AC-MAINT", "wedge")
        runtime.router.route("ac-maint", "wedge")  # pressed twice: the open call is shown
        runtime.router.route("AC-NOSUCH", "wedge")
        await until(lambda: len(answers) == 3)
        assert [r.to for r in routed] == ["andon", "andon", "andon"]
        return answers

    answers = asyncio.run(scenario())
    try:
        assert answers[0].ok and answers[0].words == "Maintenance call raised at station L1-S2"
        assert not answers[1].ok and answers[1].open_call_id == answers[0].call_id
        assert not answers[2].ok and answers[2].note.code == "andon.type_unknown"
        assert _open_types(andon_plant.db, andon_plant.stations["L1-S2"], andon_plant.types) == ["MAINT"]
    finally:
        hub.worker.shutdown()


def test_a_serial_andon_button_raises_calls(andon_plant: AndonPlant, tmp_path: Path) -> None:
    assert isinstance(andon_plant.db, Database)
    hub = ServiceHub(andon_plant.db)
    link = tmp_path / "ttyACM0"
    port = Pty()
    link.symlink_to(port.path)

    async def scenario() -> list[RaiseOutcome]:
        runtime = Runtime(hub)
        answers: list[RaiseOutcome] = []
        runtime.andon.subscribe(answers.append)
        device = SerialScannerDevice(ScannerConfig(port=str(link), terminator=b"\n"), runtime.router.route,
                                     runtime.kanban.record_unreadable, retry_initial_s=0.05, retry_max_s=0.2)
        runtime.devices.start("andon_button", device)
        try:
            await until(lambda: getattr(runtime.devices.status("andon_button"), "state", "") == "connected")
            port.write(b"AC-SAFE\nAC-MAT\n")  # the box's safety cord, then its material button
            await until(lambda: len(answers) == 2)
        finally:
            await asyncio.gather(*runtime.devices.stop_all())
        return answers

    try:
        answers = asyncio.run(scenario())
        assert all(a.ok for a in answers)
        assert sorted(_open_types(andon_plant.db, andon_plant.stations["L1-S2"], andon_plant.types)) == ["MAT", "SAFE"]
        with andon_plant.db.reading() as session:
            assert {c.source for c in andon_repo.open_calls_at(session, andon_plant.stations["L1-S2"])} == {"serial"}
    finally:
        hub.worker.shutdown()
        port.close()
