"""The replenishment queue as a tree: one group per supplier location, its cards late and oldest first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel

from jitdesk.domain.kanban.status import Supply
from jitdesk.gui.kanban.words import SUPPLY_SHORT
from jitdesk.gui.words import qt_words
from jitdesk.services.kanban.queue import Queue, QueueRecord
from jitdesk.services.words import Words

HEADERS = ("Due", "Card", "Part", "Status", "Deliver to", "Qty")
LATE = ("#EF6C00", "#000000")
CARD_ROLE = Qt.ItemDataRole.UserRole + 1


def due_words(item: QueueRecord, now_ms: int, words: Words | None = None) -> str:
    """Late by how long, or when due (in the plant's time zone) and how soon."""
    words = words or Words()
    if item.due_ms < now_ms:
        return f"▲ LATE {words.duration(now_ms - item.due_ms)}"
    return f"{words.clock(item.due_ms)}  (in {words.duration(item.due_ms - now_ms)})"


class QueueModel(QStandardItemModel):
    def __init__(self) -> None:
        super().__init__(0, len(HEADERS))
        self.setHorizontalHeaderLabels(list(HEADERS))
        self.queue: Queue | None = None
        self.words = qt_words()
        self._bold = QFont()
        self._bold.setBold(True)

    def set_queue(self, queue: Queue) -> None:
        self.queue = queue
        self.words = qt_words(queue.words)
        self.removeRows(0, self.rowCount())
        for location, items in queue.groups():
            late = sum(1 for i in items if i.due_ms < queue.now_ms)
            head = QStandardItem(f"{location}:  {len(items)} card(s)" + (f", ▲ {late} late" if late else ""))
            head.setFont(self._bold)
            head.setEditable(False)
            filler = [self._plain("") for _ in HEADERS[1:]]
            for item in items:
                head.appendRow(self._row(item, queue.now_ms))
            self.appendRow([head, *filler])

    def _plain(self, text: str) -> QStandardItem:
        cell = QStandardItem(text)
        cell.setEditable(False)
        return cell

    def _row(self, item: QueueRecord, now_ms: int) -> list[QStandardItem]:
        cells = [self._plain(t) for t in (
            due_words(item, now_ms, self.words), f"{item.code}  #{item.number}",
            f"{item.part_number}  {item.part_name}", SUPPLY_SHORT.get(Supply(item.supply), item.supply),
            item.station_code, str(item.qty_per_card))]
        cells[1].setData(item.card_id, CARD_ROLE)
        cells[1].setFont(self._bold)
        if item.due_ms < now_ms:
            cells[0].setBackground(QBrush(QColor(LATE[0])))
            cells[0].setForeground(QBrush(QColor(LATE[1])))
            cells[0].setFont(self._bold)
        for cell in cells:
            cell.setToolTip(f"Loop {item.loop_code}; emptied {self.words.clock(item.emptied_ms)}")
        return cells

    def card_rows(self) -> int:
        return sum(self.item(r).rowCount() for r in range(self.rowCount()))
