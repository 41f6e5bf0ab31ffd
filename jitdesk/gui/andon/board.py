"""The andon board: a painted tile per station laid out by line, for a supervisor's PC or a TV.

Green when clear; the call type's colour, symbol and words when a call is open; the elapsed time ticks;
the escalation level shows as ▲n and flashes at the top level (until claimed). Type is as large as
fits every station, never below 50 px cap height at 1080 lines (`layout.py`); when that is too many
stations the board pages (◀ ▶, and it turns the pages itself in TV mode) and says how many calls are
open on the other pages. One widget paints every tile of the page, so 500 stations cost what the page
costs. A tap on a tile opens the station's calls to claim, resolve, escalate or shelve (after sign-in).
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QMouseEvent, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from jitdesk.gui.andon.layout import BoardLayout, Cell, plan
from jitdesk.gui.andon.model import BoardModel, Tile, clock_text
from jitdesk.gui.widgets import big_button
from jitdesk.services.uow import wall_clock_ms

FAMILIES = ["Nimbus Sans Narrow", "DejaVu Sans Condensed", "DejaVu Sans"]
FLASH_MS = 500
PAGE_TURN_MS = 10_000


@cache
def _font(px: int, bold: bool) -> QFont:
    font = QFont()
    font.setFamilies(FAMILIES)
    font.setPixelSize(max(1, px))
    font.setBold(bold)
    return font


@cache
def _metrics(px: int) -> QFontMetricsF:
    return QFontMetricsF(_font(px, True))


def board_font(px: int, bold: bool = True) -> QFont:
    return QFont(_font(px, bold))


@cache
def px_for_cap(cap_px: int) -> int:
    """The pixel size whose capital letters are `cap_px` tall in the board's font."""
    metrics = QFontMetricsF(board_font(100))
    ratio = metrics.capHeight() / 100 or 0.72
    return round(cap_px / ratio + 0.49)


