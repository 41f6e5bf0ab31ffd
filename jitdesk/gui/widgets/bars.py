"""A horizontal bar chart painted directly: label, bar and the number written beside it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from jitdesk.gui import theme


class BarChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bars")
        self._rows: list[tuple[str, int]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_rows(self, rows: Sequence[tuple[str, int]]) -> None:
        self._rows = list(rows)
        self.updateGeometry()
        self.update()

    def _row_height(self) -> int:
        return int(self.fontMetrics().height() * 1.6)

    def sizeHint(self) -> QSize:
        return QSize(600, max(1, len(self._rows)) * self._row_height() + 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(300, max(1, len(self._rows)) * self._row_height() + 8)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        row_h = self._row_height()
        if not self._rows:
            painter.setPen(QColor(theme.MUTED))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             "Nothing recorded yet.")
            return
        label_w = min(max(metrics.horizontalAdvance(label) for label, _ in self._rows) + 20,
                      self.width() // 2)
        number_w = metrics.horizontalAdvance("000000") + 16
        bar_w = max(10, self.width() - label_w - number_w)
        top = max(n for _, n in self._rows) or 1
        for i, (label, n) in enumerate(self._rows):
            y = i * row_h
            painter.setPen(QColor(theme.TEXT))
            text = metrics.elidedText(label, Qt.TextElideMode.ElideMiddle, label_w - 16)
            painter.drawText(QRectF(0, y, label_w - 12, row_h),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
            width = bar_w * n / top
            painter.fillRect(QRectF(label_w, y + row_h * 0.18, max(width, 3), row_h * 0.64),
                             QColor(theme.ACCENT))
            painter.drawText(QRectF(label_w + width + 10, y, number_w, row_h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, str(n))
