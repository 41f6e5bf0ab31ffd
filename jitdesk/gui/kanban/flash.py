"""The big scan answer: a full-width panel that flashes the result's colour with its symbol and words.

Read from a metre away with gloves on: a giant symbol (✔ ✖ ◉) and headline (EMPTIED, CARD ON HOLD),
the plain-words message under it. After `HOLD_MS` the colour calms to a dark panel that still shows
the last answer, so a worker who looks up late can read what happened.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from jitdesk.gui.kanban.words import IDLE, TONES, Look, headline

HOLD_MS = 4000


class ScanFlash(QFrame):
    def __init__(self, parent: QWidget | None = None, *, compact: bool = False, hint_text: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("scanFlash")
        self.compact = compact
        self.tone = "idle"
        self.symbol = QLabel()
        self.title = QLabel()
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.title.setWordWrap(True)  # a long headline takes two lines, never the window's width
        for label in (self.symbol, self.title, self.detail):
            label.setStyleSheet("background: transparent;")
        self.symbol.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scale = 0.55 if compact else 1.0
        self.symbol.setMinimumWidth(int(170 * scale))
        self._fonts(scale)
        text = QVBoxLayout()
        text.setSpacing(4)
        text.addWidget(self.title)
        text.addWidget(self.detail)
        row = QHBoxLayout(self)
        row.setContentsMargins(24, 12, 24, 12)
        row.addWidget(self.symbol)
        row.addLayout(text, 1)
        self.setMinimumHeight(int(200 * scale))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.calm)
        self.idle(hint_text or "Scan a kanban card")

    def set_scale(self, scale: float) -> None:
        """Smaller type for a narrow page (the station view calls it as the window's width changes)."""
        self._fonts(scale * (0.55 if self.compact else 1.0))

    def _fonts(self, scale: float) -> None:
        self.symbol.setStyleSheet(f"background: transparent; font-size: {int(120 * scale)}px; font-weight: bold;")
        self.title.setStyleSheet(f"background: transparent; font-size: {int(76 * scale)}px; font-weight: bold;")
        self.detail.setStyleSheet(f"background: transparent; font-size: {int(30 * scale)}px;")

    def _paint(self, look: Look, border: str | None = None) -> None:
        edge = border or look.background
        self.setStyleSheet(f"#scanFlash {{ background: {look.background}; border: 6px solid {edge};"
                           f" border-radius: 14px; }} #scanFlash QLabel {{ color: {look.foreground}; }}")

    def idle(self, text: str) -> None:
        self.tone = "idle"
        self.symbol.setText(IDLE.symbol)
        self.title.setText(text)
        self.detail.setText("")
        self._paint(IDLE, "#3A4656")

    def show_result(self, tone: str, result: str, message: str) -> None:
        """Flash one scan's answer (tone: success, info or refused)."""
        look = TONES.get(tone, TONES["refused"])
        self.tone = tone
        self.symbol.setText(look.symbol)
        self.title.setText(headline(result))
        self.detail.setText(message)
        self._paint(look)
        self._timer.start(HOLD_MS)

    def calm(self) -> None:
        """Keep the words, drop the bright colour (the border keeps a hint of it)."""
        if self.tone in TONES:
            self._paint(IDLE, TONES[self.tone].background)

    @property
    def flashing(self) -> bool:
        return self._timer.isActive()
