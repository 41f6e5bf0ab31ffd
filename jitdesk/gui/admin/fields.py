"""Form editors for master-data fields: each wraps one big touch-friendly widget with get/set/clear.

`get()` raises BadInput with plain words when the typed value cannot be what the field needs
(a colour that is not #RRGGBB, minutes that are not numbers); the rules themselves live in the
services and the domain.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from jitdesk.domain.errors import BadInput

_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class Editor:
    """Base: `widget` goes in the form; `label` names the field in messages."""

    widget: QWidget

    def __init__(self, label: str) -> None:
        self.label = label

    def get(self) -> Any:
        raise NotImplementedError

    def set(self, value: Any) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        self.set(None)


class TextEditor(Editor):
    def __init__(self, label: str, placeholder: str = "", default: str = "") -> None:
        super().__init__(label)
        self.default = default
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        self.widget = self.edit

    def text(self) -> str:
        return self.edit.text().strip()

    def get(self) -> Any:
        return self.text()

    def set(self, value: Any) -> None:
        self.edit.setText(self.default if value is None else str(value))


class ChoiceEditor(Editor):
    def __init__(self, label: str, choices: Sequence[str]) -> None:
        super().__init__(label)
        self.combo = QComboBox()
        self.combo.addItems(list(choices))
        self.widget = self.combo

    def get(self) -> str:
        return self.combo.currentText()

    def set(self, value: Any) -> None:
        index = self.combo.findText(str(value)) if value is not None else 0
        self.combo.setCurrentIndex(max(index, 0))


class RefEditor(Editor):
    """Choose another record (a line) by name; stores its id; "none" is allowed."""

    def __init__(self, label: str, none_text: str = "— none —") -> None:
        super().__init__(label)
        self.none_text = none_text
        self.combo = QComboBox()
        self.widget = self.combo
        self.set_options([])

    def set_options(self, options: Sequence[tuple[str, str]]) -> None:
        """(id, text) pairs."""
        current = self.get() if self.combo.count() else None
        self.combo.clear()
        self.combo.addItem(self.none_text, None)
        for entity_id, text in options:
            self.combo.addItem(text, entity_id)
        self.set(current)

    def get(self) -> str | None:
        data = self.combo.currentData()
        return data if isinstance(data, str) else None

    def set(self, value: Any) -> None:
        index = self.combo.findData(value) if value is not None else 0
        self.combo.setCurrentIndex(max(index, 0))


class CheckEditor(Editor):
    def __init__(self, label: str, text: str, default: bool = True) -> None:
        super().__init__(label)
        self.default = default
        self.box = QCheckBox(text)
        self.widget = self.box
        self.box.setChecked(default)

    def get(self) -> bool:
        return self.box.isChecked()

    def set(self, value: Any) -> None:
        self.box.setChecked(self.default if value is None else bool(value))


class MinutesEditor(TextEditor):
    """Escalation steps typed as "5, 15, 30"."""

    def __init__(self, label: str) -> None:
        super().__init__(label, "e.g. 5, 15, 30", default="5, 15, 30")

    def get(self) -> tuple[int, ...]:
        text = self.text()
        try:
            values = tuple(int(part) for part in re.split(r"[,\s]+", text) if part)
        except ValueError:
            raise BadInput(f"{self.label}: write whole minutes separated by commas, like 5, 15, 30.") from None
        return values

    def set(self, value: Any) -> None:
        self.edit.setText(self.default if value is None else ", ".join(str(v) for v in value))


class ColorEditor(TextEditor):
    """#RRGGBB with a live swatch beside it (the name of the colour is the text itself)."""

    def __init__(self, label: str) -> None:
        super().__init__(label, "#RRGGBB", default="#FFC400")
        self.swatch = QLabel()
        self.swatch.setFixedSize(64, 44)
        host = QWidget()
        row = QHBoxLayout(host)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.swatch)
        self.widget = host
        self.edit.textChanged.connect(self._paint)

    def _paint(self, text: str) -> None:
        shown = text.strip() if _COLOR.match(text.strip()) else "transparent"
        self.swatch.setStyleSheet(f"background: {shown}; border: 3px solid #FFFFFF; border-radius: 6px;")

    def get(self) -> str:
        text = self.text()
        if not _COLOR.match(text):
            raise BadInput(f"{self.label}: write a colour as # and six hex digits, like #FFC400.")
        return text.upper()


class DaysEditor(Editor):
    """Seven toggle buttons, Monday first (0 = Monday)."""

    def __init__(self, label: str) -> None:
        super().__init__(label)
        host = QWidget()
        row = QHBoxLayout(host)
        row.setContentsMargins(0, 0, 0, 0)
        self.buttons: list[QPushButton] = []
        for name in DAY_NAMES:
            button = QPushButton(name)
            button.setCheckable(True)
            button.setObjectName("dayButton")
            # A tick as well as the colour: colour is never the only signal.
            button.toggled.connect(lambda on, b=button, n=name: b.setText(f"✔{n}" if on else n))
            row.addWidget(button)
            self.buttons.append(button)
        self.widget = host
        self.set(None)

    def get(self) -> tuple[int, ...]:
        return tuple(i for i, b in enumerate(self.buttons) if b.isChecked())

    def set(self, value: Any) -> None:
        days = set(range(5) if value is None else value)
        for i, button in enumerate(self.buttons):
            button.setChecked(i in days)


class PinEditor(TextEditor):
    """A new PIN; left empty when editing, the current PIN stays."""

    def __init__(self, label: str) -> None:
        super().__init__(label, "4 to 12 digits (empty: keep the current PIN)")
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setMaxLength(12)

    def get(self) -> str | None:
        return self.text() or None

    def set(self, value: Any) -> None:
        self.edit.clear()
