"""The app starts the sync client from its settings: the header's sync pill goes online against a real
server, an event made at the station goes up, and a touch on the pill opens the Sync view."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from jitdesk.domain.master import Part
from tests.helpers.sync_server import make_token, server_events


def test_app_syncs_from_its_settings(qtbot: Any, qloop: Any, tmp_path: Path, sqlite_server_db: str,
                                     start_server: Any) -> None:
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    from jitdesk.app import _start_sync
    from jitdesk.config import LoadedSettings, Settings, SyncSettings
    from jitdesk.gui.context import AppContext
    from jitdesk.gui.main_window import MainWindow
    from jitdesk.services import master
    from jitdesk.services.hub import ServiceHub
    from jitdesk.storage.database import open_database

    server = start_server(sqlite_server_db)
    token = make_token(sqlite_server_db, "PLANT-1", "station-1", role="admin")
    settings = replace(Settings(), sync=SyncSettings(server_url=server.url, token=token))
    db = open_database(tmp_path / "station.db")
    hub = ServiceHub(db)
    ctx = AppContext(hub, settings)
    window = MainWindow(ctx, "station")
    qtbot.addWidget(window)
    client = _start_sync(ctx, LoadedSettings(settings, tmp_path / "settings.toml"))
    assert client is not None
    try:
        qtbot.waitUntil(lambda: "ONLINE" in window.sync_status.text(), timeout=30_000)
        ctx.submit(master.save, Part("P-1", "Hex bolt"), actor=None)
        qtbot.waitUntil(lambda: any(e["kind"] == "master.part.upserted"
                                    for e in server_events(sqlite_server_db)), timeout=30_000)
        point = QPointF(5, 5)
        for kind in (QMouseEvent.Type.MouseButtonPress, QMouseEvent.Type.MouseButtonRelease):
            QApplication.sendEvent(window.sync_status, QMouseEvent(
                kind, point, point, Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton,
                Qt.KeyboardModifier.NoModifier))
        assert window.current_view == "sync"
    finally:
        client.stop()
        qtbot.waitUntil(lambda: all(t.done() for t in ctx.background), timeout=30_000)
        hub.close()
