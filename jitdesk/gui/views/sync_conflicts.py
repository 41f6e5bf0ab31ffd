"""The Sync view's master-data conflicts: per conflict its two versions, each with a "Keep this
version" button (admins only) that settles it with a new edit holding that version."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jitdesk.domain.auth import Role
from jitdesk.gui.context import AppContext
from jitdesk.services import master_conflicts
from jitdesk.services.master_conflicts import MasterConflict

COLUMNS = ("Record", "Version", "Made at", "By", "")  # By: the user's name where this station knows it
KEEP = "Keep this version"
SHOWN = 50  # conflicts listed (two rows each); the summary counts them all


class ConflictsPanel(QWidget):
    def __init__(self, ctx: AppContext, stamp: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stamp = stamp
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Fixed)  # as wide as its button
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setMaximumHeight(320)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        self.buttons: list[QPushButton] = []
        self.items: list[MasterConflict] = []
        ctx.user_changed.connect(lambda _user: self._update_buttons())
        self.hide()

    def show_conflicts(self, items: list[MasterConflict]) -> None:
        self.items = items
        shown = items[:SHOWN]
        self.summary.setText(
            f"⚠ {len(items)} master-data conflict(s): an edit was made without seeing another change to the "
            "same record, so that change was overwritten. Check each record and keep the right version "
            "(admins): the record becomes that version on every station." if items else "")
        self.table.setRowCount(2 * len(shown))
        self.buttons = []
        for i, conflict in enumerate(shown):
            versions = (
                ("in force now", conflict.edit_made_at, conflict.actor, conflict.edit_id),
                ("overwritten", conflict.overwrote_made_at, conflict.overwrote_actor, conflict.overwrote_id),
            )
            for j, (what, at, actor, event_id) in enumerate(versions):
                row = 2 * i + j
                texts = (f"{conflict.kind} {conflict.record}" if j == 0 else "", what, self._stamp(at),
                         actor or "unknown")
                for c, text in enumerate(texts):
                    cell = QTableWidgetItem(text)
                    cell.setToolTip(text)
                    self.table.setItem(row, c, cell)
                button = QPushButton(KEEP)
                button.setToolTip(f"Make {conflict.kind} {conflict.record} this version again on every station")
                button.ensurePolished()  # the theme's font and padding, before measuring the text
                button.setMinimumWidth(button.fontMetrics().horizontalAdvance(KEEP) + 56)
                button.clicked.connect(lambda _=False, c=conflict, e=event_id: self._keep(c, e))
                self.table.setCellWidget(row, len(COLUMNS) - 1, button)
                self.buttons.append(button)
        self.table.resizeRowsToContents()  # rows as tall as their button
        if self.buttons:  # the button column fits its button; at least the header and two rows show
            self.table.setColumnWidth(len(COLUMNS) - 1, self.buttons[0].minimumWidth() + 16)
            self.table.setMinimumHeight(self.table.horizontalHeader().sizeHint().height()
                                        + 2 * self.table.rowHeight(0) + 4)
        self.setVisible(bool(items))
        self._update_buttons()

    def _update_buttons(self) -> None:
        admin = self.ctx.has_role(Role.ADMIN)
        for button in self.buttons:
            button.setEnabled(admin)
            if not admin:
                button.setToolTip("Sign in as an admin to keep a version")

    def _keep(self, conflict: MasterConflict, event_id: str) -> None:
        self.ctx.submit(master_conflicts.keep_version, conflict, event_id, actor=self.ctx.actor)
