"""A real pseudo-terminal serial scanner feeding the scan router, with no Qt: bytes written to the pty
master are read by the device manager's serial scanner (pyserial on the slave, through a symlink
standing for /dev/ttyUSB0, run under the supervisor), and the router sends each code where it belongs:
a card to kanban, a badge to sign-in, a claimed scan to its claimant, anything else to the scan log
with a plain answer."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from jitdesk.devices.framing import ScannerConfig
from jitdesk.devices.scanners import SERIAL, SerialScannerDevice
from jitdesk.runtime.scan_router import Routed, Scan
from jitdesk.runtime.station import Runtime
from jitdesk.runtime.supervise import TaskState
from jitdesk.services.hub import ServiceHub
from jitdesk.services.signin import SignedIn
from jitdesk.storage.database import open_database
from tests.helpers.pty_port import Pty
from tests.helpers.station_plant import OPERATOR_BADGE, SUPERVISOR_BADGE, StationPlant, build_station
from tests.helpers.waiting import until

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs POSIX pseudo-terminals")

@pytest.fixture
def station(tmp_path: Path) -> Iterator[tuple[ServiceHub, StationPlant]]:
    db = open_database(tmp_path / "router.db")
    plant = build_station(db)
    hub = ServiceHub(db)
    yield hub, plant
    hub.close()


def test_serial_codes_are_routed_by_form_and_to_a_claim(station: tuple[ServiceHub, StationPlant],
                                                        tmp_path: Path) -> None:
    hub, plant = station
    link = tmp_path / "ttyUSB0"
    port = Pty()
    link.symlink_to(port.path)

    async def scenario() -> None:
        runtime = Runtime(hub)
        signed_in: list[SignedIn] = []
        refused: list[tuple[str, str]] = []
        routed: list[Routed] = []
        runtime.badges.on_signed_in = signed_in.append
        runtime.badges.on_refused = lambda badge, words: refused.append((badge, words))
        runtime.router.subscribe(routed.append)
        runtime.start()
        device = SerialScannerDevice(ScannerConfig(port=str(link)), runtime.router.route,
                                     runtime.kanban.record_unreadable, retry_initial_s=0.05, retry_max_s=0.2)
        runtime.devices.start(SERIAL, device)
        try:
            await until(lambda: runtime.badges.loaded and getattr(runtime.devices.status(SERIAL), "state", "")
                        == "connected")
            status = runtime.supervisor.status(SERIAL)
            assert status is not None and status.state is TaskState.RUNNING
            card = plant.codes[0]
            port.write(f"{card}\r{OPERATOR_BADGE}\rHELLO-42\r".encode())
            await until(lambda: len(routed) == 3 and runtime.kanban.pending == 0 and runtime.badges.pending == 0)
            assert [(r.kind, r.to) for r in routed] == [("route", "kanban"), ("route", "badge"), ("unknown", "")]
            assert all(r.scan.source == "serial" for r in routed)
            assert [u.name for u in signed_in] == ["Olga Operator"]
            port.write(f"{SUPERVISOR_BADGE}\r".encode())  # a supervisor's badge alone: the PIN is asked for
            await until(lambda: bool(refused))
            assert refused[0][0] == SUPERVISOR_BADGE and "PIN" in refused[0][1]
            # While a dialog claims scans, every code goes to it: nothing is recorded.
            claimed: list[Scan] = []
            claim = runtime.router.claim("sign-in badge field", claimed.append)
            port.write(f"{OPERATOR_BADGE}\r{plant.codes[1]}\r".encode())
            await until(lambda: len(claimed) == 2)
            claim.release()
            port.write(f"{plant.codes[1]}\r".encode())
            await until(lambda: len(routed) == 7 and runtime.kanban.pending == 0)
            assert [c.code for c in claimed] == [OPERATOR_BADGE, plant.codes[1]]
        finally:
            runtime.close()
            await asyncio.sleep(0)  # let the supervisor mark the scanner stopped
        log = plant.scan_log()
        assert [(text, result) for text, result, _m in log] == [
            (card, "emptied"), ("HELLO-42", "unknown"), (plant.codes[1], "emptied")]
        assert log[1][2] == "not a code jitdesk knows: HELLO-42"
        assert OPERATOR_BADGE not in {text for text, _r, _m in log}  # a badge is never a kanban scan

    try:
        asyncio.run(scenario())
    finally:
        port.close()


def test_the_scanner_device_reports_a_pulled_cable_and_reconnects(station: tuple[ServiceHub, StationPlant],
                                                                   tmp_path: Path) -> None:
    hub, plant = station
    link = tmp_path / "ttyUSB0"
    port = Pty()
    link.symlink_to(port.path)

    async def scenario() -> None:
        runtime = Runtime(hub)
        states: list[str] = []
        runtime.devices.subscribe(lambda status: states.append(status.state))
        device = SerialScannerDevice(ScannerConfig(port=str(link)), runtime.router.route,
                                     runtime.kanban.record_unreadable, retry_initial_s=0.05, retry_max_s=0.2)
        runtime.devices.start(SERIAL, device)
        try:
            await until(lambda: states[-1:] == ["connected"])
            link.unlink()
            port.close()
            await until(lambda: states[-1:] == ["reconnecting"])
            status = runtime.supervisor.status(SERIAL)
            assert status is not None and status.reason is not None and "trying to reconnect" in status.reason
            replug = Pty()
            try:
                link.symlink_to(replug.path)
                await until(lambda: states[-1:] == ["connected"])
                replug.write(f"{plant.codes[2]}\r".encode())
                await until(lambda: runtime.kanban.last is not None and runtime.kanban.pending == 0)
                assert runtime.kanban.last is not None and runtime.kanban.last.result == "emptied"
            finally:
                runtime.close()
                replug.close()
            await until(lambda: getattr(runtime.supervisor.status(SERIAL), "state", None) is TaskState.STOPPED)
        finally:
            runtime.close()
        assert "disconnected" in states and states[-1] == "stopped"

    asyncio.run(scenario())


def test_a_scanner_wired_before_the_loop_runs_starts_with_it(station: tuple[ServiceHub, StationPlant],
                                                             tmp_path: Path) -> None:
    """The app wires its devices before its event loop starts; one stopped before that never starts."""
    hub, plant = station
    port = Pty()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        runtime = Runtime(hub)
        config = ScannerConfig(port=port.path)
        runtime.devices.start(SERIAL, SerialScannerDevice(config, runtime.router.route,
                                                          runtime.kanban.record_unreadable))
        runtime.devices.start("second", SerialScannerDevice(config, runtime.router.route,
                                                            runtime.kanban.record_unreadable))
        runtime.devices.stop("second")
        loop.run_until_complete(until(lambda: getattr(runtime.devices.status(SERIAL), "state", "") == "connected"))
        port.write(f"{plant.codes[0]}\r".encode())
        loop.run_until_complete(until(lambda: runtime.kanban.last is not None and runtime.kanban.pending == 0))
        assert runtime.kanban.last is not None and runtime.kanban.last.result == "emptied"
        assert runtime.supervisor.status("second") is None  # never started
        stopped = runtime.devices.stop(SERIAL)
        assert stopped is not None
        loop.run_until_complete(stopped)
        status = runtime.supervisor.status(SERIAL)
        assert status is not None and status.state is TaskState.STOPPED
    finally:
        loop.close()
        asyncio.set_event_loop(None)
        port.close()


def test_junk_then_a_pause_then_a_card_the_card_is_recorded_and_the_junk_logged(
        station: tuple[ServiceHub, StationPlant], tmp_path: Path) -> None:
    """10 kB of junk with no terminator, a pause, a good card: the card is recorded (not glued to the
    junk), the junk has its own scan-log row with a message code and plain words; a Tab-terminated
    frame on a CR station is logged with words that name the setting to change."""
    hub, plant = station
    link = tmp_path / "ttyUSB0"
    port = Pty()
    link.symlink_to(port.path)

    async def scenario() -> None:
        runtime = Runtime(hub)
        runtime.start()
        # idle_ms well above a stall of a busy test machine while the 10 kB go through the pty
        device = SerialScannerDevice(ScannerConfig(port=str(link), idle_ms=1500), runtime.router.route,
                                     runtime.kanban.record_unreadable, retry_initial_s=0.05, retry_max_s=0.2)
        runtime.devices.start(SERIAL, device)
        try:
            await until(lambda: getattr(runtime.devices.status(SERIAL), "state", "") == "connected")
            port.write(bytes(range(0x21, 0x7F)) * 110)
            await asyncio.sleep(3.0)  # the pause
            port.write(f"{plant.codes[0]}\r".encode())
            await until(lambda: len(plant.scan_log()) == 2 and runtime.kanban.pending == 0)
            port.write(f"{plant.codes[1]}\t".encode())  # a scanner set to end with Tab
            await until(lambda: len(plant.scan_log()) == 3 and runtime.kanban.pending == 0)
        finally:
            runtime.close()
            await asyncio.sleep(0)

    try:
        asyncio.run(scenario())
    finally:
        port.close()
    log = plant.scan_log()
    assert [result for _t, result, _m in log] == ["unreadable", "emptied", "unreadable"]
    assert log[0][2] == "scan too long (over 64 characters): ignored"
    assert log[1][0] == plant.codes[0]
    assert 'set terminator = "\\t" in the [scanner] settings' in log[2][2]
    codes = plant.scan_log_codes()
    assert codes[0] == "scanner.too_long" and codes[2] == "scanner.terminator_mismatch"
