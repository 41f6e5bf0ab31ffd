"""The serial scanner as a device the runtime's ``DeviceManager`` runs under the supervisor.

``scanner_config(settings)`` turns the ``[scanner]`` settings into a ``ScannerConfig`` (None when no
port is set; bad settings are a plain-words ``KnownError``). ``SerialScannerDevice`` starts a
``SerialScanner`` on the running loop, hands every good code to ``on_code`` (the scan router) and every
refused frame to ``on_refused`` (the scan log), and reports the connection state in words. Its
reconnecting is the reader thread's own (it keeps trying with backoff); the supervisor restarts the
device only if the device code itself fails.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Protocol

from jitdesk.devices.framing import FrameResult, ScannerConfig, ScanRefused
from jitdesk.devices.serial_scanner import ScannerStatus, SerialScanner
from jitdesk.domain.errors import KnownError
from jitdesk.domain.messages import Message

log = logging.getLogger("jitdesk.scan")

SERIAL = "scanner"  # the device's (and its supervised task's) name


class ScannerSettingsLike(Protocol):
    """The ``[scanner]`` settings section (``jitdesk.config.ScannerSettings``)."""

    @property
    def port(self) -> str: ...
    @property
    def baud(self) -> int: ...
    @property
    def terminator(self) -> str: ...
    @property
    def prefix(self) -> str: ...
    @property
    def suffix(self) -> str: ...
    @property
    def min_length(self) -> int: ...
    @property
    def idle_ms(self) -> int: ...


def scanner_config(settings: ScannerSettingsLike) -> ScannerConfig | None:
    """The serial scanner's settings, or None when no port is set. Bad settings raise KnownError."""
    if not settings.port:
        return None
    try:
        return ScannerConfig(port=settings.port, baud=settings.baud,
                             terminator=settings.terminator.encode("latin-1", "replace"),
                             prefix=settings.prefix, suffix=settings.suffix, min_length=settings.min_length,
                             idle_ms=settings.idle_ms)
    except ValueError as error:
        raise KnownError(f"The [scanner] settings are not usable: {error}.") from error


class SerialScannerDevice:
    """One serial scanner; ``run(report)`` until cancelled, ``close()`` at once (see the module docstring)."""

    def __init__(self, config: ScannerConfig, on_code: Callable[[str, str], object],
                 on_refused: Callable[[str, bytes, str, Message], object], *, retry_initial_s: float = 1.0,
                 retry_max_s: float = 5.0) -> None:
        self.config = config
        self._on_code = on_code
        self._on_refused = on_refused
        self._retry = (retry_initial_s, retry_max_s)
        self._scanner: SerialScanner | None = None
        self._report: Callable[[str, str], None] | None = None

    async def run(self, report: Callable[[str, str], None]) -> None:
        self._report = report
        scanner = SerialScanner(self.config, asyncio.get_running_loop(), self._frame, self._status,
                                retry_initial_s=self._retry[0], retry_max_s=self._retry[1])
        self._scanner = scanner
        report("connecting", f"scanner connecting: {self.config.port}")
        scanner.start()
        try:
            await asyncio.Event().wait()  # the reader thread does the work until we are cancelled
        finally:
            self.close()

    def close(self) -> None:
        scanner, self._scanner = self._scanner, None
        if scanner is not None:
            scanner.stop()

    def _frame(self, result: FrameResult) -> None:
        """On the loop's thread: a code for the router, or a refusal for the scan log."""
        if isinstance(result, ScanRefused):
            self._on_refused(result.reason, result.raw, "serial", result.note)
        else:
            self._on_code(result, "serial")

    def _status(self, status: ScannerStatus) -> None:
        if self._report is not None and self._scanner is not None:
            self._report(status.state.value, status.message)
