"""Fitting any screen: nothing a page holds may make the window grow.

* `ElidedLabel`: one line of text that takes the width it is given; what does not fit ends in "…"
  and the tooltip has the whole text (so nothing is lost, only shortened).
* `fit_area(page)`: a page inside a frameless scroll area (`FitArea`). The main window's stack takes
  the scroll area's (small) minimum size, never the page's, so a page that needs more room than the
  screen has scrolls inside the window instead of stretching it, and a visit to one page cannot resize
  the window for the rest of the session. The page gets all the room there is and scrolls only when
  the room is less than its minimum (not its preferred size, as QScrollArea's own resizing does for
  pages with word-wrapped text).
* `fit_dialog(dialog, width, height)`: a dialog sized as asked but never beyond its window (or screen).
* `FitTextButton`: a button whose type shrinks until its words fit its width; `ShrinkingButton` also lets
  a layout make it narrower than its words at full size.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QDialog, QFrame, QLabel, QPushButton, QScrollArea, QSizePolicy, QWidget

MIN_CHARS = 6  # an elided label still shows a few letters and the "…"
SCREEN_SHARE = 0.92  # a dialog leaves a margin of its screen free
BUTTON_SLACK_PX = 2  # a FitTextButton's air each side beyond its border and padding
MIN_BUTTON_PX = 12  # a FitTextButton's smallest type


class ElidedLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None,
                 mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight) -> None:
        super().__init__(parent)
        self._full = ""
        self._mode = mode
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:
        self._full = text
        self._elide()
        self.updateGeometry()

    def text(self) -> str:
        """The whole text, whatever part of it fits on screen."""
        return self._full

    def shown_text(self) -> str:
        return super().text()

    def sizeHint(self) -> QSize:
        margins = self.contentsMargins()
        width = self._advance(self._full) + margins.left() + margins.right() + 2
        return QSize(width, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        margins = self.contentsMargins()
        width = self.fontMetrics().averageCharWidth() * MIN_CHARS + margins.left() + margins.right()
        return QSize(min(width, self.sizeHint().width()), super().minimumSizeHint().height())

    def _advance(self, text: str) -> int:
        # Symbols (⇅ ▦ ✖) often come from a fallback font wider than the label's own metrics say: slack.
        metrics = self.fontMetrics()
        symbols = sum(1 for ch in text if ord(ch) > 0x2000)
        return metrics.horizontalAdvance(text) + symbols * metrics.averageCharWidth()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def paintEvent(self, event: QPaintEvent) -> None:
        self._elide()  # with the font the style sheet gave it by now (polish can come after the last resize)
        super().paintEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._elide()

    def _elide(self) -> None:
        width = self.contentsRect().width()
        shown = self._full
        if width > 0 and "\n" not in self._full and self._advance(self._full) > width:
            slack = self._advance(self._full) - self.fontMetrics().horizontalAdvance(self._full)
            shown = self.fontMetrics().elidedText(self._full, self._mode, max(1, width - slack))
        if shown != super().text():
            super().setText(shown)
        tip = self._full if shown != self._full else ""
        if tip != self.toolTip():
            self.setToolTip(tip)


class FitTitle(ElidedLabel):
    """A page title: its type shrinks from `largest_px` (the style sheet's) down to `smallest_px` until the
    words fit its width; only below that do they end in "…". A large ui.font_scale keeps the whole title."""

    def __init__(self, text: str, largest_px: int, smallest_px: int, parent: QWidget | None = None) -> None:
        self.largest_px = largest_px
        self.smallest_px = min(smallest_px, largest_px)
        self.pixels = 0
        super().__init__(text, parent)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._fit()
        super().resizeEvent(event)

    def _fit(self) -> None:
        margins = self.contentsMargins()
        room = self.width() - margins.left() - margins.right()
        if room <= 0:
            return
        font = QFont(self.font())
        pixels = self.largest_px
        while pixels > self.smallest_px:
            font.setPixelSize(pixels)
            metrics = QFontMetrics(font)
            symbols = sum(1 for ch in self._full if ord(ch) > 0x2000)
            if metrics.horizontalAdvance(self._full) + symbols * metrics.averageCharWidth() <= room:
                break
            pixels -= 2
        pixels = max(pixels, self.smallest_px)
        if pixels != self.pixels:
            self.pixels = pixels
            self.setStyleSheet(f"font-size: {pixels}px;")  # a style sheet's font-size wins over setFont


class FitArea(QScrollArea):
    def __init__(self, page: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"fit_{page.objectName()}" if page.objectName() else "fit")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(False)  # sized here: to the room, down to the page's minimum
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setWidget(page)
        page.installEventFilter(self)

    def fit(self) -> None:
        page = self.widget()
        if page is None:
            return
        room = self.maximumViewportSize()
        least = page.minimumSizeHint().expandedTo(page.minimumSize())
        width = max(room.width(), least.width())
        sideways = self.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        if width > room.width() and sideways:  # a sideways scroll bar takes its height from the room
            room.setHeight(room.height() - self.horizontalScrollBar().sizeHint().height())
        layout = page.layout()
        if layout is not None and layout.hasHeightForWidth():
            least.setHeight(max(least.height(), layout.minimumHeightForWidth(width)))
        height = max(room.height(), least.height())
        upright = self.verticalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        if height > room.height() and width == room.width() and upright:
            # The upright scroll bar takes its width from the room: the page is never under it.
            width = max(least.width(), width - self.verticalScrollBar().sizeHint().width())
            if layout is not None and layout.hasHeightForWidth():  # narrower: wrapped text wants more lines
                height = max(height, layout.minimumHeightForWidth(width))
        page.resize(width, height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.fit()
        return False


def fit_area(page: QWidget) -> FitArea:
    """`page` in a scroll area that lets the window stay its size, whatever the page would like."""
    return FitArea(page)


def fit_dialog(dialog: QDialog, width: int, height: int) -> None:
    """Resize `dialog` to width x height, or less where its window (else its screen) is smaller."""
    anchor = dialog.parentWidget()
    window = anchor.window() if anchor is not None else None
    if window is not None and window.isVisible():
        room = window.size()
    else:
        screen = (window or dialog).screen()
        room = screen.availableGeometry().size() if screen is not None else QSize(width, height)
    dialog.resize(min(width, int(room.width() * SCREEN_SHARE)), min(height, int(room.height() * SCREEN_SHARE)))


class FitTextButton(QPushButton):
    """A button whose type shrinks (from `largest_px`) until every line of its words fits its width, so a
    long word on a narrow button ("MAINTENANCE") is never cut. `style` is its style sheet with `{px}` where
    the font size goes (a style sheet's font-size wins over setFont); `side_px` is what its border and
    padding take on each side."""

    def __init__(self, text: str, style: str, largest_px: int, side_px: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._style = style
        self.side_px = side_px
        self.largest_px = largest_px
        self.pixels = 0
        self._apply(largest_px)

    def text_fits(self) -> bool:
        """Every line's advance (with slack for fallback-font symbols) within the room inside the border."""
        return self._widest(self.font()) <= self._room()

    def _room(self) -> int:
        return self.contentsRect().width() - 2 * (self.side_px + BUTTON_SLACK_PX)

    def _widest(self, font: QFont) -> int:
        metrics = QFontMetrics(font)
        widest = 0
        for line in self.text().split("\n"):
            symbols = sum(1 for ch in line if ord(ch) > 0x2000)
            widest = max(widest, metrics.horizontalAdvance(line) + symbols * metrics.averageCharWidth())
        return widest

    def fit(self) -> None:
        room = self._room()
        if room <= 0:
            return
        self.ensurePolished()
        font = QFont(self.font())
        pixels = self.largest_px
        while pixels > MIN_BUTTON_PX:
            font.setPixelSize(pixels)
            if self._widest(font) <= room:
                break
            pixels -= 1
        self._apply(pixels)

    def _apply(self, pixels: int) -> None:
        if pixels != self.pixels:
            self.pixels = pixels
            self.setStyleSheet(self._style.replace("{px}", str(pixels)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()


class ShrinkingButton(FitTextButton):
    """A FitTextButton that a layout may make narrower than its words at full size: its type shrinks (down
    to MIN_BUTTON_PX) instead of the page scrolling sideways, also when its words change (a role gate's
    "Print cards… · needs admin: sign in")."""

    def __init__(self, text: str, style: str, largest_px: int, side_px: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(text, style, largest_px, side_px, parent)
        policy = self.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Preferred)  # a button's own (Minimum) never shrinks
        self.setSizePolicy(policy)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.updateGeometry()
        self.fit()

    def minimumSizeHint(self) -> QSize:
        least = super().minimumSizeHint()
        font = QFont(self.font())
        font.setPixelSize(MIN_BUTTON_PX)
        words = self._widest(font) + 2 * (self.side_px + BUTTON_SLACK_PX)
        return QSize(min(least.width(), words), least.height())
