"""SerialScanner against a real pseudo-terminal: pyserial opens the pty slave like a serial port.

The scanner is pointed at a symlink in tmp_path to the pty slave, so "unplugging" (remove the
symlink, close the pty) and "plugging in again" (a new pty behind the same path) behave like a USB
scanner coming and going. Each test runs its own asyncio loop; no Qt.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from jitdesk.devices.framing import FrameResult, ScannerConfig, ScanRefused
from jitdesk.devices.serial_scanner import ScannerState, ScannerStatus, SerialScanner
from tests.helpers.pty_port import Pty

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs POSIX pseudo-terminals")

WAIT_S = 10.0  # generous: how long to wait for something that should come, never a speed claim


class Station:
    """Collects what the scanner hands to the loop, checking it arrives on the loop's thread."""

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.loop_thread = threading.get_ident()
        self.results: asyncio.Queue[FrameResult] = asyncio.Queue()
        self.states: asyncio.Queue[ScannerStatus] = asyncio.Queue()
        self.state_history: list[ScannerStatus] = []
        self.wrong_thread = False

    def on_result(self, result: FrameResult) -> None:
        self.wrong_thread |= threading.get_ident() != self.loop_thread
        self.results.put_nowait(result)

    def on_state(self, status: ScannerStatus) -> None:
        self.wrong_thread |= threading.get_ident() != self.loop_thread
        self.state_history.append(status)
        self.states.put_nowait(status)

    async def next_results(self, count: int) -> list[FrameResult]:
        return [await asyncio.wait_for(self.results.get(), WAIT_S) for _ in range(count)]

    async def wait_state(self, state: ScannerState) -> ScannerStatus:
        while True:
            status = await asyncio.wait_for(self.states.get(), WAIT_S)
            if status.state is state:
                return status


def scanner_for(station: Station, port: Path | str, **config: object) -> SerialScanner:
    return SerialScanner(
        ScannerConfig(port=str(port), **config),  # type: ignore[arg-type]
        station.loop,
        station.on_result,
        station.on_state,
        retry_initial_s=0.05,
        retry_max_s=0.2,
        read_timeout_s=0.05,
    )


def run_scenario(tmp_path: Path, scenario: Callable[[Station, Path], Awaitable[None]]) -> Station:
    """Run ``scenario(station, link)`` on a fresh loop; link is tmp_path/'scanner' (not created)."""

    async def main() -> Station:
        station = Station()
        await scenario(station, tmp_path / "scanner")
        return station

    station = asyncio.run(main())
    assert not station.wrong_thread, "a callback ran off the loop's thread"
    return station


def reasons(results: list[FrameResult]) -> list[str]:
    return [r.reason if isinstance(r, ScanRefused) else f"code:{r}" for r in results]


@pytest.fixture
def pty() -> Iterator[Pty]:
    pair = Pty()
    yield pair
    pair.close()


def test_scans_bursts_and_partial_lines(tmp_path: Path, pty: Pty) -> None:
    async def scenario(station: Station, link: Path) -> None:
        link.symlink_to(pty.path)
        scanner = scanner_for(station, link, idle_ms=5000)  # the split scan below pauses between halves
        scanner.start()
        try:
            connected = await station.wait_state(ScannerState.CONNECTED)
            assert connected.message == f"scanner connected: {link}"

            pty.write(b"K-000123\r")
            assert await station.next_results(1) == ["K-000123"]

            pty.write(b"".join(f"CARD{i:04d}\r\n".encode() for i in range(50)))
            assert await station.next_results(50) == [f"CARD{i:04d}" for i in range(50)]

            # A scan split over several reads is put back together.
            pty.write(b"SPL")
            await asyncio.sleep(0.2)  # let the reader take the first half on its own
            pty.write(b"IT-77")
            await asyncio.sleep(0.2)
            pty.write(b"\r")
            assert await station.next_results(1) == ["SPLIT-77"]
        finally:
            scanner.stop()
            pty.close()
        assert not scanner.running
        stopped = await station.wait_state(ScannerState.STOPPED)
        assert stopped is station.state_history[-1]

    run_scenario(tmp_path, scenario)


