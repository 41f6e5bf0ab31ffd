"""Scanners into the GUI: a thin Qt adapter on the runtime's scan router, devices and kanban route.

One `ScanPipeline` per AppContext (`pipeline_for(ctx)`):
* `attach_devices(app)` installs a `WedgeFilter` on the QApplication (a wedge burst is taken as a scan
  wherever the keyboard focus is, never typed into the focused box) and starts the serial scanner from
  the settings under the runtime's device manager; both feed `ctx.router.route(code, source)`, which
  hands the code to the widget that claims scans (the sign-in dialog's badge field), or by its form to
  kanban, sign-in, ..., or answers it as unknown (see `jitdesk.runtime.scan_router`);
* `submit(code)` records a code typed in a kanban view's box straight with kanban;
* every kanban answer (`ScanOutcome`) is emitted as `scanned(ScanOutcome)`, after `ctx.changed` so
  views reload, and plays its sound once (`ScanSounds`), whichever views are open;
* `scanner_status(state, message)` tells the station view "scanner disconnected: /dev/ttyUSB0 (trying
  to reconnect)" and the like.
Nothing a scanner sends can stop the pipeline: a problem with one scan is answered on screen as that
scan's result, and the next scan is handled as usual.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from jitdesk.devices.framing import ScannerConfig
from jitdesk.devices.scanners import SERIAL, SerialScannerDevice
from jitdesk.devices.scanners import scanner_config as _scanner_config
from jitdesk.devices.wedge import WedgeConfig
from jitdesk.domain.errors import KnownError
from jitdesk.gui.context import AppContext
from jitdesk.gui.kanban.sounds import ScanSounds
from jitdesk.gui.wedge_filter import WedgeFilter
from jitdesk.runtime.devices import DeviceStatus
from jitdesk.services.kanban.scanning import ScanOutcome

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
    return _scanner_config(ctx.settings.scanner)


class ScanPipeline(QObject):
    scanned = Signal(object)  # ScanOutcome, after ctx.changed
    scanner_status = Signal(str, str)  # state ("connected", "reconnecting", ..., "wedge", "off"), message

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.runtime = ctx.runtime
        self.wedge: WedgeFilter | None = None
        self.state = "off"
        self.status_message = "Type a card code below (no scanner set up)"
        self.sounds = ScanSounds(self)  # one sound per scan, whichever views are open
        unsubscribe = [self.runtime.kanban.subscribe(self._answered), self.runtime.devices.subscribe(self._device)]
        self.destroyed.connect(lambda *_: [stop() for stop in unsubscribe])

    # -- devices ----------------------------------------------------------------------------------
    def attach_devices(self, app: QApplication, *, serial_config: ScannerConfig | None = None,
                       wedge_config: WedgeConfig | None = None, retry_initial_s: float = 1.0,
                       retry_max_s: float = 5.0) -> None:
        """Install the wedge filter and start the serial scanner (`serial_config` or the settings')."""
        self.runtime.start()
        if self.wedge is None:
            scanner = self.ctx.settings.scanner
            config = wedge_config or WedgeConfig(max_gap_ms=scanner.wedge_max_gap_ms,
                                                 min_length=max(1, scanner.min_length))
            self.wedge = WedgeFilter(self, config)
            self.wedge.scanned.connect(lambda code: self.route(code, "wedge"))
            app.installEventFilter(self.wedge)
            self._set_state("wedge", "Keyboard scanner ready")
        try:
            serial = serial_config or scanner_config(self.ctx)
        except KnownError as error:
            self.ctx.notify(str(error))
            self._set_state("disconnected", str(error))
            return
        if serial is not None and not self.runtime.devices.running(SERIAL):
            device = SerialScannerDevice(serial, self.route, self.runtime.kanban.record_unreadable,
                                         retry_initial_s=retry_initial_s, retry_max_s=retry_max_s)
            self.runtime.devices.start(SERIAL, device, message=f"scanner connecting: {serial.port}")

    def stop(self) -> None:
        self.runtime.devices.stop(SERIAL, "scanner stopped")
        if self.wedge is not None:
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self.wedge)

    def _device(self, status: DeviceStatus) -> None:
        if status.name != SERIAL:
            return
        self._set_state(status.state, status.message)
        if status.state == "disconnected":
            self.ctx.notify(f"{status.message}: check the cable; jitdesk keeps trying to reconnect.")

    def _set_state(self, state: str, message: str) -> None:
        self.state = state
        self.status_message = message
        self.scanner_status.emit(state, message)

    # -- scans ------------------------------------------------------------------------------------
    def route(self, code: str, source: str) -> None:
        """A code from a scanner: the router decides who takes it."""
        self.ctx.router.route(code, source)

    def submit(self, code: str, source: str = "manual") -> asyncio.Task[Any]:
        """Record one code typed in a kanban view's box; the answer arrives as `scanned`."""
        return self.runtime.kanban.record(code, source)

    def _answered(self, outcome: ScanOutcome) -> None:
        self.sounds.play(outcome.tone)
        self.scanned.emit(outcome)

    @property
    def last(self) -> ScanOutcome | None:
        return self.runtime.kanban.last

    @property
    def pending(self) -> int:
        return self.runtime.kanban.pending + self.runtime.badges.pending
