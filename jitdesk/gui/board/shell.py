"""`BoardShell`: the full-screen window of a TV board, the same for every board.

Top: the board's title, the page ("2 of 7") and the clock in the plant's time zone. Then the totals
strip, always in view. Then the page of tiles (`TileGrid`), or in words why there is none ("No loop
matches ..."). Pages turn by themselves every `seconds`; a tap on a tile opens its details (the
turning pauses while they are open; a tap closes them). Escape or the ✕ button closes the board.

A board subclasses it and implements `load()`: fetch page `self.page` of `self.grid.capacity()` items
and hand the result to `show_page(...)`. The shell never reorders what it is given, so a board that
keeps a stable order (the kanban board sorts by loop code) keeps its columns and rows still between
refreshes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QFontMetrics, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QStackedLayout, QVBoxLayout, QWidget

from jitdesk.gui.board.tiles import Tile, TileGrid
from jitdesk.gui.board.totals import Total, TotalsStrip
from jitdesk.gui.board.type import cap_for, font_with_cap
from jitdesk.gui.widgets import big_button
from jitdesk.gui.widgets.fit import ElidedLabel

TILE_CHARS = 20  # the narrowest tile still shows this many letters of a name at board size
TILE_FRAME_PX = 36  # a tile's border, margins and the status band's padding
DETAIL_SHARE = 0.6  # details text: this share of the board's cap height (read from closer, after a tap)


class BoardShell(QWidget):
    closed = Signal()

    def __init__(self, title: str, *, seconds: float = 12.0, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("boardShell")
        self.setWindowTitle(title)
        self.page = 0
        self.pages = 1
        self.zone: tzinfo | None = None
        self.title = ElidedLabel(title)
        self.page_label = QLabel()
        self.clock = QLabel()
        self.close_button = big_button("✕")
        self.close_button.setToolTip("Close the board (Esc)")
        self.close_button.clicked.connect(self.close)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.page_label)
        top.addSpacing(24)
        top.addWidget(self.clock)
        top.addWidget(self.close_button)
        self.totals = TotalsStrip()
        self.grid = TileGrid()
        self.grid.tapped.connect(self.open_details)
        self.grid.capacity_changed.connect(self._capacity_changed)
        self.empty = QLabel()
        self.empty.setObjectName("boardEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body = QWidget()
        self._body = QStackedLayout(body)
        self._body.addWidget(self.grid)
        self._body.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 14, 28, 18)
        layout.setSpacing(16)
        layout.addLayout(top)
        layout.addWidget(self.totals)
        layout.addWidget(body, 1)

        self.details = QFrame(self)
        self.details.setObjectName("boardDetails")
        self.details.setStyleSheet("#boardDetails { background: #0B0E13; border: 6px solid #FFD400;"
                                   " border-radius: 16px; } #boardDetails QLabel { background: transparent; }")
        self.details_text = QLabel()
        self.details_text.setWordWrap(True)
        self.details_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details_close = big_button("✕  Close")
        self.details_close.clicked.connect(self.close_details)
        inner = QVBoxLayout(self.details)
        inner.setContentsMargins(28, 20, 28, 20)
        inner.addWidget(self.details_text, 1)
        inner.addWidget(self.details_close, 0, Qt.AlignmentFlag.AlignRight)
        self.details.hide()
        self.details.installEventFilter(self)  # a tap anywhere on the details closes them
        self.details_index = -1

        self.rotation = QTimer(self)
        self.rotation.setInterval(int(seconds * 1000))
        self.rotation.timeout.connect(self.turn)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(1000)
        self._clock_timer.timeout.connect(self.tick)
        self._relayout = QTimer(self)  # a resize changes how many tiles fit: one reload once it settles
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(120)
        self._relayout.timeout.connect(self.load)
        self.cap = 0.0
        self.font_big = QFont()
        self.font_small = QFont()
        self.set_screen_height(1080)
        self.tick()

    # -- type and size ----------------------------------------------------------------------------
    def set_screen_height(self, height: int) -> None:
        """Size the type for a screen `height` pixels tall (the cap height scales with it)."""
        self.cap = cap_for(height)
        self.font_big = font_with_cap(self.cap)
        self.font_small = small = font_with_cap(self.cap * DETAIL_SHARE)
        big_px, small_px = self.font_big.pixelSize(), small.pixelSize()
        for label in (self.title, self.page_label, self.clock):
            label.setStyleSheet(f"font-size: {small_px}px; font-weight: bold;")
        self.empty.setStyleSheet(f"font-size: {big_px}px; font-weight: bold; color: #FFD400;")
        self.details_text.setStyleSheet(f"font-size: {small_px}px;")
        self.totals.set_type(self.font_big, small)
        metrics, small_metrics = QFontMetrics(self.font_big), QFontMetrics(small)
        self.totals.setFixedHeight(metrics.lineSpacing() + small_metrics.lineSpacing() + 12)
        self.grid.set_tile_size(metrics.averageCharWidth() * TILE_CHARS,
                                metrics.lineSpacing() * 2 + small_metrics.lineSpacing() + TILE_FRAME_PX)
        for tile in self.grid.tiles:
            if isinstance(tile, Tile):
                tile.set_type(self.font_big, small)

    def _capacity_changed(self, _capacity: int) -> None:
        self._relayout.start()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().height() != event.oldSize().height():
            self.set_screen_height(event.size().height())
        self._place_details()

    # -- pages ------------------------------------------------------------------------------------
    def start(self) -> None:
        """Begin showing: load the first page, and turn pages and tick the clock from now on."""
        self.rotation.start()
        self._clock_timer.start()
        self.load()

    def load(self) -> None:
        raise NotImplementedError

    def turn(self) -> None:
        """The next page (after the last, the first again); not while someone reads a tile's details."""
        if self.details.isVisible():
            return
        self.page = (self.page + 1) % max(1, self.pages)
        self.load()

    def show_page(self, tiles: Sequence[Tile], page: int, pages: int, totals: Sequence[Total],
                  empty_text: str = "") -> None:
        self.page, self.pages = page, max(1, pages)
        self.totals.set_totals(totals)
        for tile in tiles:
            tile.set_type(self.font_big, self.font_small)
        self.grid.set_tiles(tiles)
        self._body.setCurrentWidget(self.grid if tiles else self.empty)
        self.empty.setText(empty_text)
        self.page_label.setText(f"Page {page + 1} of {self.pages}" if self.pages > 1 else "")
        if self.details_index >= len(tiles):
            self.close_details()

    # -- details ----------------------------------------------------------------------------------
    def details_for(self, index: int) -> str:
        """The words shown when tile `index` of this page is tapped (a board overrides it)."""
        return ""

    def open_details(self, index: int) -> None:
        if self.details.isVisible() and index == self.details_index:
            self.close_details()
            return
        self.details_index = index
        self.details_text.setText(self.details_for(index))
        self.details.show()
        self.details.raise_()
        self._place_details()

    def close_details(self) -> None:
        self.details.hide()
        self.details.installEventFilter(self)  # a tap anywhere on the details closes them
        self.details_index = -1

    def _place_details(self) -> None:
        margin = max(20, self.width() // 14)
        self.details.setGeometry(margin, margin, self.width() - 2 * margin, self.height() - 2 * margin)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.details and event.type() == QEvent.Type.MouseButtonRelease:
            self.close_details()
            return True
        return False

    # -- clock and keys ---------------------------------------------------------------------------
    def set_zone(self, zone: tzinfo | None) -> None:
        self.zone = zone
        self.tick()

    def tick(self) -> None:
        self.clock.setText(datetime.now(self.zone).strftime("%H:%M"))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            if self.details.isVisible():
                self.close_details()
            else:
                self.close()
            return
        if event.key() in (Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Space):
            self.turn()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.rotation.stop()
        self._clock_timer.stop()
        super().closeEvent(event)
        self.closed.emit()


def show_board(board: BoardShell, *, full_screen: bool = True) -> None:
    """Show `board` over its whole screen (the parent window's), then start turning its pages."""
    if full_screen:
        anchor = board.parentWidget()
        screen = (anchor.window() if anchor is not None else board).screen()
        if screen is not None:  # a station without a window manager ignores "full screen": size it too
            board.setGeometry(screen.geometry())
        board.showFullScreen()
    else:
        board.show()
    board.start()


__all__ = ["BoardShell", "Tile", "Total", "show_board"]