def test_bad_input_is_refused_in_plain_words_and_scanning_goes_on(tmp_path: Path, pty: Pty) -> None:
    async def scenario(station: Station, link: Path) -> None:
        link.symlink_to(pty.path)
        scanner = scanner_for(station, link)
        scanner.start()
        try:
            await station.wait_state(ScannerState.CONNECTED)
            pty.write(b"X" * 1000)  # overlong, no terminator yet
            pty.write(b"X" * 1000 + b"\rGOOD1\r")
            pty.write(b"\xff\xfe\x80\x81\xc3(\x9b\r\xf0\x28\x8c\xbc\rGOOD2\r")  # binary garbage
            pty.write(b"AB\x00\x00CD\rGOOD3\r")  # NUL bytes
            pty.write("CAFÉ-1".encode("latin-1") + b"\rGOOD4\r")  # wrong encoding for ascii
            pty.write(b"AB\r\x02\x03\r")  # too short; only control characters (silent)
            pty.write(b"\x02]C101\x1d10LOT7\x03\r")  # controls stripped, GS kept
            results = await station.next_results(11)
        finally:
            scanner.stop()
            pty.close()
        assert reasons(results) == [
            "scan too long (over 64 characters): ignored",
            "code:GOOD1",
            "unreadable bytes from the scanner: ignored",
            "unreadable bytes from the scanner: ignored",
            "code:GOOD2",
            "unreadable bytes from the scanner: ignored",
            "code:GOOD3",
            "unreadable bytes from the scanner: ignored",
            "code:GOOD4",
            "scan too short (under 4 characters): ignored",
            "code:01\x1d10LOT7",  # the AIM identifier ]C1 stripped too
        ]

    run_scenario(tmp_path, scenario)


def test_junk_a_pause_and_a_good_code_gives_the_good_code_and_logs_the_junk(tmp_path: Path, pty: Pty) -> None:
    async def scenario(station: Station, link: Path) -> None:
        link.symlink_to(pty.path)
        # idle_ms well above a stall of a busy test machine while the 10 kB go through the pty
        scanner = scanner_for(station, link, idle_ms=1500)
        scanner.start()
        try:
            await station.wait_state(ScannerState.CONNECTED)
            pty.write(bytes(range(0x21, 0x7F)) * 110)  # 10 kB of junk, no terminator
            [junk] = await station.next_results(1)
            await asyncio.sleep(3.0)  # the pause: longer than idle_ms
            pty.write(b"\x07NOISE")  # a short burst of noise, then silence again
            [noise] = await station.next_results(1)
            pty.write(b"K000001W\r")
            [good] = await station.next_results(1)
        finally:
            scanner.stop()
            pty.close()
        assert isinstance(junk, ScanRefused) and junk.note.code == "scanner.too_long"
        assert isinstance(noise, ScanRefused) and noise.note.code == "scanner.partial"
        assert good == "K000001W"

    run_scenario(tmp_path, scenario)


def test_aim_identifiers_and_edge_control_bytes_over_a_real_port(tmp_path: Path, pty: Pty) -> None:
    async def scenario(station: Station, link: Path) -> None:
        link.symlink_to(pty.path)
        scanner = scanner_for(station, link)
        scanner.start()
        try:
            await station.wait_state(ScannerState.CONNECTED)
            pty.write(b"]C0K000001W\r]C1K000002T\r]Q3K000003R\r")
            pty.write(b"\x00\x00K000004P\x00\r\x02]E0K000005M\x03\r")
            results = await station.next_results(5)
        finally:
            scanner.stop()
            pty.close()
        assert results == ["K000001W", "K000002T", "K000003R", "K000004P", "K000005M"]

    run_scenario(tmp_path, scenario)


@pytest.mark.parametrize(("configured", "sent", "words"), [(b"\r", b"\t", ("Tab", "CR", "\\t")),
                                                           (b"\t", b"\r", ("CR", "Tab", "\\r"))])
def test_a_terminator_mismatch_is_said_with_the_setting_to_change(
        tmp_path: Path, pty: Pty, configured: bytes, sent: bytes, words: tuple[str, str, str]) -> None:
    async def scenario(station: Station, link: Path) -> None:
        link.symlink_to(pty.path)
        scanner = scanner_for(station, link, terminator=configured, idle_ms=300)
        scanner.start()
        try:
            await station.wait_state(ScannerState.CONNECTED)
            pty.write(b"K000001W" + sent)
            [refused] = await station.next_results(1)
        finally:
            scanner.stop()
            pty.close()
        assert isinstance(refused, ScanRefused)
        assert refused.note.code == "scanner.terminator_mismatch"
        assert refused.note.params == dict(zip(("sent", "configured", "setting"), words, strict=True))

    run_scenario(tmp_path, scenario)


def test_utf8_scanner_and_crlf_terminator_over_a_real_port(tmp_path: Path, pty: Pty) -> None:
    async def scenario(station: Station, link: Path) -> None:
        link.symlink_to(pty.path)
        scanner = scanner_for(station, link, encoding="utf-8", terminator=b"\r\n", prefix="]C0")
        scanner.start()
        try:
            await station.wait_state(ScannerState.CONNECTED)
            pty.write("]C0PIÈCE-€1\r\n".encode())
            pty.write("]C0CAFÉ-1\r\n".encode("latin-1"))  # latin-1 bytes on a utf-8 scanner
            results = await station.next_results(2)
        finally:
            scanner.stop()
            pty.close()
        assert reasons(results) == ["code:PIÈCE-€1", "unreadable bytes from the scanner: ignored"]

    run_scenario(tmp_path, scenario)


