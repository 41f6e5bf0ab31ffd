"""A foot pedal or a line sensor on a serial port: every press completes a cycle.

The device (a pedal on a USB-serial adapter, a light barrier with a serial output) sends one line per
press: any bytes ended by CR or LF, what they say does not matter. ``SerialPedal`` reads the port with
pyserial on a daemon thread and posts ``on_press()`` to the asyncio loop for each press
(``call_soon_threadsafe``: callbacks run on the loop's thread). A port that is gone is tried again
every ``retry_s``; ``stop()`` never hangs (reads time out). Bounce and double presses are the
service's to refuse (it knows the line's last completion), not the reader's.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from typing import Any

import serial

log = logging.getLogger("jitdesk.pedal")

_ENDS = (0x0D, 0x0A)


def presses(buffer: bytearray, data: bytes) -> int:
    """Feed `data` into `buffer`; the number of presses it ended (CRLF counts once)."""
    count = 0
    for byte in data:
        if byte in _ENDS:
            if buffer:
                count += 1
                buffer.clear()
        else:
            buffer.append(byte)
            if len(buffer) > 256:  # noise without line ends: not a press
                buffer.clear()
    return count


class SerialPedal:
    def __init__(self, port: str, loop: asyncio.AbstractEventLoop, on_press: Callable[[], Any], *,
                 baud: int = 9600, read_timeout_s: float = 0.2, retry_s: float = 1.0) -> None:
        if not port:
            raise ValueError("a pedal needs a port")
        self.port = port
        self._loop = loop
        self._on_press = on_press
        self._baud = baud
        self._timeout = read_timeout_s
        self._retry = retry_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.connected = False

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            raise RuntimeError(f"pedal on {self.port} is already running")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"jitdesk-pedal:{self.port}", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float | None = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                port = serial.serial_for_url(self.port, baudrate=self._baud, timeout=self._timeout)
            except (serial.SerialException, OSError) as exc:
                log.warning("pedal port %s cannot be opened: %s", self.port, exc)
                self._stop.wait(self._retry)
                continue
            self.connected = True
            log.info("pedal connected on %s", self.port)
            try:
                self._read(port)
            except (serial.SerialException, OSError) as exc:
                log.warning("pedal on %s lost: %s", self.port, exc)
            finally:
                self.connected = False
                port.close()
            self._stop.wait(self._retry)

    def _read(self, port: Any) -> None:
        buffer = bytearray()
        while not self._stop.is_set():
            data = port.read(max(1, port.in_waiting))
            for _ in range(presses(buffer, data)):
                self._loop.call_soon_threadsafe(self._on_press)


PEDAL = "pedal"  # the device's (and its supervised task's) name


class PedalDevice:
    """A `SerialPedal` as a device the runtime's DeviceManager runs: `run(report)` until cancelled."""

    def __init__(self, port: str, on_press: Callable[[], Any], *, retry_s: float = 1.0) -> None:
        self.port = port
        self._on_press = on_press
        self._retry = retry_s
        self._pedal: SerialPedal | None = None

    async def run(self, report: Callable[[str, str], None]) -> None:
        pedal = SerialPedal(self.port, asyncio.get_running_loop(), self._on_press, retry_s=self._retry)
        self._pedal = pedal
        report("connecting", f"pedal connecting: {self.port}")
        pedal.start()
        try:
            await asyncio.Event().wait()
        finally:
            self.close()

    def close(self) -> None:
        pedal, self._pedal = self._pedal, None
        if pedal is not None:
            pedal.stop()
