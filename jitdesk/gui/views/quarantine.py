"""Quarantine: events the server refused, with its reason in plain words. They stay in this station's
log and never block the others; once the cause is fixed (a token with the right role, a plant
assignment) an admin sends them again with one button."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jitdesk.domain.auth import Role
from jitdesk.gui.context import AppContext
from jitdesk.gui.widgets import big_button, page_title
from jitdesk.gui.widgets.page import ReloadingPage
from jitdesk.services import quarantine
from jitdesk.services.quarantine import QuarantinedEvent

COLUMNS = ("Refused at", "What", "Entity", "Made at", "Reason")


def create_view(ctx: AppContext) -> QWidget:
    return QuarantineView(ctx)


class QuarantineView(ReloadingPage):
    WATCHES = ("sync",)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel()
        self.retry = big_button("Send all again")
        self.retry.clicked.connect(self._retry)
        top = QHBoxLayout()
        top.addWidget(page_title("Quarantine"))
        top.addStretch(1)
        top.addWidget(self.retry)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        ctx.user_changed.connect(lambda _user: self._update_buttons())
        self.rows: list[QuarantinedEvent] = []
        self.load()

    def load(self) -> None:
        self.ctx.submit(quarantine.quarantined, on_done=self._show)

    def _show(self, rows: list[QuarantinedEvent]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate((row.refused_at, row.kind, row.entity_id, row.wall_time, row.reason)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        self.summary.setText(
            "Nothing is in quarantine: the server took every event." if not rows else
            f"{len(rows)} event(s) the server refused. They are kept here and do not hold up the others.")
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.retry.setEnabled(bool(self.rows) and self.ctx.has_role(Role.ADMIN))
        self.retry.setToolTip("" if self.ctx.has_role(Role.ADMIN) else "Sign in as an admin to send them again")

    def _retry(self) -> None:
        self.ctx.submit(quarantine.retry)
