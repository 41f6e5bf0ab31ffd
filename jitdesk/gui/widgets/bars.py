"""A horizontal bar chart painted directly: label, bar and the number written beside it. A label wider than
half the chart (large ui.font_scale) goes on a line of its own above its bar rather than lose letters."""

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

    def _label_width(self) -> int:
        metrics = self.fontMetrics()
        return max((metrics.horizontalAdvance(label) for label, _ in self._rows), default=0) + 20

    def _stacked(self, width: int) -> bool:
        return self._label_width() > width // 2

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        lines = 2 if self._stacked(width) else 1
        return max(1, len(self._rows)) * self._row_height() * lines + 8

    def sizeHint(self) -> QSize:
        return QSize(600, self.heightForWidth(600))

    def minimumSizeHint(self) -> QSize:
        return QSize(300, self.heightForWidth(max(300, self.width())))

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
        stacked = self._stacked(self.width())
        label_w = 0 if stacked else self._label_width()
        number_w = metrics.horizontalAdvance("000000") + 16
        bar_w = max(10, self.width() - label_w - number_w)
        top = max(n for _, n in self._rows) or 1
        for i, (label, n) in enumerate(self._rows):
            y = i * row_h * (2 if stacked else 1)
            painter.setPen(QColor(theme.TEXT))
            if stacked:  # the label whole on its own line (cut only where even the full width is too narrow)
                text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, self.width())
                painter.drawText(QRectF(0, y, self.width(), row_h),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
                y += row_h
            else:
                painter.drawText(QRectF(0, y, label_w - 12, row_h),
                                 Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
            width = bar_w * n / top
            painter.fillRect(QRectF(label_w, y + row_h * 0.18, max(width, 3), row_h * 0.64),
                             QColor(theme.ACCENT))
            painter.drawText(QRectF(label_w + width + 10, y, number_w, row_h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, str(n))
