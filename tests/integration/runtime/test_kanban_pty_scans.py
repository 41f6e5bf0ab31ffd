"""End to end through a real pseudo-terminal: bytes written to the pty master are read by the app's
SerialScanner (pyserial on the slave, through a symlink standing for /dev/ttyUSB0), recorded by
`record_scan` on the DB worker, and shown by the station view's model and flash.

Covers normal scans, bursts, partial lines, overlong lines, binary garbage, a wrong encoding, and the
port vanishing mid-scan (plain "scanner disconnected" state, then an automatic reconnect).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from jitdesk.devices.framing import ScannerConfig
from jitdesk.domain.kanban.status import Supply
from jitdesk.gui.context import AppContext
from jitdesk.gui.scanning import ScanPipeline, pipeline_for
from jitdesk.gui.views.station import StationView
from jitdesk.storage import eventlog, kanban_repo
from tests.helpers.kanban_plant import KanbanPlant
from tests.helpers.pty_port import Pty

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs POSIX pseudo-terminals")

WAIT_MS = 10_000  # how long to wait for something that should come; never a speed claim


class Rig:
    def __init__(self, qtbot: QtBot, ctx: AppContext, plant: KanbanPlant, link: Path) -> None:
        self.qtbot = qtbot
        self.ctx = ctx
        self.plant = plant
        self.link = link
        self.view = StationView(ctx)
        qtbot.addWidget(self.view)
        self.pipeline: ScanPipeline = pipeline_for(ctx)
        self.outcomes: list[str] = []
        self.pipeline.scanned.connect(lambda o: self.outcomes.append(o.result))

    def start(self, **config: object) -> None:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.pipeline.attach_devices(app, serial_config=ScannerConfig(port=str(self.link), **config),  # type: ignore[arg-type]
                                     retry_initial_s=0.05, retry_max_s=0.2)
        self.qtbot.waitUntil(lambda: self.pipeline.state == "connected", timeout=WAIT_MS)

    def wait_results(self, count: int) -> list[str]:
        self.qtbot.waitUntil(lambda: len(self.outcomes) >= count and self.pipeline.pending == 0, timeout=WAIT_MS)
        return self.outcomes[:count]

    def shown(self) -> list[tuple[str, str]]:
        """(scanned text, result) in the station view's model, oldest first."""
        return [(r.text, r.result) for r in reversed(self.view.scans.rows)]

    def events(self) -> int:
        with self.plant.db.reading() as session:
            return eventlog.count(session)

    def supply(self, loop: str, index: int) -> Supply:
        card_id = self.plant.cards[loop][index]
        with self.plant.db.reading() as session:
            return kanban_repo.cards_by_id(session, [card_id])[card_id].supply


@pytest.fixture
def rig(qtbot: QtBot, kanban_ctx: tuple[AppContext, KanbanPlant], tmp_path: Path) -> Iterator[Rig]:
    ctx, plant = kanban_ctx
    yield Rig(qtbot, ctx, plant, tmp_path / "ttyUSB0")


@pytest.fixture
def pty(rig: Rig) -> Iterator[Pty]:
    port = Pty()
    rig.link.symlink_to(port.path)
    yield port
    port.close()


def test_a_scan_on_the_serial_port_empties_the_card_and_shows_in_the_station_view(rig: Rig, pty: Pty) -> None:
    rig.start()
    code = rig.plant.codes["BOLT"][0]
    before = rig.events()
    pty.write(code.encode() + b"\r")
    assert rig.wait_results(1) == ["emptied"]
    rig.qtbot.waitUntil(lambda: rig.shown()[-1:] == [(code, "emptied")], timeout=WAIT_MS)
    assert rig.view.flash.title.text() == "EMPTIED" and rig.view.flash.tone == "success"
    assert rig.supply("BOLT", 0) is Supply.EMPTY and rig.events() == before + 1
    assert "connected" in rig.view.scanner.text()


def test_bursts_and_partial_lines(rig: Rig, pty: Pty) -> None:
    rig.start()
    codes = [rig.plant.codes["BOLT"][1], rig.plant.codes["BOLT"][2], rig.plant.codes["GEAR"][0]]
    pty.write(b"".join(c.encode() + b"\r\n" for c in codes))  # three scans in one write, CRLF
    assert rig.wait_results(3) == ["emptied"] * 3
    last = rig.plant.codes["MOTOR"][0]
    pty.write(last[:3].encode())
    time.sleep(0.3)  # several read timeouts pass with half a scan in the framer
    pty.write(last[3:].encode() + b"\r")
    assert rig.wait_results(4)[-1] == "emptied"
    rig.qtbot.waitUntil(lambda: [t for t, _r in rig.shown()] == [*codes, last], timeout=WAIT_MS)


def test_overlong_lines_garbage_and_wrong_encodings_are_refused_and_scanning_goes_on(rig: Rig, pty: Pty) -> None:
    rig.start()
    before = rig.events()
    pty.write(b"K" * 500 + b"\r")  # a stuck scanner
    pty.write(bytes(range(256)) + b"\r")  # line noise, including its own CR and LF bytes
    pty.write("KÄ00001W\r".encode("latin-1"))  # not ASCII: a scanner set to the wrong code page
    pty.write(b"\xff\xfe\x00\x00K000001W\r")
    code = rig.plant.codes["BOLT"][0]
    pty.write(code.encode() + b"\r")
    rig.qtbot.waitUntil(lambda: "emptied" in rig.outcomes and rig.pipeline.pending == 0, timeout=WAIT_MS)
    refused = [r for r in rig.outcomes if r != "emptied"]
    assert refused and set(refused) <= {"unreadable", "unknown", "bad_check"}
    assert "unreadable" in refused
    assert rig.outcomes[-1] == "emptied" and rig.events() == before + 1  # only the good scan wrote
    with rig.plant.db.reading() as session:
        log = kanban_repo.recent_scans(session, rig.plant.stations["LINE-1"], 50)
    reasons = [r.message for r in log if r.result == "unreadable"]
    assert any("too long" in m for m in reasons)
    assert all(r.text.isprintable() for r in log)


def test_port_vanishing_mid_scan_shows_disconnected_then_reconnects(rig: Rig, pty: Pty) -> None:
    rig.start()
    code = rig.plant.codes["GEAR"][1]
    pty.write(code[:4].encode())  # half a scan, then the cable is pulled
    time.sleep(0.2)
    rig.link.unlink()
    pty.close()
    rig.qtbot.waitUntil(lambda: rig.pipeline.state == "reconnecting", timeout=WAIT_MS)
    assert rig.view.scanner.text().endswith(f"scanner disconnected: {rig.link} (trying to reconnect)")
    assert "⚠" in rig.view.scanner.text()
    replug = Pty()
    try:
        rig.link.symlink_to(replug.path)
        rig.qtbot.waitUntil(lambda: rig.pipeline.state == "connected", timeout=WAIT_MS)
        replug.write(code.encode() + b"\r")
        assert rig.wait_results(1) == ["emptied"]  # the half scan before the unplug was dropped, not recorded
        assert rig.supply("GEAR", 1) is Supply.EMPTY
        assert rig.shown()[-1] == (code, "emptied")
    finally:
        rig.pipeline.stop()
        replug.close()
