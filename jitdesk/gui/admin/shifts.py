"""Editor for a calendar's shifts: one table row per shift, breaks typed as "09:00-09:15, 11:30-12:00"."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from jitdesk.domain.errors import BadInput
from jitdesk.gui.admin.fields import Editor
from jitdesk.gui.widgets import big_button

HEADERS = ("Shift", "Start", "End", "Breaks (start-end, ...)")
NEW_SHIFT = ("Shift", "06:00", "14:00", "09:00-09:15")


def breaks_text(breaks: list[Mapping[str, str]]) -> str:
    return ", ".join(f"{b['start']}-{b['end']}" for b in breaks)


def parse_breaks(text: str, shift: str) -> list[dict[str, str]]:
    out = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        pieces = [p.strip() for p in re.split(r"\s*[-–]\s*", part)]
        if len(pieces) != 2 or not all(pieces):
            raise BadInput(f"Shift '{shift}': write each break as start-end, like 09:00-09:15.")
        out.append({"start": pieces[0], "end": pieces[1]})
    return out


class ShiftsEditor(Editor):
    def __init__(self, label: str) -> None:
        super().__init__(label)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(200)
        self.add_button = big_button("+ Add shift")
        self.remove_button = big_button("− Remove shift")
        self.add_button.clicked.connect(lambda: self._add_row(NEW_SHIFT))
        self.remove_button.clicked.connect(self._remove_row)
        host = QWidget()
        layout = QVBoxLayout(host)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.widget = host

    def _add_row(self, values: tuple[str, ...]) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, value in enumerate(values):
            self.table.setItem(row, col, QTableWidgetItem(value))

    def _remove_row(self) -> None:
        row = self.table.currentRow()
        self.table.removeRow(row if row >= 0 else self.table.rowCount() - 1)

    def _cell(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text().strip() if item is not None else ""

    def get(self) -> tuple[dict[str, Any], ...]:
        shifts = []
        for row in range(self.table.rowCount()):
            name = self._cell(row, 0)
            if not name:
                raise BadInput(f"Shift in row {row + 1} needs a name.")
            shifts.append({"name": name, "start": self._cell(row, 1), "end": self._cell(row, 2),
                           "breaks": parse_breaks(self._cell(row, 3), name)})
        if not shifts:
            raise BadInput("A shift calendar needs at least one shift.")
        return tuple(shifts)

    def set(self, value: Any) -> None:
        self.table.setRowCount(0)
        for shift in value or ():
            self._add_row((shift["name"], shift["start"], shift["end"], breaks_text(shift["breaks"])))
        self.table.resizeRowsToContents()
