"""The station's last scans: time, result (symbol and words), card, and the answer in words.

Times and answers are rendered with the plant's `Words` (its time zone; Qt's translation), which the
view sets from each panel it loads.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from jitdesk.gui.kanban.words import TONES, headline
from jitdesk.gui.models.table import RowsModel
from jitdesk.gui.words import qt_words
from jitdesk.services.kanban.station import ScanLogRecord


class ScanListModel(RowsModel[ScanLogRecord]):
    HEADERS = ("Time", "Result", "Scanned", "What happened")
    BOLD_COLUMNS = (1,)

    def __init__(self) -> None:
        super().__init__()
        self.words = qt_words()

    def cell(self, row: ScanLogRecord, column: int) -> str:
        if column == 0:
            return self.words.clock(row.at_ms)
        if column == 1:
            look = TONES.get(row.tone)
            return f"{look.symbol if look else ''} {headline(row.result)}".strip()
        if column == 2:
            return row.text
        return self.words.render(row.shown)

    def colours(self, row: ScanLogRecord, column: int) -> tuple[str, str] | None:
        look = TONES.get(row.tone)
        if column == 1 and look is not None:
            return look.background, look.foreground
        return None

    def tooltip(self, row: ScanLogRecord, column: int) -> str | None:
        return f"{row.text}: {self.words.render(row.shown)}"

    def align(self, column: int) -> Qt.AlignmentFlag:
        return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
