"""The andon board: a painted tile per station laid out by line, for a supervisor's PC or a TV.

Green when clear; the call type's colour, symbol and words when a call is open; the elapsed time ticks;
the escalation level shows as ▲n and flashes at the top level (until claimed). Type is as large as
fits every station, never below 50 px cap height at 1080 lines (`layout.py`); when that is too many
stations the board pages (◀ ▶, and it turns the pages itself in TV mode) and says how many calls are
open on the other pages. One widget paints every tile of the page, so 500 stations cost what the page
costs. A tap on a tile opens the station's calls to claim, resolve, escalate or shelve (after sign-in).
"""

from __future__ import annotations

from functools import cache, lru_cache

from PySide6.QtCore import QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from jitdesk.gui.andon.layout import BoardLayout, Cell, plan
from jitdesk.gui.andon.model import CLEAR_COLOUR, BoardModel, Tile, board_clock
from jitdesk.gui.widgets import big_button
from jitdesk.services.uow import wall_clock_ms

FAMILIES = ["Nimbus Sans Narrow", "DejaVu Sans Condensed", "DejaVu Sans"]
FLASH_MS = 500
PAGE_TURN_MS = 10_000
STATIC_TEXTS = 4096  # laid-out texts kept: every station's code and name, and the timers on screen
BACKGROUND = QColor("#0B0F14")
NO_STATIONS = "No station on the board yet: an admin adds line stations in Admin, Stations."


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
    """The pixel size whose capital letters are at least `cap_px` tall in the board's font."""
    metrics = QFontMetricsF(board_font(100))
    ratio = metrics.capHeight() / 100 or 0.72
    px = round(cap_px / ratio + 0.49)
    while QFontMetricsF(_font(px, True)).capHeight() < cap_px:
        px += 1
    return px


@lru_cache(maxsize=STATIC_TEXTS)
def _static(text: str, px: int) -> QStaticText:
    """The laid-out text, kept: a tick draws the same words again without laying them out again."""
    static = QStaticText(text)
    static.setTextFormat(Qt.TextFormat.PlainText)
    static.setPerformanceHint(QStaticText.PerformanceHint.AggressiveCaching)
    static.prepare(QTransform(), _font(px, True))
    return static


@lru_cache(maxsize=STATIC_TEXTS)
def _elided(text: str, px: int, room: int) -> str:
    return _metrics(px).elidedText(text, Qt.TextElideMode.ElideRight, max(10.0, room))


def _width(text: str, px: int) -> float:
    return _static(text, px).size().width()


def band_words(tile: Tile, band_cap: int, room: float) -> tuple[str, int]:
    """The tile's words and the pixel size they fit `room` at: the call type's name, else its code
    (`MAINT` for `MAINTENANCE`), in the band's type or down to 75 % of it; elided only when even the
    code does not fit. A clear tile says ✔ and its line."""
    if tile.clear:
        candidates = [f"✔ {tile.line_code or 'OK'}" + (" ★" if tile.bottleneck else "")]
    else:
        candidates = [f"{tile.symbol} {tile.words.upper()}", f"{tile.symbol} {tile.short.upper()}"]
    px = px_for_cap(band_cap)
    smallest = px_for_cap(max(8, round(band_cap * 0.75)))
    for text in candidates:
        if _width(text, px) <= room:
            return text, px
    for text in candidates[1:]:
        if _width(text, smallest) <= room:
            return text, smallest
    return _elided(candidates[-1], px, int(room)), px


def fitted(text: str, cap: int, room: float) -> tuple[str, int]:
    """`text` at `cap`, or at 75 % of it where that fits, else elided at `cap`."""
    px = px_for_cap(cap)
    if _width(text, px) <= room:
        return text, px
    smaller = px_for_cap(max(8, round(cap * 0.75)))
    if _width(text, smaller) <= room:
        return text, smaller
    return _elided(text, px, int(room)), px


