"""Admin form pieces for demand: a whole-number field, a day, a line that must be chosen, and the record
made from them (its key from line, day and shift)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtWidgets import QLineEdit

from jitdesk.domain.errors import BadInput
from jitdesk.domain.master import Demand, demand_key
from jitdesk.gui.admin.fields import Editor, RefEditor


class CountEditor(Editor):
    def __init__(self, label: str, placeholder: str = "", default: int = 0) -> None:
        super().__init__(label)
        self.default = default
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        self.widget = self.edit

    def get(self) -> int:
        text = self.edit.text().strip() or str(self.default)
        try:
            return int(text)
        except ValueError:
            raise BadInput(f"{self.label}: '{text}' is not a whole number.") from None

    def set(self, value: Any) -> None:
        self.edit.setText(str(self.default if value is None else value))


class DayEditor(Editor):
    def __init__(self, label: str) -> None:
        super().__init__(label)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("e.g. 2026-12-02")
        self.widget = self.edit

    def get(self) -> str:
        text = self.edit.text().strip()
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise BadInput(f"{self.label}: '{text}' is not a date like 2026-12-02.") from None

    def set(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))


class NeededLineEditor(RefEditor):
    """A line that must be chosen: saving without one is refused in words."""

    def set_options(self, options: Sequence[tuple[str, str]]) -> None:
        current = RefEditor.get(self) if self.combo.count() else None
        self.combo.clear()
        self.combo.addItem(self.none_text, None)
        for entity_id, text in options:
            self.combo.addItem(text, entity_id)
        self.set(current)

    def get(self) -> str | None:
        found = RefEditor.get(self)
        if found is None:
            raise BadInput(f"{self.label}: choose the line.")
        return found


class OptionalTextEditor(Editor):
    """Text where empty means none (a demand for the whole day has no shift)."""

    def __init__(self, label: str, placeholder: str = "") -> None:
        super().__init__(label)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        self.widget = self.edit

    def get(self) -> str | None:
        return self.edit.text().strip() or None

    def set(self, value: Any) -> None:
        self.edit.setText(value or "")


def demand_from(values: dict[str, Any]) -> Demand:
    """The record from the form's values (the line is there: its editor refuses none)."""
    return Demand(key=demand_key(values["line_id"], values["day"], values["shift"]), **values)
