"""The bar at the bottom of the main window that shows plain-words messages (KnownError and info).

Its tone shows in colour and in a symbol, so colour is never the only signal: a problem is red with ⚠,
a success green with ✔, an info neutral grey with ℹ. A problem stays until dismissed or
replaced; a success or an info fades after a few seconds.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from jitdesk.gui.widgets import big_button, restyle

INFO_SECONDS = 6
# level -> symbol; an unknown level is shown as a problem, never hidden.
TONES: dict[str, str] = {"problem": "⚠", "success": "✔", "info": "ℹ"}


class MessageBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.close_button = big_button("✕  OK")
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 10, 20, 10)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.level = ""
        self.hide()

    def show_message(self, level: str, text: str) -> None:
        if level not in TONES:
            level = "problem"
        self.level = level
        self.label.setText(f"{TONES[level]}  {text}")
        self.setProperty("level", level)
        restyle(self)
        self.show()
        if level == "problem":
            self._timer.stop()
        else:
            self._timer.start(INFO_SECONDS * 1000)

    @property
    def text(self) -> str:
        return self.label.text()
