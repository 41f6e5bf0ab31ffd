"""The takt board for supervisors and a TV on the floor: every line with planned-by-now against made,
efficiency, ahead or behind in parts, and its state in colour, a symbol and a word.

Rows are painted, not built from widgets, so fifty lines ticking four times a second cost little: the
board loads every line's status when cycles, demand or calendars change (coalesced, at most every
`COALESCE_MS`) and moves the statuses on with the clock (`domain.takt.status.at_time`) each tick. Type
is sized for 10 m: at 1080p the row text has a cap height of at least 50 px; lines that do not fit
are shown page by page, turning every `PAGE_MS`. "TV mode" opens the board full screen (Esc closes).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHideEvent,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QShowEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from jitdesk.domain.takt.status import BEHIND, OFF, RUNNING, STOPPED, LineStatus, at_time, stale
from jitdesk.gui import theme
from jitdesk.gui.context import AppContext
from jitdesk.gui.takt.look import AMBER, GREY, PHASE, STANDING, percent, signed
from jitdesk.gui.widgets import big_button, page_title
from jitdesk.gui.widgets.page import ReloadingPage
from jitdesk.services.takt.status import Board, LineTakt, board
from jitdesk.services.uow import wall_clock_ms

TICK_MS = 250
COALESCE_MS = 500
RELOAD_MS = 30_000
PAGE_MS = 10_000
STACKED_SCALE = 2.0  # from this ui.font_scale on, TV mode sits below the title
MIN_CAP_PX = 50  # readable at 10 m on a 55" 1080p screen
HEADERS = ("Line", "Planned", "Made", "Eff.", "± parts", "State")
WIDTHS = (0.14, 0.13, 0.13, 0.14, 0.13, 0.33)  # shares of the width
SAMPLES = ("L88", "8888", "8888", "188 %", "−888", "○ NO DEMAND")  # the widest each column must hold


def state_of(status: LineStatus) -> tuple[str, str, str]:
    """(symbol, word, colour) of a line on the board: paused lines say why, running ones ahead/behind."""
    if status.phase != RUNNING:
        symbol, word, _colour = PHASE[status.phase]
        words = {OFF: "OFF SHIFT", STOPPED: "STOP"}
        return symbol, words.get(status.phase, word.upper()), GREY if status.phase == OFF else AMBER
    if status.plan is None or status.plan.demand <= 0:
        return "○", "NO DEMAND", GREY
    return STANDING[status.standing]


def row_cells(line: LineTakt) -> tuple[str, ...]:
    s = line.status
    symbol, word, _colour = state_of(s)
    if s.plan is None:
        return line.code, "—", "—", "—", "—", f"{symbol} {word}"
    return line.code, str(s.planned), str(s.actual), percent(s.efficiency), signed(s.ahead), f"{symbol} {word}"


class Glyphs:
    """Characters drawn once per font and ink, then stamped. Qt's raster engine draws type above a
    size limit (64 px) as outlines, every time; board type is larger (50 px capitals), and a page of
    new rows would take tens of milliseconds. Digits and the few words repeat, so stamps are cheap."""

    def __init__(self) -> None:
        self._images: dict[tuple[str, int, str], tuple[QPixmap, int]] = {}

    def _glyph(self, font: QFont, ink: str, char: str) -> tuple[QPixmap, int]:
        key = (char, font.pixelSize(), ink)
        found = self._images.get(key)
        if found is None:
            metrics = QFontMetrics(font)
            advance = max(1, metrics.horizontalAdvance(char))
            image = QPixmap(advance + 4, metrics.height())
            image.fill(Qt.GlobalColor.transparent)
            painter = QPainter(image)
            painter.setFont(font)
            painter.setPen(QColor(ink))
            painter.drawText(0, metrics.ascent(), char)
            painter.end()
            found = self._images[key] = (image, advance)
        return found

    def stamp(self, painter: QPainter, font: QFont, ink: str, box: QRect, text: str, *, right: bool) -> None:
        glyphs = [self._glyph(font, ink, char) for char in text]
        width = sum(advance for _image, advance in glyphs)
        x = box.right() - width if right else box.left()
        x = max(box.left(), x)
        y = box.top() + (box.height() - QFontMetrics(font).height()) // 2
        for image, advance in glyphs:
            if x + advance > box.right() + 1:
                break  # what does not fit is cut, as drawText would
            painter.drawPixmap(x, y, image)
            x += advance


class BoardCanvas(QWidget):
    """The painted rows; `set_lines` then `update()` (or `repaint()`) shows them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines: Sequence[LineTakt] = ()
        self.page = 0
        self._font_for: tuple[tuple[int, int], QFont] = ((0, 0), QFont())
        self._rows: dict[tuple[object, ...], QPixmap] = {}
        self.glyphs = Glyphs()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(600, 300)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def row_font(self) -> QFont:
        """1080 px tall: 72 px type (cap height about 52 px); smaller screens scale down with the height,
        and narrow ones until every column's widest text fits."""
        key = (self.window().height(), self.width())
        if self._font_for[0] == key:
            return self._font_for[1]
        font = QFont(self.font())
        font.setBold(True)
        font.setPixelSize(max(12, int(key[0] / 15)))
        while font.pixelSize() > 12:
            metrics = QFontMetrics(font)
            if all(metrics.horizontalAdvance(text) <= self.width() * share - 24
                   for text, share in zip(SAMPLES, WIDTHS, strict=True)):
                break
            font.setPixelSize(font.pixelSize() - 2)
        self._font_for = (key, font)
        return font

    def row_height(self) -> int:
        return int(QFontMetrics(self.row_font()).height() * 1.25)

    def rows_per_page(self) -> int:
        return max(1, (self.height() - self.row_height()) // self.row_height())

    @property
    def pages(self) -> int:
        per = self.rows_per_page()
        return max(1, -(-len(self.lines) // per))

    def cap_height(self) -> int:
        return QFontMetrics(self.row_font()).capHeight()

    def set_lines(self, lines: Sequence[LineTakt]) -> None:
        self.lines = lines
        self.page %= self.pages

    def turn_page(self) -> None:
        self.page = (self.page + 1) % self.pages
        self.update()

    def _columns(self) -> list[int]:
        xs = [0]
        for share in WIDTHS:
            xs.append(xs[-1] + int(self.width() * share))
        return xs

    def _row_image(self, row: int, line: LineTakt) -> QPixmap:
        """One row drawn once into a pixmap and kept while its words, colours and size stay the same:
        large type is costly to draw, and most rows do not change between two ticks."""
        cells = row_cells(line)
        _symbol, _word, colour = state_of(line.status)
        red = line.status.standing == BEHIND and line.status.plan is not None
        height, width = self.row_height() - 4, self.width()
        key = (cells, colour, red, row % 2, width, height, self.row_font().pixelSize())
        found = self._rows.get(key)
        if found is not None:
            return found
        image = QPixmap(width, max(1, height))
        image.fill(QColor("#17212B" if row % 2 else "#111A22"))
        painter = QPainter(image)
        xs = self._columns()
        painter.fillRect(QRect(xs[5], 0, width - xs[5], height), QColor(colour))
        font = self.row_font()
        for i, text in enumerate(cells):
            ink = "#0B1117" if i == 5 else ("#FF5252" if i == 4 and red else "#ECEFF1")
            self.glyphs.stamp(painter, font, ink, QRect(xs[i] + 12, 0, xs[i + 1] - xs[i] - 24, height),
                              text, right=_align(i) == Qt.AlignmentFlag.AlignRight)
        painter.end()
        if len(self._rows) > 500:
            self._rows.clear()
        self._rows[key] = image
        return image

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        font = self.row_font()
        height = self.row_height()
        xs = self._columns()
        per = self.rows_per_page()
        shown = self.lines[self.page * per:(self.page + 1) * per]
        # Rows cover their own area; only the header and what is below the rows need the background.
        painter.fillRect(QRect(0, 0, self.width(), height), QColor("#0B1117"))
        painter.fillRect(QRect(0, height * (len(shown) + 1) - 4, self.width(), self.height()), QColor("#0B1117"))
        for row in range(len(shown)):
            painter.fillRect(QRect(0, height * (row + 2) - 4, self.width(), 4), QColor("#0B1117"))
        small = QFont(font)
        small.setPixelSize(max(18, font.pixelSize() // 2))
        painter.setFont(small)
        painter.setPen(QColor("#B0BEC5"))
        for i, title in enumerate(HEADERS):
            painter.drawText(QRect(xs[i] + 12, 0, xs[i + 1] - xs[i] - 24, height),
                             Qt.AlignmentFlag.AlignVCenter | _align(i), title)
        for row, line in enumerate(shown):
            painter.drawPixmap(0, height * (row + 1), self._row_image(row, line))
        if not self.lines:
            painter.setFont(font)
            painter.setPen(QColor("#ECEFF1"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No lines yet")
        painter.end()


def _align(column: int) -> Qt.AlignmentFlag:
    return Qt.AlignmentFlag.AlignLeft if column in (0, 5) else Qt.AlignmentFlag.AlignRight


class TaktBoardView(ReloadingPage):
    WATCHES = ("takt_minutes", "takt_line", "demand", "calendar", "line", "plant")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 now_ms: Callable[[], int] = wall_clock_ms, tv: bool = False) -> None:
        super().__init__(ctx, parent)
        self.now_ms = now_ms
        self.loaded: Board | None = None
        self.canvas = BoardCanvas()
        self.title = page_title("▥  Takt board")
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.tv_button = big_button("▭  TV mode")
        self.tv_button.clicked.connect(self.open_tv)
        self.tv_window: TaktBoardView | None = None
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        stacked = theme.font_scale() >= STACKED_SCALE  # large type: the button below, the title gets the width
        if not tv and not stacked:
            top.addWidget(self.tv_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12 if tv else 28, 8, 12 if tv else 28, 8)
        layout.addLayout(top)
        if not tv and stacked:
            layout.addWidget(self.tv_button)
        layout.addWidget(self.canvas, 1)
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(COALESCE_MS)
        self._pending.timeout.connect(self._load_now)
        self.ticker = QTimer(self)
        self.ticker.setInterval(TICK_MS)
        self.ticker.timeout.connect(self.tick)
        self.pager = QTimer(self)
        self.pager.setInterval(PAGE_MS)
        self.pager.timeout.connect(self.turn_page)
        self.reloader = QTimer(self)
        self.reloader.setInterval(RELOAD_MS)
        self.reloader.timeout.connect(self.load)
        self._load_now()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        for timer in (self.ticker, self.pager, self.reloader):  # timers run only while on screen
            timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        for timer in (self.ticker, self.pager, self.reloader):
            timer.stop()

    def load(self) -> None:
        """Coalesce bursts of changes (a busy plant completes many cycles a second) into one read."""
        if not self._pending.isActive():
            self._pending.start()

    def _load_now(self) -> None:
        self.ctx.submit(board, now_ms=self.now_ms(), on_done=self.show_board)

    def show_board(self, found: Board) -> None:
        self.loaded = found
        self.tick()

    def tick(self) -> None:
        if self.loaded is None:
            return
        now = self.now_ms()
        lines = [replace(lt, status=at_time(lt.status, now)) for lt in self.loaded.lines]
        if any(stale(lt.status, now) for lt in self.loaded.lines):
            self.load()
        self.canvas.set_lines(lines)
        behind = sum(1 for lt in lines if lt.status.phase == RUNNING and lt.status.standing == BEHIND)
        page = f"  ·  page {self.canvas.page + 1} of {self.canvas.pages}" if self.canvas.pages > 1 else ""
        title = f"▥  Takt board  ·  {len(lines)} lines, {behind} behind{page}"
        if title != self.title.text():  # a label re-laid out four times a second for nothing costs
            self.title.setText(title)
        self.canvas.update()

    def turn_page(self) -> None:
        self.canvas.turn_page()
        self.tick()

    def open_tv(self) -> None:
        window = TaktBoardView(self.ctx, now_ms=self.now_ms, tv=True)
        window.setWindowTitle("jitdesk takt board")
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        screen = self.screen()
        if screen is not None:  # with no window manager (a kiosk TV) full screen alone does not resize
            window.setGeometry(screen.geometry())
        window.showFullScreen()
        self.tv_window = window

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.isWindow():
            self.close()
            return
        super().keyPressEvent(event)


def create_view(ctx: AppContext) -> QWidget:
    return TaktBoardView(ctx)