def test_unplug_mid_scan_reports_disconnect_then_reconnects(tmp_path: Path, pty: Pty) -> None:
    replug = Pty()

    async def scenario(station: Station, link: Path) -> None:
        link.symlink_to(pty.path)
        scanner = scanner_for(station, link)
        scanner.start()
        try:
            await station.wait_state(ScannerState.CONNECTED)
            pty.write(b"BEFORE1\r")
            assert await station.next_results(1) == ["BEFORE1"]

            pty.write(b"PART")  # the scanner is pulled out in the middle of a scan
            await asyncio.sleep(0.2)
            link.unlink()
            pty.close()
            lost = await station.wait_state(ScannerState.DISCONNECTED)
            assert lost.message == f"scanner disconnected: {link}"
            retrying = await station.wait_state(ScannerState.RECONNECTING)
            assert retrying.message.startswith(f"scanner disconnected: {link}")
            assert scanner.running

            await asyncio.sleep(0.3)  # a few reopen attempts fail while nothing is plugged in
            assert scanner.state is ScannerState.RECONNECTING

            link.symlink_to(replug.path)  # plugged in again
            back = await station.wait_state(ScannerState.CONNECTED)
            assert back.message == f"scanner connected: {link}"

            replug.write(b"2345\rAFTER2\r")
            # "PART" was dropped with the old connection, not glued onto the next scan.
            assert await station.next_results(2) == ["2345", "AFTER2"]
        finally:
            scanner.stop()
            replug.close()
        await station.wait_state(ScannerState.STOPPED)
        # Failed reopen attempts are not reported one by one: one disconnect, one reconnect.
        assert [s.state for s in station.state_history] == [
            ScannerState.CONNECTED,
            ScannerState.DISCONNECTED,
            ScannerState.RECONNECTING,
            ScannerState.CONNECTED,
            ScannerState.STOPPED,
        ]

    run_scenario(tmp_path, scenario)


def test_scanner_absent_at_start_connects_when_plugged_in(tmp_path: Path) -> None:
    async def scenario(station: Station, link: Path) -> None:
        scanner = scanner_for(station, link)
        scanner.start()
        late = Pty()
        try:
            missing = await station.wait_state(ScannerState.DISCONNECTED)
            assert missing.message == f"scanner disconnected: {link}"
            assert missing.detail  # pyserial's reason, for the log
            await station.wait_state(ScannerState.RECONNECTING)
            link.symlink_to(late.path)
            await station.wait_state(ScannerState.CONNECTED)
            late.write(b"FIRST1\r")
            assert await station.next_results(1) == ["FIRST1"]
        finally:
            scanner.stop()
            late.close()

    run_scenario(tmp_path, scenario)


def test_stop_while_waiting_to_reconnect_does_not_hang(tmp_path: Path) -> None:
    async def scenario(station: Station, link: Path) -> None:
        scanner = SerialScanner(
            ScannerConfig(port=str(link)),
            station.loop,
            station.on_result,
            station.on_state,
            retry_initial_s=30.0,  # the thread is parked in a long back-off wait
            retry_max_s=30.0,
        )
        scanner.start()
        await station.wait_state(ScannerState.RECONNECTING)
        scanner.stop(timeout_s=WAIT_S)
        assert not scanner.running
        await station.wait_state(ScannerState.STOPPED)

    run_scenario(tmp_path, scenario)


def test_stop_and_start_again_on_the_same_port(tmp_path: Path, pty: Pty) -> None:
    async def scenario(station: Station, link: Path) -> None:
        link.symlink_to(pty.path)
        scanner = scanner_for(station, link)
        try:
            for n in range(2):
                scanner.start()
                await station.wait_state(ScannerState.CONNECTED)
                pty.write(f"ROUND{n}\r".encode())
                assert await station.next_results(1) == [f"ROUND{n}"]
                scanner.stop()
                await station.wait_state(ScannerState.STOPPED)
                assert not scanner.running
        finally:
            scanner.stop()
            pty.close()

    run_scenario(tmp_path, scenario)


def test_a_scanner_needs_a_port() -> None:
    async def build() -> None:
        with pytest.raises(ValueError):
            SerialScanner(ScannerConfig(), asyncio.get_running_loop(), print)

    asyncio.run(build())
