"""A large wall clock for the header: time with seconds, and the date below, in the plant's time zone
(like every time on screen); the machine's own zone until the plant is known."""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class Clock(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.time = QLabel()
        self.time.setObjectName("clock")
        self.date = QLabel()
        self.date.setObjectName("clockDate")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for label in (self.time, self.date):
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            layout.addWidget(label)
        self._zone: tzinfo | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.tick)
        self._timer.start(1000)
        self.tick()

    def set_zone(self, zone: tzinfo | None) -> None:
        self._zone = zone
        self.tick()

    def tick(self) -> None:
        now = datetime.now(self._zone)
        self.time.setText(now.strftime("%H:%M:%S"))
        self.date.setText(now.strftime("%a %d %b %Y"))
