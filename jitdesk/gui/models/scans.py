"""The station's last scans: time, result (symbol and words), card, and the plain-words message."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt

from jitdesk.gui.kanban.words import TONES, headline
from jitdesk.gui.models.table import RowsModel
from jitdesk.services.kanban.station import ScanLogRecord


def clock(ms: int) -> str:
    """Local wall-clock time of day, e.g. 14:05:09."""
    return datetime.fromtimestamp(ms / 1000).strftime("%H:%M:%S")


class ScanListModel(RowsModel[ScanLogRecord]):
    HEADERS = ("Time", "Result", "Scanned", "What happened")
    BOLD_COLUMNS = (1,)

    def cell(self, row: ScanLogRecord, column: int) -> str:
        if column == 0:
            return clock(row.at_ms)
        if column == 1:
            look = TONES.get(row.tone)
            return f"{look.symbol if look else ''} {headline(row.result)}".strip()
        if column == 2:
            return row.text
        return row.message

    def colours(self, row: ScanLogRecord, column: int) -> tuple[str, str] | None:
        look = TONES.get(row.tone)
        if column == 1 and look is not None:
            return look.background, look.foreground
        return None

    def tooltip(self, row: ScanLogRecord, column: int) -> str | None:
        return f"{row.text}: {row.message}"

    def align(self, column: int) -> Qt.AlignmentFlag:
        return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
