"""`TileGrid`: the tiles of one board page in a grid that says how many tiles fit its size.

A board asks `capacity()` (columns x rows of the smallest tile that stays readable) and loads that
many items a page; `capacity_changed` tells it when a resize changes the figure. A tap on a tile
(a finger or a click, not a hover) emits `tapped(index)`. `Tile` is the plain tile the boards share:
a headline, a smaller detail line, and a status band beside a figure, every line elided rather than cut.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from jitdesk.gui.widgets.fit import ElidedLabel

SPACING = 18


class Tile(QFrame):
    """One item on a board: headline on top, a detail line, then its status (symbol and words on its
    colour) and its figure."""

    def __init__(self, headline: str, status: str, figure: str, *, background: str, foreground: str,
                 detail: str = "", figure_short: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._figures = (figure, figure_short or figure)  # the short one when the long one does not fit
        self.setObjectName("boardTile")
        self.headline = ElidedLabel(headline)
        self.detail = ElidedLabel(detail)
        self.detail.setVisible(bool(detail))
        self.status = QLabel(status)  # a few words: its own width, with the padding of its band
        self.figure = ElidedLabel(figure)
        self.figure.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.status.setObjectName("boardStatus")
        self.status.setStyleSheet(f"#boardStatus {{ background: {background}; color: {foreground};"
                                  " border-radius: 10px; padding: 2px 16px; }")
        self.setStyleSheet(f"#boardTile {{ background: #161C25; border: 6px solid {background};"
                           " border-radius: 16px; }")
        low = QHBoxLayout()
        low.setSpacing(SPACING)
        low.addWidget(self.status)
        low.addWidget(self.figure, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(18, 6, 18, 8)
        column.setSpacing(2)
        column.addWidget(self.headline)
        column.addWidget(self.detail)
        column.addLayout(low)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)

    def set_type(self, font: QFont, small: QFont) -> None:
        """`font` for the headline, status and figure (read from afar); `small` for the detail line."""
        for label in (self.headline, self.status, self.figure):
            label.setFont(font)
        self.detail.setFont(small)
        self.status.setStyleSheet(self.status.styleSheet() + f" #boardStatus {{ font-size: {font.pixelSize()}px; }}")
        for label in (self.headline, self.figure):
            label.setStyleSheet(f"font-size: {font.pixelSize()}px; font-weight: bold; background: transparent;")
        self.detail.setStyleSheet(f"font-size: {small.pixelSize()}px; color: #C9D2DC; background: transparent;")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        long, short = self._figures
        room = self.figure.contentsRect().width()
        self.figure.setText(long if self.figure.fontMetrics().horizontalAdvance(long) <= room or room <= 0 else short)

    def shown_lines(self) -> tuple[str, str, str, str]:
        return self.headline.text(), self.detail.text(), self.status.text(), self.figure.text()


class TileGrid(QWidget):
    tapped = Signal(int)  # index of the tile on this page
    capacity_changed = Signal(int)

    def __init__(self, tile_width: int = 600, tile_height: int = 200, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(SPACING)
        self.tiles: list[QWidget] = []
        self._fillers: list[QWidget] = []
        self._tile_width = tile_width
        self._tile_height = tile_height
        self._capacity = self.capacity()
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)

    def set_tile_size(self, width: int, height: int) -> None:
        """The smallest tile that stays readable; the grid fits as many as it can."""
        self._tile_width, self._tile_height = max(1, width), max(1, height)
        self._check_capacity()

    def columns(self) -> int:
        return max(1, (self.width() + SPACING) // (self._tile_width + SPACING))

    def rows(self) -> int:
        return max(1, (self.height() + SPACING) // (self._tile_height + SPACING))

    def capacity(self) -> int:
        return self.columns() * self.rows()

    def set_tiles(self, tiles: Sequence[QWidget]) -> None:
        """Show `tiles` (at most `capacity()`) in reading order; a short page keeps the cells' sizes."""
        for old in (*self.tiles, *self._fillers):
            self._grid.removeWidget(old)
            old.deleteLater()
        self.tiles, self._fillers = list(tiles), []
        columns, rows = self.columns(), self.rows()
        for i in range(columns * rows):
            if i < len(self.tiles):
                cell = self.tiles[i]
                cell.installEventFilter(self)
            else:
                cell = QWidget()
                cell.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
                self._fillers.append(cell)
            self._grid.addWidget(cell, i // columns, i % columns)
        for hidden in self.tiles[columns * rows:]:
            hidden.hide()
        for c in range(columns):
            self._grid.setColumnStretch(c, 1)
        for r in range(rows):
            self._grid.setRowStretch(r, 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease and watched in self.tiles:
            self.tapped.emit(self.tiles.index(watched))
            return True
        return False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._check_capacity()

    def _check_capacity(self) -> None:
        now = self.capacity()
        if now != self._capacity:
            self._capacity = now
            self.capacity_changed.emit(now)