class BoardCanvas(QWidget):
    """Paints the tiles of one page of the board model."""

    tile_clicked = Signal(str)  # station id
    relaid = Signal()  # the layout changed (new size or stations): pages may have come or gone

    def __init__(self, model: BoardModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.page = 0
        self.layout_plan: BoardLayout | None = None
        self._laid_for: tuple[int, int, int, int] | None = None
        self.flash_on = True
        self.now_ms = wall_clock_ms
        self.setMinimumSize(200, 120)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.last_tiles: list[Tile] = []
        self._small_metrics = _metrics(px_for_cap(12))

    def screen_height(self) -> int:
        window = self.window()
        return window.height() if window is not None else self.height()

    def relayout(self, force: bool = False) -> BoardLayout:
        key = (self.model.version, self.width(), self.height(), self.screen_height())
        if self.layout_plan is not None and key == self._laid_for and not force:
            return self.layout_plan
        groups: list[int] = []
        last: str | None = None
        for station in self.model.stations:
            if station.line_code != last or not groups:
                groups.append(0)
                last = station.line_code
            groups[-1] += 1
        codes = [s.code for s in self.model.stations]
        self.layout_plan = plan(groups, self.width(), self.height(), self._measure, codes, self.screen_height())
        self._laid_for = key
        self.page = min(self.page, self.layout_plan.page_count - 1)
        self.relaid.emit()
        return self.layout_plan

    @staticmethod
    def _measure(text: str, cap_px: int) -> float:
        return _metrics(px_for_cap(cap_px)).horizontalAdvance(text)

    def cells(self) -> tuple[Cell, ...]:
        plan_ = self.relayout()
        return plan_.pages[self.page] if plan_.pages else ()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.relayout()
        super().resizeEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        for cell in self.cells():
            if QRect(cell.x, cell.y, cell.w, cell.h).contains(pos):
                self.tile_clicked.emit(self.model.stations[cell.index].station_id)
                return
        super().mousePressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        plan_ = self.relayout()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        region = event.region()
        painter.fillRect(event.rect(), QColor("#0B0F14"))
        now = self.now_ms()
        cap = plan_.cap_px
        big = _font(px_for_cap(cap), True)
        small_px = px_for_cap(round(cap * 0.45))
        small = _font(small_px, True)
        self._small_metrics = _metrics(small_px)
        tiles = []
        for cell in self.cells():
            if not region.intersects(QRect(cell.x, cell.y, cell.w, cell.h)):
                continue  # a tick repaints only the tiles that move (open calls)
            tile = self.model.tile(self.model.stations[cell.index], now)
            tiles.append(tile)
            self._paint_tile(painter, cell, tile, big, small, cap)
        self.last_tiles = tiles
        painter.end()

    def _paint_tile(self, p: QPainter, cell: Cell, tile: Tile, big: QFont, small: QFont, cap: int) -> None:
        rect = QRectF(cell.x, cell.y, cell.w, cell.h)
        inverted = tile.top and not self.flash_on
        bg = QColor("#000000") if inverted else QColor(tile.colour)
        ink = QColor(tile.colour) if inverted else QColor(tile.ink)
        p.setPen(QPen(QColor(tile.colour), 6) if inverted else Qt.PenStyle.NoPen)
        p.setBrush(bg)
        p.drawRoundedRect(rect.adjusted(3, 3, -3, -3), 10, 10)
        p.setPen(ink)
        band_h = round(cap * 0.7)
        inner = rect.adjusted(3, 3, -3, -3)
        band = QRectF(inner.x() + 8, inner.y(), inner.width() - 16, band_h)
        p.setFont(small)
        metrics = self._small_metrics
        right = ""
        if not tile.clear:
            right = f"▲{tile.level}" if tile.level else ""
            if tile.shelved:
                right = "‖" + right
            if tile.more:
                right = f"+{tile.more} " + right
        room = band.width() - (metrics.horizontalAdvance(right) + 6 if right else 0)
        left = f"{tile.symbol} {tile.words.upper()}" if not tile.clear else f"✔ {tile.line_code or 'OK'}"
        left = metrics.elidedText(left, Qt.TextElideMode.ElideRight, max(10.0, room))
        p.drawText(band, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, left)
        if right:
            p.drawText(band, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, right)
        line_h = (inner.height() - band_h) / 2
        p.setFont(big)
        code_rect = QRectF(inner.x(), inner.y() + band_h, inner.width(), line_h)
        p.drawText(code_rect, Qt.AlignmentFlag.AlignCenter, tile.code)
        timer_rect = QRectF(inner.x(), inner.y() + band_h + line_h, inner.width(), line_h)
        if tile.clear:
            p.setFont(small)
            name = metrics.elidedText(tile.name, Qt.TextElideMode.ElideRight, timer_rect.width() - 8)
            p.drawText(timer_rect, Qt.AlignmentFlag.AlignCenter, name)
        else:
            p.drawText(timer_rect, Qt.AlignmentFlag.AlignCenter, clock_text(tile.elapsed_ms))


class AndonBoardView(QWidget):
    """The board with its header: the page, open calls elsewhere, and the page buttons."""

    station_chosen = Signal(str)

    def __init__(self, model: BoardModel | None = None, parent: QWidget | None = None, *,
                 turn_pages: bool = False) -> None:
        super().__init__(parent)
        self.model = model or BoardModel()
        self.canvas = BoardCanvas(self.model)
        self.canvas.tile_clicked.connect(self.station_chosen)
        self.canvas.relaid.connect(self._pages_changed)
        self.summary = QLabel()
        self.summary.setObjectName("boardSummary")
        self.summary.setStyleSheet("#boardSummary { font-weight: bold; }")
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # never widens
        self.prev_button = big_button("◀")
        self.next_button = big_button("▶")
        self.prev_button.clicked.connect(lambda: self.turn(-1))
        self.next_button.clicked.connect(lambda: self.turn(1))
        self.header = QHBoxLayout()
        self.header.addWidget(self.summary, 1)
        self.header.addWidget(self.prev_button)
        self.header.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(self.header)
        layout.addWidget(self.canvas, 1)
        self.ticker = QTimer(self)
        self.ticker.setInterval(FLASH_MS)
        self.ticker.timeout.connect(self.tick)
        self.pager = QTimer(self)
        self.pager.setInterval(PAGE_TURN_MS)
        self.pager.timeout.connect(lambda: self.turn(1, wrap=True))
        self.turn_pages = turn_pages
        self.refresh()

    def refresh(self) -> None:
        """The model changed: lay out again, say where the calls are, keep ticking while any is open."""
        pages = self.canvas.relayout(force=True).page_count
        if self.model.open_count and not self.ticker.isActive():
            self.ticker.start()
        elif not self.model.open_count:
            self.ticker.stop()
        if self.turn_pages and pages > 1 and not self.pager.isActive():
            self.pager.start()
        self.canvas.update()

    def _pages_changed(self) -> None:
        plan_ = self.canvas.layout_plan
        pages = plan_.page_count if plan_ is not None else 1
        self.prev_button.setVisible(pages > 1)
        self.next_button.setVisible(pages > 1)
        self._summarise()

    def _summarise(self) -> None:
        plan_ = self.canvas.layout_plan
        if plan_ is None:
            return
        total = self.model.open_count
        pages = plan_.page_count
        words = "✔ All stations clear" if not total else f"⚑ {total} open call{'s' if total != 1 else ''}"
        if pages > 1:
            elsewhere: dict[int, int] = {}
            for i, cells in enumerate(plan_.pages):
                if i == self.canvas.page:
                    continue
                count = sum(len(self.model.calls_at(self.model.stations[c.index].station_id)) for c in cells)
                if count:
                    elsewhere[i + 1] = count
            words += f"  ·  page {self.canvas.page + 1} of {pages}"
            if elsewhere:
                words += "  ·  on other pages: " + ", ".join(f"p{k}: {v}" for k, v in sorted(elsewhere.items()))
        self.summary.setText(words)

    def turn(self, step: int, wrap: bool = False) -> None:
        pages = self.canvas.relayout().page_count
        page = self.canvas.page + step
        if wrap:
            page %= pages
        self.canvas.page = max(0, min(pages - 1, page))
        self._summarise()
        self.canvas.update()

    def tick(self) -> None:
        """Timers and flashing move on open tiles only: repaint those, not the page."""
        self.canvas.flash_on = not self.canvas.flash_on
        if not self.isVisible():
            return
        model = self.model
        for cell in self.canvas.cells():
            if model.calls_at(model.stations[cell.index].station_id):
                self.canvas.update(QRect(cell.x, cell.y, cell.w, cell.h))
