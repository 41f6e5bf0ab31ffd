"""Touch: targets of at least 15 mm on the station's own screen, rows as tall as their text needs, and
finger scrolling on every list, table and scroll area.

Millimetres become pixels from the screen's size: `ui.screen_diagonal_inches` when the station's
settings name it (a touch monitor often reports no physical size, or a wrong one), else the size the
screen reports. `FingerScrolling` is an application-wide event filter: every scroll area that is polished
(views, dialogs, combo-box pop-ups, ones a view makes later) gets a QScroller drag gesture and
per-pixel scrolling, so a glove drags a list like a phone does.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFontMetrics, QScreen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QHeaderView,
    QPlainTextEdit,
    QScroller,
    QTableView,
    QTextEdit,
    QTreeView,
    QWidget,
)

TOUCH_MM = 15.0  # the smallest thing a gloved finger hits reliably
MM_PER_INCH = 25.4
FALLBACK_DPI = 96.0  # what X and most panels claim when they know nothing better
ROW_LINES = 1.7  # a table row: its text line and room above and below


def pixels_per_mm(screen: QScreen | None, diagonal_inches: float = 0.0) -> float:
    """Pixels per millimetre on `screen`: from the configured diagonal when set, else the screen's own DPI."""
    if screen is not None and diagonal_inches > 0:
        size = screen.size()
        return math.hypot(size.width(), size.height()) / (diagonal_inches * MM_PER_INCH)
    dpi = screen.physicalDotsPerInch() if screen is not None else 0.0
    if not 40 <= dpi <= 600:  # no screen, or one that reports nonsense
        dpi = FALLBACK_DPI
    return dpi / MM_PER_INCH


def touch_px(screen: QScreen | None = None, diagonal_inches: float = 0.0) -> int:
    """The pixel size of a 15 mm touch target on `screen` (default: the primary screen)."""
    if screen is None:
        screen = QApplication.primaryScreen()
    return math.ceil(TOUCH_MM * pixels_per_mm(screen, diagonal_inches))


def row_height(metrics: QFontMetrics, minimum: int = 0, lines: int = 1) -> int:
    """A row tall enough for `lines` of its font (whatever ui.font_scale), never below `minimum` (a touch
    target)."""
    return max(minimum, math.ceil(metrics.height() * (lines - 1 + ROW_LINES)))


def fit_rows(view: QAbstractItemView, minimum: int = 0, lines: int = 1) -> int:
    """Set an item view's rows from its font; returns the height. Call again when the font changes."""
    height = row_height(view.fontMetrics(), minimum, lines)
    header = getattr(view, "verticalHeader", None)
    if header is not None:
        header().setMinimumSectionSize(1)
        header().setDefaultSectionSize(height)
    return height


class HeaderFit(QObject):
    """Keeps every column at least as wide as its header's words, whatever ui.font_scale is (the table
    scrolls sideways instead of showing "Scann").

    A stretched column that the room would squeeze below its words is given exactly their width (and
    stretches again once the room is back); columns sized by hand get a minimum from their words
    (Qt has one minimum for all columns, so the widest of those sets it); columns sized to their
    contents count their header already. Recomputed when the table is resized, polished, shown or
    restyled, and when the header's words change."""

    def __init__(self, header: QHeaderView) -> None:
        super().__init__(header)
        self.header = header
        self.stretched: set[int] = set()  # the columns the view asked to stretch
        header.installEventFilter(self)
        header.viewport().installEventFilter(self)
        model = header.model()
        if model is not None:
            model.headerDataChanged.connect(lambda *_a: self.fit())
            model.modelReset.connect(self.fit)
        self.fit()

    def fit(self) -> None:
        header = self.header
        header.ensurePolished()
        modes = QHeaderView.ResizeMode
        shown = [i for i in range(header.count()) if not header.isSectionHidden(i)]
        for i in shown:
            if header.sectionResizeMode(i) == modes.Stretch:
                self.stretched.add(i)
        by_hand = [header.sectionSizeHint(i) for i in shown
                   if header.sectionResizeMode(i) in (modes.Interactive, modes.Fixed) and i not in self.stretched]
        need = max(by_hand, default=0)
        if need > header.minimumSectionSize():
            header.setMinimumSectionSize(need)
        room = header.viewport().width()
        for i in sorted(self.stretched & set(shown)):
            words = header.sectionSizeHint(i)
            others = sum(header.sectionSize(j) for j in shown if j != i)
            if room - others >= words:
                if header.sectionResizeMode(i) != modes.Stretch:
                    header.setSectionResizeMode(i, modes.Stretch)
            elif header.sectionResizeMode(i) != modes.Interactive or header.sectionSize(i) != words:
                header.setSectionResizeMode(i, modes.Interactive)
                header.resizeSection(i, words)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Polish, QEvent.Type.Show, QEvent.Type.FontChange,
                            QEvent.Type.StyleChange, QEvent.Type.Resize):
            self.fit()
        return False


def fit_header(view: QTableView | QTreeView) -> HeaderFit:
    """No column narrower than its header's words, whatever ui.font_scale is (see HeaderFit)."""
    header = view.horizontalHeader() if isinstance(view, QTableView) else view.header()
    return HeaderFit(header)


def _drags_text(widget: QWidget) -> bool:
    # In a text box a drag selects text; the scroll bar still scrolls it.
    return isinstance(widget, QTextEdit | QPlainTextEdit)


def enable_finger_scrolling(area: QAbstractScrollArea) -> None:
    """A finger's drag scrolls `area`, with the kinetic flick of a phone.

    Lists and tables also scroll on a drag with the left mouse button (the touch screens that send
    mouse events); scroll areas of forms and cards take real touch only, since a mouse gesture there
    would swallow clicks on the buttons inside."""
    if _drags_text(area):
        return
    viewport = area.viewport()
    if QScroller.hasScroller(viewport):
        return
    gesture = QScroller.ScrollerGestureType.TouchGesture
    if isinstance(area, QAbstractItemView):
        area.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        area.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        gesture = QScroller.ScrollerGestureType.LeftMouseButtonGesture
    viewport.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
    QScroller.grabGesture(viewport, gesture)


def has_finger_scrolling(area: QAbstractScrollArea) -> bool:
    return QScroller.hasScroller(area.viewport())


def touch_rows(table: QTableView, minimum: int) -> None:
    """No row of `table` lower than a touch target, even after resizeRowsToContents()."""
    header = table.verticalHeader()
    if header.minimumSectionSize() < minimum:
        header.setMinimumSectionSize(minimum)
        if header.defaultSectionSize() < minimum:
            header.setDefaultSectionSize(minimum)


class FingerScrolling(QObject):
    """Installed on the QApplication: every scroll area, whenever it is made, scrolls with a finger, and
    every table's rows are at least `target_px` (15 mm) tall."""

    def __init__(self, parent: QObject | None = None, target_px: int = 0) -> None:
        super().__init__(parent)
        self.target_px = target_px

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Polish and isinstance(watched, QAbstractScrollArea):
            enable_finger_scrolling(watched)
            if isinstance(watched, QTableView) and self.target_px:
                touch_rows(watched, self.target_px)
        return False


_installed: FingerScrolling | None = None


def install(app: QApplication, target_px: int = 0) -> FingerScrolling:
    """Install the finger-scrolling filter once for the application (`target_px`: the touch target)."""
    global _installed
    if _installed is None:
        _installed = FingerScrolling(app)
        app.installEventFilter(_installed)
    _installed.target_px = target_px
    return _installed