def paint_key(tile: Tile, flash_on: bool) -> tuple[object, ...]:
    """What a tile looks like: a tile is painted again only when this changes."""
    return (tile.colour, tile.words, tile.level, tile.shelved, tile.more, tile.top and not flash_on,
            board_clock(tile.elapsed_ms) if not tile.clear else tile.name, tile.code)


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
        self.last_words: dict[str, tuple[str, int]] = {}  # station id -> band words and their pixel size
        self.shown: dict[int, tuple[object, ...]] = {}  # station index -> paint key on screen

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
        flags = [s.bottleneck for s in self.model.stations]
        self.layout_plan = plan(groups, self.width(), self.height(), self._measure, codes, self.screen_height(),
                                bottlenecks=flags)
        self._laid_for = key
        self.page = min(self.page, self.layout_plan.page_count - 1)
        self.shown.clear()
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

    def changed_cells(self) -> list[Cell]:
        """The tiles of this page whose look moved on since they were painted (a timer's second, a flash)."""
        now = self.now_ms()
        model = self.model
        out = []
        for cell in self.cells():
            station = model.stations[cell.index]
            if not model.calls_at(station.station_id) and cell.index in self.shown and self.shown[cell.index][0] \
                    == CLEAR_COLOUR:
                continue
            if paint_key(model.tile(station, now), self.flash_on) != self.shown.get(cell.index):
                out.append(cell)
        return out

    def paintEvent(self, event: QPaintEvent) -> None:
        plan_ = self.relayout()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        region = event.region()
        painter.fillRect(event.rect(), BACKGROUND)
        now = self.now_ms()
        tiles = []
        for cell in self.cells():
            if not region.intersects(QRect(cell.x, cell.y, cell.w, cell.h)):
                continue  # a tick repaints only the tiles that moved
            tile = self.model.tile(self.model.stations[cell.index], now)
            tiles.append(tile)
            self._paint_tile(painter, cell, tile, cell.cap_px or plan_.cap_px)
            self.shown[cell.index] = paint_key(tile, self.flash_on)
        self.last_tiles = tiles
        if not self.model.stations:  # said in words in the middle, not an empty black screen
            painter.setPen(_colour("#FFD400"))
            painter.setFont(_font(px_for_cap(round(plan_.cap_px * 0.5)), True))
            painter.drawText(QRectF(self.rect()).adjusted(40, 0, -40, 0),
                             int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), NO_STATIONS)
        painter.end()

    def _paint_tile(self, p: QPainter, cell: Cell, tile: Tile, cap: int) -> None:
        rect = QRectF(cell.x, cell.y, cell.w, cell.h)
        inverted = tile.top and not self.flash_on
        colour = _colour(tile.colour)
        ink = colour if inverted else _colour(tile.ink)
        p.setPen(QPen(colour, 6) if inverted else Qt.PenStyle.NoPen)
        p.setBrush(_colour("#000000") if inverted else colour)
        inner = rect.adjusted(3, 3, -3, -3)
        p.drawRoundedRect(inner, 10, 10)
        if tile.bottleneck:  # a second frame inside: a bottleneck reads as one by shape as well as size
            p.setPen(QPen(ink, 3))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(inner.adjusted(5, 5, -5, -5), 7, 7)
        p.setPen(ink)
        band_h = round(cap * 0.7)
        band = QRectF(inner.x() + 7, inner.y() + 2, inner.width() - 14, band_h)
        band_cap = round(cap * 0.45)
        small_px = px_for_cap(band_cap)
        right = ""
        if not tile.clear:
            right = f"▲{tile.level}" if tile.level else ""
            if tile.shelved:
                right = "‖" + right
            if tile.more:
                right = f"+{tile.more} " + right
            if tile.bottleneck and cell.w > 2 * cell.h:
                right = "★ " + right
        right_w = _width(right, small_px) + 6 if right else 0.0
        left, left_px = band_words(tile, band_cap, band.width() - right_w)
        self.last_words[tile.station_id] = (left, left_px)
        self._text(p, band, left, left_px, Qt.AlignmentFlag.AlignLeft)
        if right:
            self._text(p, band, right, small_px, Qt.AlignmentFlag.AlignRight)
        line_h = min((inner.height() - band_h) / 2, round(cap * 1.3))
        top = inner.y() + band_h + (inner.height() - band_h - 2 * line_h) / 2  # a stretched tile: centred
        big_px = px_for_cap(cap)
        code_rect = QRectF(inner.x(), top, inner.width(), line_h)
        self._text(p, code_rect, tile.code, big_px, Qt.AlignmentFlag.AlignHCenter)
        timer_rect = QRectF(inner.x() + 7, top + line_h, inner.width() - 14, line_h)
        if tile.clear:
            name, name_px = fitted(tile.name, band_cap, timer_rect.width())
            self._text(p, timer_rect, name, name_px, Qt.AlignmentFlag.AlignHCenter)
        else:
            self._text(p, timer_rect, board_clock(tile.elapsed_ms), big_px, Qt.AlignmentFlag.AlignHCenter)

    @staticmethod
    def _text(p: QPainter, rect: QRectF, text: str, px: int, align: Qt.AlignmentFlag) -> None:
        """`text` in `rect`, centred up and down, at `align` across: drawn from its kept layout."""
        static = _static(text, px)
        size = static.size()
        if align == Qt.AlignmentFlag.AlignLeft:
            x = rect.x()
        elif align == Qt.AlignmentFlag.AlignRight:
            x = rect.right() - size.width()
        else:
            x = rect.x() + (rect.width() - size.width()) / 2
        p.setFont(_font(px, True))
        p.drawStaticText(QPointF(x, rect.y() + (rect.height() - size.height()) / 2), static)


@cache
def _colour(name: str) -> QColor:
    return QColor(name)


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
        if not self.model.stations:
            words = "No station yet"
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
        """Timers and flashing move on open tiles only: repaint the tiles whose look changed, not the page."""
        self.canvas.flash_on = not self.canvas.flash_on
        if not self.isVisible():
            return
        for cell in self.canvas.changed_cells():
            self.canvas.update(QRect(cell.x, cell.y, cell.w, cell.h))
