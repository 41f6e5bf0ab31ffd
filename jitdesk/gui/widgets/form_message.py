"""A message line inside a form or dialog: a refused save or sign-in says why, right where it happened."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from jitdesk.gui.widgets import restyle


class FormMessage(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formMessage")
        self.setWordWrap(True)
        self.hide()

    def problem(self, text: str) -> None:
        self._set("problem", f"⚠  {text}")

    def info(self, text: str) -> None:
        self._set("info", f"✔  {text}")

    def clear_message(self) -> None:
        self.setText("")
        self.hide()

    def _set(self, level: str, text: str) -> None:
        self.setText(text)
        self.setProperty("level", level)
        restyle(self)
        self.show()
