"""Read a serial barcode scanner on a thread and hand each scan to the asyncio loop.

``SerialScanner`` opens the port with pyserial (``serial.serial_for_url``, so a plain device path,
``loop://`` or ``socket://`` all work), reads on a daemon thread with a short read timeout, frames
the bytes with ``ScanFramer`` and posts every result to the loop with
``loop.call_soon_threadsafe(on_result, result)``: the callbacks always run on the loop's thread.
When the line stays silent for ``config.idle_ms`` with a partial frame held, the framer's ``idle()``
ends it (its bytes are refused in words, never glued to the next scan).

When the port vanishes (USB scanner unplugged) or errors, the partial scan is dropped, the state
callback hears "scanner disconnected: <port>", and the thread keeps trying to open the port again,
every ``retry_initial_s`` at first and backing off to ``retry_max_s``, until it succeeds or
``stop()`` is called. ``stop()`` never hangs: reads time out, and a blocked read is cancelled.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import serial

from jitdesk.devices.framing import FrameResult, ScanFramer, ScannerConfig, ScanRefused

__all__ = ["PortOpener", "ScannerState", "ScannerStatus", "SerialPort", "SerialScanner"]

log = logging.getLogger("jitdesk.scan")


class ScannerState(enum.Enum):
    """Where the scanner connection stands."""

    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    RECONNECTING = "reconnecting"
    STOPPED = "stopped"


@dataclass(frozen=True)
class ScannerStatus:
    """A state change; ``message`` is plain words for the screen, ``detail`` the cause for the log."""

    state: ScannerState
    port: str
    message: str
    detail: str = ""


class SerialPort(Protocol):
    """The part of a pyserial port the scanner uses."""

    @property
    def in_waiting(self) -> int: ...

    def read(self, size: int = 1) -> bytes: ...

    def close(self) -> None: ...


PortOpener = Callable[[ScannerConfig, float], SerialPort]
"""Opens ``config.port`` with the given read timeout, or raises SerialException/OSError."""


def open_serial_port(config: ScannerConfig, read_timeout_s: float) -> SerialPort:
    """The default opener: pyserial, 8N1, no flow control, with a read timeout."""
    port: SerialPort = serial.serial_for_url(config.port, baudrate=config.baud, timeout=read_timeout_s)
    return port


class SerialScanner:
    """A serial scanner read on a daemon thread; results and state changes arrive on ``loop``.

    ``on_result(result)`` gets each ``str`` code or ``ScanRefused``; ``on_state(status)`` gets a
    ``ScannerStatus`` on every change of state. Both are called on the loop's thread.
    """

    def __init__(
        self,
        config: ScannerConfig,
        loop: asyncio.AbstractEventLoop,
        on_result: Callable[[FrameResult], Any],
        on_state: Callable[[ScannerStatus], Any] | None = None,
        *,
        retry_initial_s: float = 1.0,
        retry_max_s: float = 5.0,
        read_timeout_s: float = 0.2,
        open_port: PortOpener = open_serial_port,
    ) -> None:
        if not config.port:
            raise ValueError("a serial scanner needs a port")
        if retry_initial_s <= 0 or retry_max_s < retry_initial_s or read_timeout_s <= 0:
            raise ValueError(
                "scanner retry and read timeouts must be positive, retry_max_s >= retry_initial_s"
            )
        self._config = config
        self._loop = loop
        self._on_result = on_result
        self._on_state = on_state
        self._retry_initial_s = retry_initial_s
        self._retry_max_s = retry_max_s
        # Read in slices short enough to notice the silence that ends a partial frame.
        self._read_timeout_s = min(read_timeout_s, config.idle_ms / 3000)
        self._idle_s = config.idle_ms / 1000
        self._open_port = open_port
        self._framer = ScanFramer(config)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        # Guards _port between the reader (opens/closes it) and stop() (cancels a blocked read).
        self._lock = threading.Lock()
        self._port: SerialPort | None = None
        self._state: ScannerState | None = None
        self.frames_read = 0  # results handed to the loop since start(): the shutdown log says how many

    @property
    def config(self) -> ScannerConfig:
        return self._config

    @property
    def state(self) -> ScannerState | None:
        """The last state reported (None before the first attempt to open the port)."""
        return self._state

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start reading (and connecting) on a daemon thread."""
        if self.running:
            raise RuntimeError(f"scanner on {self._config.port} is already running")
        self._stop.clear()
        self.frames_read = 0
        self._framer.reset()
        self._state = None
        self._thread = threading.Thread(
            target=self._run, name=f"jitdesk-scanner:{self._config.port}", daemon=True
        )
        self._thread.start()

    def stop(self, timeout_s: float | None = None) -> None:
        """Stop reading, close the port and join the thread (waits at most ``timeout_s``)."""
        self._stop.set()
        with self._lock:
            cancel = getattr(self._port, "cancel_read", None)
            if cancel is not None:
                try:
                    cancel()
                except (serial.SerialException, OSError) as exc:
                    log.debug("cancel_read on %s failed: %s", self._config.port, exc)
        thread = self._thread
        if thread is None:
            return
        thread.join(self._read_timeout_s + 2.0 if timeout_s is None else timeout_s)
        if thread.is_alive():
            log.warning("scanner thread for %s did not stop in time; left as a daemon", self._config.port)
        else:
            self._thread = None

    # --- reader thread -------------------------------------------------------------------

    def _run(self) -> None:
        delay = self._retry_initial_s
        try:
            while not self._stop.is_set():
                port = self._try_open()
                if port is None:
                    self._stop.wait(delay)
                    delay = min(delay * 2, self._retry_max_s)
                    continue
                delay = self._retry_initial_s
                self._report(ScannerState.CONNECTED, f"scanner connected: {self._config.port}")
                try:
                    self._read_until_error(port)
                except (serial.SerialException, OSError) as exc:
                    self._lost(exc)
                finally:
                    self._close()
                if not self._stop.is_set():
                    self._stop.wait(delay)
        finally:
            self._close()
            log.info("scanner %s: %d frames read", self._config.port, self.frames_read)
            self._report(ScannerState.STOPPED, f"scanner stopped: {self._config.port}")

    def _try_open(self) -> SerialPort | None:
        try:
            port = self._open_port(self._config, self._read_timeout_s)
        except (serial.SerialException, OSError, ValueError) as exc:
            # ValueError: pyserial's answer to a malformed URL or setting; the port stays unusable.
            log.debug("cannot open scanner %s: %s", self._config.port, exc)
            if self._state not in (ScannerState.DISCONNECTED, ScannerState.RECONNECTING):
                self._report(
                    ScannerState.DISCONNECTED, f"scanner disconnected: {self._config.port}", str(exc)
                )
            if self._state is not ScannerState.RECONNECTING:
                self._report(
                    ScannerState.RECONNECTING,
                    f"scanner disconnected: {self._config.port} (trying to reconnect)",
                    str(exc),
                )
            return None
        with self._lock:
            self._port = port
        return port

    def _read_until_error(self, port: SerialPort) -> None:
        last_byte = time.monotonic()
        while not self._stop.is_set():
            data = port.read(1)  # blocks at most read_timeout_s
            if not data:
                if self._framer.holding and time.monotonic() - last_byte >= self._idle_s:
                    self._deliver(self._framer.idle())
                continue
            last_byte = time.monotonic()
            waiting = port.in_waiting
            if waiting:
                data += port.read(waiting)
            self._deliver(self._framer.feed(data))

    def _deliver(self, results: list[FrameResult]) -> None:
        self.frames_read += len(results)
        for result in results:
            if isinstance(result, ScanRefused):
                log.info("scanner %s: %s (raw %r)", self._config.port, result.reason, result.raw)
            else:
                log.debug("scanner %s: scanned %r", self._config.port, result)
            self._post(self._on_result, result)

    def _lost(self, exc: BaseException) -> None:
        if self._stop.is_set():
            return  # our own stop() closed or cancelled the port
        if self._framer.reset():
            log.info("scanner %s: partial scan dropped on disconnect", self._config.port)
        self._report(ScannerState.DISCONNECTED, f"scanner disconnected: {self._config.port}", str(exc))
        self._report(
            ScannerState.RECONNECTING,
            f"scanner disconnected: {self._config.port} (trying to reconnect)",
            str(exc),
        )

    def _close(self) -> None:
        with self._lock:
            port, self._port = self._port, None
        if port is None:
            return
        try:
            port.close()
        except (serial.SerialException, OSError) as exc:
            log.debug("closing scanner %s: %s", self._config.port, exc)
        self._framer.reset()

    def _report(self, state: ScannerState, message: str, detail: str = "") -> None:
        if state is self._state:
            return
        self._state = state
        if state is ScannerState.DISCONNECTED:
            log.warning("%s (%s)", message, detail)
        else:
            log.info("%s%s", message, f" ({detail})" if detail else "")
        if self._on_state is not None:
            self._post(self._on_state, ScannerStatus(state, self._config.port, message, detail))

    def _post(self, callback: Callable[[Any], Any], arg: object) -> None:
        try:
            self._loop.call_soon_threadsafe(callback, arg)
        except RuntimeError:
            # The loop is closed: nobody is listening any more, so stop reading.
            log.debug("scanner %s: event loop closed, stopping", self._config.port)
            self._stop.set()
