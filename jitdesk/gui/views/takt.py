"""Takt page: the station's takt view (jitdesk.gui.takt.station)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from jitdesk.gui.context import AppContext
from jitdesk.gui.takt.station import TaktStationView


def create_view(ctx: AppContext) -> QWidget:
    return TaktStationView(ctx)
