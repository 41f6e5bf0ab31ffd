"""Scanners into the app: the serial scanner and the keyboard wedge both end in `record_scan`.

One `ScanPipeline` per AppContext (`pipeline_for(ctx)`):
* `attach_devices(app)` starts a `SerialScanner` when settings name a port (its reader thread hands
  frames to the asyncio loop) and installs a `WedgeFilter` on the QApplication;
* every code (serial, wedge, or typed on the station view) goes to `record_scan` on the DB worker, in
  the order scanned (the worker is one thread), and the answer is emitted as `scanned(ScanOutcome)`,
  after `ctx.changed` so views reload;
* frames the serial layer refused (noise, too long) are logged with their reason by `record_unreadable`;
* each answer plays its sound once (`ScanSounds`), whichever views are open;
* `scanner_status(state, message)` tells the station view "scanner disconnected: /dev/ttyUSB0 (trying
  to reconnect)" and the like.
Nothing a scanner sends can stop the pipeline: a problem with one scan is answered on screen as that
scan's result, and the next scan is handled as usual.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import weakref
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from jitdesk.devices.framing import FrameResult, ScannerConfig, ScanRefused
from jitdesk.devices.serial_scanner import ScannerState, ScannerStatus, SerialScanner
from jitdesk.devices.wedge import WedgeConfig
from jitdesk.domain.errors import KnownError
from jitdesk.gui.context import AppContext
from jitdesk.gui.kanban.sounds import ScanSounds
from jitdesk.gui.wedge_filter import WedgeFilter
from jitdesk.services.kanban.scanning import ScanOutcome, record_scan, record_unreadable
from jitdesk.services.uow import wall_clock_ms

log = logging.getLogger("jitdesk.scan")

_PIPELINES: weakref.WeakKeyDictionary[AppContext, ScanPipeline] = weakref.WeakKeyDictionary()


def pipeline_for(ctx: AppContext) -> ScanPipeline:
    """The context's pipeline, made on first use (without devices until `attach_devices`)."""
    pipeline = _PIPELINES.get(ctx)
    if pipeline is None:
        pipeline = ScanPipeline(ctx)
        _PIPELINES[ctx] = pipeline
    return pipeline


def install_scanning(ctx: AppContext, app: QApplication) -> ScanPipeline:
    """Called once by the app: the pipeline with the configured serial scanner and the wedge filter."""
    pipeline = pipeline_for(ctx)
    pipeline.attach_devices(app)
    app.aboutToQuit.connect(pipeline.stop)
    return pipeline


def scanner_config(ctx: AppContext) -> ScannerConfig | None:
    """The serial scanner's settings, or None when no port is set. Bad settings raise KnownError."""
    s = ctx.settings.scanner
    if not s.port:
        return None
    try:
        return ScannerConfig(port=s.port, baud=s.baud, terminator=s.terminator.encode("latin-1", "replace"),
                             prefix=s.prefix, suffix=s.suffix, min_length=s.min_length)
    except ValueError as error:
        raise KnownError(f"The [scanner] settings are not usable: {error}.") from error


class ScanPipeline(QObject):
    scanned = Signal(object)  # ScanOutcome, after ctx.changed
    scanner_status = Signal(str, str)  # state ("connected", "reconnecting", ..., "wedge", "off"), message

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.serial: SerialScanner | None = None
        self.wedge: WedgeFilter | None = None
        self.state = "off"
        self.status_message = "Type a card code below (no scanner set up)"
        self._tasks: set[asyncio.Task[Any]] = set()
        self.last: ScanOutcome | None = None
        self.sounds = ScanSounds(self)  # one sound per scan, whichever views are open

    # -- devices ----------------------------------------------------------------------------------
    def attach_devices(self, app: QApplication, *, serial_config: ScannerConfig | None = None,
                       wedge_config: WedgeConfig | None = None, retry_initial_s: float = 1.0,
                       retry_max_s: float = 5.0) -> None:
        """Install the wedge filter and start the serial scanner (`serial_config` or the settings')."""
        if self.wedge is None:
            config = wedge_config or WedgeConfig(min_length=max(1, self.ctx.settings.scanner.min_length))
            self.wedge = WedgeFilter(self, config)
            self.wedge.scanned.connect(lambda code: self.submit(code, "wedge"))
            app.installEventFilter(self.wedge)
            self._set_state("wedge", "Keyboard scanner ready")
        try:
            serial = serial_config or scanner_config(self.ctx)
        except KnownError as error:
            self.ctx.notify(str(error))
            self._set_state("disconnected", str(error))
            return
        if serial is not None and self.serial is None:
            self.serial = SerialScanner(serial, asyncio.get_event_loop(), self.on_frame, self.on_status,
                                        retry_initial_s=retry_initial_s, retry_max_s=retry_max_s)
            self._set_state("connecting", f"scanner connecting: {serial.port}")
            self.serial.start()

    def stop(self) -> None:
        if self.serial is not None:
            self.serial.stop()
            self.serial = None
        if self.wedge is not None:
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self.wedge)

    def on_status(self, status: ScannerStatus) -> None:
        self._set_state(status.state.value, status.message)
        if status.state is ScannerState.DISCONNECTED:
            self.ctx.notify(f"{status.message}: check the cable; jitdesk keeps trying to reconnect.")

    def _set_state(self, state: str, message: str) -> None:
        self.state = state
        self.status_message = message
        self.scanner_status.emit(state, message)

    # -- scans ------------------------------------------------------------------------------------
    def on_frame(self, result: FrameResult) -> None:
        """A frame from the serial scanner (called on the loop's thread)."""
        if isinstance(result, ScanRefused):
            self._start(self._record(record_unreadable, result.reason, result.raw, source="serial"))
        else:
            self.submit(result, "serial")

    def submit(self, code: str, source: str = "manual") -> asyncio.Task[Any]:
        """Record one scanned or typed code; the answer arrives as `scanned`."""
        seconds = self.ctx.settings.scanner.double_scan_seconds
        return self._start(self._record(record_scan, code, None, double_scan_seconds=seconds, source=source,
                                        actor=self.ctx.actor))

    def _start(self, coro: Any) -> asyncio.Task[Any]:
        task = asyncio.get_event_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _record(self, fn: Any, *args: Any, **kwargs: Any) -> ScanOutcome:
        try:
            outcome: ScanOutcome = await self.ctx.hub.run(fn, *args, **kwargs)
        except asyncio.CancelledError:
            raise
        except KnownError as error:
            outcome = self._failed(str(error), kwargs.get("source", ""))
        except Exception:
            log.exception("recording a scan failed")
            outcome = self._failed("the scan could not be recorded (a fault in jitdesk; see the log)",
                                   kwargs.get("source", ""))
            sys.excepthook(*sys.exc_info())
        if outcome.changes:
            self.ctx.changed.emit(outcome.changes)
        self.last = outcome
        self.sounds.play(outcome.tone)
        self.scanned.emit(outcome)
        return outcome

    @staticmethod
    def _failed(message: str, source: str) -> ScanOutcome:
        return ScanOutcome("error", "refused", f"not recorded: {message}", "", wall_clock_ms(), None, source)

    @property
    def pending(self) -> int:
        return len(self._tasks)
