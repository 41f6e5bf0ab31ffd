"""`TotalsStrip`: the figures a board always shows, whatever page is up (e.g. loops by risk level).

Each figure is a symbol and a number in board type, with its words under them, on its colour, so it
reads in black and white too.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget


@dataclass(frozen=True)
class Total:
    symbol: str
    words: str
    count: int
    background: str
    foreground: str

    @property
    def text(self) -> str:
        return f"{self.symbol} {self.count}\n{self.words}"


class TotalsStrip(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("boardTotals")
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(14)
        self.labels: list[QLabel] = []
        self._font = QFont()
        self._small = QFont()

    def set_type(self, font: QFont, small: QFont) -> None:
        """`font` for the symbol and number, `small` for the words under them."""
        self._font, self._small = QFont(font), QFont(small)
        for label in self.labels:
            self._style(label, label.property("look"))

    def set_totals(self, totals: Sequence[Total]) -> None:
        while len(self.labels) < len(totals):
            label = QLabel()
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._row.addWidget(label, 1)
            self.labels.append(label)
        for label, total in zip(self.labels, totals, strict=False):
            label.setText(f"<div style='font-size:{self._font.pixelSize()}px'>{html.escape(total.symbol)}"
                          f" {total.count}</div><div style='font-size:{self._small.pixelSize()}px'>"
                          f"{html.escape(total.words)}</div>")
            label.setAccessibleName(total.text.replace("\n", " "))
            label.setProperty("look", (total.background, total.foreground))
            self._style(label, (total.background, total.foreground))
            label.show()
        for label in self.labels[len(totals):]:
            label.hide()

    def texts(self) -> list[str]:
        """What each figure says, e.g. "✖ 13 STOCKOUT"."""
        return [label.accessibleName() for label in self.labels if not label.isHidden()]

    def _style(self, label: QLabel, look: tuple[str, str] | None) -> None:
        background, foreground = look or ("#1A2029", "#FFFFFF")
        label.setFont(self._font)
        label.setStyleSheet(f"background: {background}; color: {foreground}; font-weight: bold;"
                            f" font-size: {self._font.pixelSize()}px; border-radius: 12px; padding: 2px 12px;")
