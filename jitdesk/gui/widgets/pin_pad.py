"""An on-screen PIN pad for stations with no keyboard: digits, erase and OK, glove-sized at any font scale.

Keys never take the focus (the PIN field keeps it). Each key is at least a touch target (15 mm) and
grows to `preferred_key_px()` when there is room; its type shrinks to fit the key, so the pad fits the
height it is given (down to four touch targets) whatever ui.font_scale is. The erase key's symbol is drawn,
not a font glyph (⌫ is missing from many fonts), and every key has words for screen readers.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPainterPath, QPaintEvent, QPalette, QPen, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QStyle, QStyleOptionButton, QWidget

from jitdesk.gui import theme

ERASE, OK = "⌫", "✔"  # the keys' ids (what `pressed` sends)
KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", ERASE, "0", OK)
LABELS = {ERASE: "", OK: "OK"}  # the erase key is drawn
WORDS = {ERASE: "Erase the last digit", OK: "Sign in with this PIN"}
GAP_PX = 8
KEY_EMS = 2.5  # a key's preferred side, in its type's size (72 px at font scale 1.0)
MOST_TARGETS = 2.0  # and at most two touch targets: at large type the fields beside the pad need the room
FRAME_PX = 8  # a key's border and air above and below its type
MIN_TYPE_PX = 12


class PinKey(QPushButton):
    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(LABELS.get(key, key), parent)
        self.key = key
        self.type_px = 0
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the PIN field keeps the focus
        self.setAutoDefault(False)
        self.setAccessibleName(WORDS.get(key, key))
        self.setToolTip(WORDS.get(key, ""))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.set_type(theme.sizes(theme.font_scale())["large"])

    def set_type(self, pixels: int) -> None:
        if pixels != self.type_px:
            self.type_px = pixels
            # A style sheet's font-size wins over setFont; min sizes 0: the pad sets them.
            self.setStyleSheet(f"font-size: {pixels}px; font-weight: bold; padding: 0; min-height: 0;"
                               " min-width: 0;")

    def sizeHint(self) -> QSize:
        side = preferred_key_px()
        return QSize(side, side)

    def minimumSizeHint(self) -> QSize:
        side = theme.touch_target()
        return QSize(side, side)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.set_type(key_type_px(min(self.width(), self.height())))

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.key == ERASE:
            self._paint_erase()

    def _paint_erase(self) -> None:
        """A backspace key's shape: a tag pointing left with an x in it, in the key's text colour."""
        option = QStyleOptionButton()
        self.initStyleOption(option)
        inner = self.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, self)
        size = min(inner.width(), inner.height()) * 0.7
        width, height = size, size * 0.7
        left = inner.center().x() - width / 2
        top = inner.center().y() - height / 2
        box = QRectF(left, top, width, height)
        tip = height / 2
        shape = QPainterPath(QPointF(box.left(), box.center().y()))
        shape.lineTo(box.left() + tip, box.top())
        shape.lineTo(box.right(), box.top())
        shape.lineTo(box.right(), box.bottom())
        shape.lineTo(box.left() + tip, box.bottom())
        shape.closeSubpath()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(self.palette().color(QPalette.ColorRole.ButtonText), max(2.0, size / 12))
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawPath(shape)
        cross = height * 0.22
        centre = QPointF(box.left() + tip + (width - tip) * 0.45, box.center().y())
        painter.drawLine(centre + QPointF(-cross, -cross), centre + QPointF(cross, cross))
        painter.drawLine(centre + QPointF(-cross, cross), centre + QPointF(cross, -cross))
        painter.end()


def preferred_key_px() -> int:
    """A key's side when there is room: from the pad's type at this font scale, 15 mm to 30 mm."""
    target = theme.touch_target()
    wanted = round(theme.sizes(theme.font_scale())["large"] * KEY_EMS)
    return max(target, min(wanted, round(target * MOST_TARGETS)))


def key_type_px(side: int) -> int:
    """The largest type (up to the theme's large size) whose line fits a key of `side` pixels."""
    room = side - 2 * FRAME_PX
    font = QFont()
    font.setBold(True)
    pixels = theme.sizes(theme.font_scale())["large"]
    while pixels > MIN_TYPE_PX:  # the font's own line height, not a guess
        font.setPixelSize(pixels)
        if QFontMetrics(font).height() <= room:
            break
        pixels -= 1
    return pixels


class PinPad(QWidget):
    pressed = Signal(str)  # a key's id: a digit, ERASE or OK

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinPad")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(GAP_PX)
        self.keys: dict[str, PinKey] = {}
        for i, key in enumerate(KEYS):
            button = PinKey(key)
            button.setObjectName(f"pinKey{i}")
            button.clicked.connect(lambda _checked=False, k=key: self.pressed.emit(k))
            self.keys[key] = button
            grid.addWidget(button, i // 3, i % 3)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
