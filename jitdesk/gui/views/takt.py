"""Takt page (simple until the takt issue): each shift calendar with its shifts, breaks and the
planned working minutes they leave."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jitdesk.domain.master import Line, ShiftCalendar
from jitdesk.domain.takt.calendar import nominal_minutes
from jitdesk.domain.takt.records import pattern
from jitdesk.gui.context import AppContext
from jitdesk.gui.widgets import hint, page_title, section_title
from jitdesk.gui.widgets.page import ReloadingPage
from jitdesk.services import master
from jitdesk.services.master import Record

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def create_view(ctx: AppContext) -> QWidget:
    return TaktPage(ctx)


def days_words(days: tuple[int, ...]) -> str:
    ordered = sorted(set(days))
    if ordered and ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2:
        return f"{DAY_NAMES[ordered[0]]}–{DAY_NAMES[ordered[-1]]}"
    return ", ".join(DAY_NAMES[d] for d in ordered) or "no days"


@dataclass(frozen=True)
class TaktData:
    calendars: list[Record[ShiftCalendar]]
    lines: dict[str, str]  # id -> name


def load_data(db: Any) -> TaktData:
    lines = {r.id: r.value.name for r in master.records(db, Line)}
    return TaktData(master.records(db, ShiftCalendar), lines)


class TaktPage(ReloadingPage):
    WATCHES = ("calendar", "line")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(36, 24, 36, 24)
        layout.addWidget(page_title("◷  Shift calendars"))
        layout.addWidget(hint("Planned time is the shift minus its breaks. "
                              "Live takt and cycle counts arrive with the takt board."))
        self._host = QWidget()
        self._body = QVBoxLayout(self._host)
        self._body.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._host)
        layout.addWidget(scroll, 1)
        self.tables: list[QTableWidget] = []
        self.load()

    def load(self) -> None:
        self.ctx.submit(load_data, on_done=self.show_data)

    def show_data(self, data: TaktData) -> None:
        while self._body.count():
            item = self._body.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.tables = []
        active = [r.value for r in data.calendars if r.value.active]
        for calendar in active:
            where = data.lines.get(calendar.line_id or "", "every line")
            self._body.addWidget(section_title(f"{calendar.name}"))
            self._body.addWidget(QLabel(f"{days_words(calendar.days)}  ·  {where}"))
            table = _shift_table(calendar)
            self.tables.append(table)
            self._body.addWidget(table)
        if not active:
            self._body.addWidget(QLabel("No shift calendars yet: an admin adds them in Admin."))
        self._body.addStretch(1)


def _shift_table(calendar: ShiftCalendar) -> QTableWidget:
    headers = ("Shift", "Start", "End", "Breaks", "Planned")
    table = QTableWidget(len(calendar.shifts), len(headers))
    table.setObjectName("bigTable")
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(table.focusPolicy().NoFocus)
    for row, shift in enumerate(calendar.shifts):
        breaks = "   ".join(f"{b['start']}–{b['end']}" for b in shift["breaks"]) or "none"
        planned = nominal_minutes(pattern(shift))
        values = (shift["name"], shift["start"], shift["end"], breaks, f"{planned // 60} h {planned % 60:02d} min")
        for col, value in enumerate(values):
            table.setItem(row, col, QTableWidgetItem(value))
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
    table.resizeRowsToContents()
    height = header.sizeHint().height() + sum(table.rowHeight(r) for r in range(table.rowCount())) + 8
    table.setFixedHeight(height)
    return table
