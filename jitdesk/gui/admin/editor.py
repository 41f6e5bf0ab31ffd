"""One Admin tab: the records of one kind in a table, and a form to create or edit one.

Choose a row to edit it, or "New" for an empty form; "Save" sends the form to the master-data
service with the signed-in user as actor; "Deactivate" keeps the record but takes it out of use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jitdesk.domain.auth import Role
from jitdesk.domain.errors import KnownError
from jitdesk.domain.master import Line, User
from jitdesk.gui import theme
from jitdesk.gui.admin.fields import Editor, RefEditor
from jitdesk.gui.admin.kinds import KindSpec, Lines
from jitdesk.gui.context import AppContext
from jitdesk.gui.role_gate import RoleGate
from jitdesk.gui.widgets import big_button, section_title
from jitdesk.gui.widgets.fit import ShrinkingButton
from jitdesk.gui.widgets.form_message import FormMessage
from jitdesk.gui.widgets.page import ReloadingPage
from jitdesk.services import master
from jitdesk.services.master import Record

STACKED_SCALE = 2.0  # from this ui.font_scale on, the form sits below the table
BUTTON_SIDE_PX = 25  # a button's padding and border each side (floor.qss)


@dataclass(frozen=True)
class TabData:
    records: list[Record[Any]]
    lines: Lines


def load_tab(db: Any, state_type: type) -> TabData:
    lines = {r.id: f"{r.value.code} {r.value.name}" for r in master.records(db, Line) if r.value.active}
    return TabData(master.records(db, state_type), lines)


class MasterTab(ReloadingPage):
    def __init__(self, ctx: AppContext, kind: KindSpec, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.kind = kind
        self.WATCHES = (master_name(kind.state_type), "line")
        self.records: list[Record[Any]] = []
        self.current_id: str | None = None
        self.lines: Lines = {}

        self.table = QTableWidget(0, len(kind.columns))
        self.table.setHorizontalHeaderLabels([c.header for c in kind.columns])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._row_chosen)

        self.editors: dict[str, Editor] = {}
        form_host = QWidget()
        form = QFormLayout(form_host)
        form.setVerticalSpacing(14)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for spec in kind.fields:
            editor = spec.make()
            self.editors[spec.name] = editor
            label = QLabel(editor.label)
            # Centre the label on a one-line field; tall editors (the shifts table) keep it on top.
            label.setMinimumHeight(min(editor.widget.sizeHint().height(), 80))
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            form.addRow(label, editor.widget)
        self.form_title = section_title("")
        self.message = FormMessage()
        self.new_button = big_button("+ New")
        self.save_button = big_button("✔ Save", primary=True)
        if theme.font_scale() > 1.0:  # with its role note it is wide: its type shrinks rather than widen the page
            self.save_button = ShrinkingButton("✔ Save", "font-size: {px}px;",
                                               theme.sizes(theme.font_scale())["base"], BUTTON_SIDE_PX)
            self.save_button.setProperty("primary", True)
        self.deactivate_button = big_button("✕ Deactivate", danger=True)
        self.deactivate_button.setVisible(kind.has_active)
        self.new_button.clicked.connect(self.new_record)
        # The lock shows before anyone starts editing; a click asks for an admin's sign-in first.
        self.save_gate = RoleGate(ctx, self.save_button, Role.ADMIN, f"Saving {kind.title.lower()}", self.save)
        self.deactivate_button.clicked.connect(self.deactivate)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.deactivate_button)
        buttons.addStretch(1)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.form_title)
        side_layout.addWidget(form_host)
        side_layout.addWidget(self.message)
        side_layout.addLayout(buttons)
        side_layout.addWidget(self.save_button)  # a row of its own: with its role note it is wide
        self.extra = kind.extra(ctx) if kind.extra is not None else None
        if self.extra is not None:
            side_layout.addWidget(self.extra)
        side_layout.addStretch(1)
        # the form takes the width it is given (its fields shrink) and scrolls only up and down
        side.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(side)
        # large type: the form below the table, with the page's width
        layout = QHBoxLayout(self) if theme.font_scale() < STACKED_SCALE else QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(20)
        layout.addWidget(self.table, 3)
        layout.addWidget(scroll, kind.form_share)
        self.new_record()
        self.load()

    # -- data -------------------------------------------------------------------------------
    def load(self) -> None:
        self.ctx.submit(load_tab, self.kind.state_type, on_done=self.show_data)

    def show_data(self, data: TabData) -> None:
        self.records, self.lines = data.records, data.lines
        for editor in self.editors.values():
            if isinstance(editor, RefEditor):
                editor.set_options(sorted(data.lines.items(), key=lambda item: item[1]))
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.records))
        chosen = -1
        for row, record in enumerate(self.records):
            for col, column in enumerate(self.kind.columns):
                item = QTableWidgetItem(column.text(record.value, self.lines))
                item.setData(Qt.ItemDataRole.UserRole, record.id)
                self.table.setItem(row, col, item)
            if record.id == self.current_id:
                chosen = row
        if chosen >= 0:
            self.table.selectRow(chosen)
        self.table.blockSignals(False)
        self.table.resizeRowsToContents()

    def record(self, entity_id: str | None) -> Any:
        return next((r.value for r in self.records if r.id == entity_id), None)

    # -- form -------------------------------------------------------------------------------
    def new_record(self) -> None:
        self.current_id = None
        self.table.clearSelection()
        for editor in self.editors.values():
            editor.clear()
        self.form_title.setText(f"New {self.kind.title.lower().rstrip('s')}")
        self.deactivate_button.setEnabled(False)
        self.message.clear_message()

    def _row_chosen(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        item = self.table.item(rows[0].row(), 0)
        if item is not None:
            self.edit(item.data(Qt.ItemDataRole.UserRole))

    def edit(self, entity_id: str) -> None:
        record = self.record(entity_id)
        if record is None:
            return
        self.current_id = entity_id
        for name, editor in self.editors.items():
            editor.set(getattr(record, name, None))
        first = self.kind.columns[0].text(record, self.lines)
        self.form_title.setText(f"Edit {self.kind.title.lower().rstrip('s')} {first}")
        self.deactivate_button.setEnabled(bool(getattr(record, "active", False)))
        self.message.clear_message()

    def values(self) -> dict[str, Any]:
        return {name: editor.get() for name, editor in self.editors.items()}

    def save(self) -> None:
        self.message.clear_message()
        try:
            values = self.values()
        except KnownError as error:
            self.message.problem(str(error))
            return
        if self.kind.state_type is User:
            self.ctx.submit(master.save_user, actor=self.ctx.actor, user_id=self.current_id,
                            on_done=self._saved, on_error=self.message.problem, **values)
            return
        try:
            record = self.kind.build(values)
        except (TypeError, ValueError) as error:  # a field the record does not take: a bug in kinds.py
            raise RuntimeError(f"{self.kind.key}: {error}") from error
        self.ctx.submit(master.save, record, actor=self.ctx.actor, entity_id=self.current_id,
                        on_done=self._saved, on_error=self.message.problem)

    def _saved(self, result: tuple[str, Any]) -> None:
        self.current_id = result[0]
        self.message.info("Saved.")
        self.deactivate_button.setEnabled(self.kind.has_active and self.editors["active"].get())

    def deactivate(self) -> None:
        if self.current_id is None:
            return
        self.ctx.submit(master.deactivate, self.kind.state_type, self.current_id, actor=self.ctx.actor,
                        on_done=lambda _changes: self._deactivated(), on_error=self.message.problem)

    def _deactivated(self) -> None:
        self.editors["active"].set(False)
        self.deactivate_button.setEnabled(False)
        self.message.info("Deactivated: kept for history, no longer in use.")


def master_name(state_type: type) -> str:
    from jitdesk.domain.master import NAMES

    return NAMES[state_type]
