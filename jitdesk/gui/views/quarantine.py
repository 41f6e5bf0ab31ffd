"""Sync: this station's link to the server in plain words (state, last success, events waiting, clock
skew, last problem), then the quarantine.

Quarantine: events the server refused, with its reason in plain words. They stay in this station's
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
from jitdesk.services.syncstatus import STANDALONE, SyncStatus

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
        self.link = QLabel()
        self.link.setObjectName("sectionTitle")
        self.link.setWordWrap(True)
        self.summary = QLabel()
        self.retry = big_button("Send all again")
        self.retry.clicked.connect(self._retry)
        top = QHBoxLayout()
        top.addWidget(page_title("⇅  Sync and quarantine"))
        top.addStretch(1)
        top.addWidget(self.retry)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.link)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        ctx.user_changed.connect(lambda _user: self._update_buttons())
        ctx.sync_status_changed.connect(self.show_link)
        self.show_link(ctx.sync_status)
        self.rows: list[QuarantinedEvent] = []
        self.load()

    def show_link(self, status: SyncStatus) -> None:
        self.link.setText(describe_link(status))

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


def describe_link(status: SyncStatus) -> str:
    """The sync status as lines a person reads at a glance (the header pill is the short form)."""
    if status.state == STANDALONE:
        return "Standalone: no server is set up for this station ([sync] in the settings file)."
    lines = [f"Server: {status.state.upper()}"
             + (f"  ·  last successful sync {status.last_success}" if status.last_success else "  ·  not synced yet")]
    lines.append(f"{status.pending} event(s) waiting to go up  ·  {status.quarantined} refused")
    if status.skew_ms is not None:
        drift = abs(status.skew_ms) / 1000
        way = "ahead of" if status.skew_ms > 0 else "behind"
        lines.append(f"This station's clock is {drift:.1f} s {way} the server's" if drift >= 0.05
                     else "This station's clock agrees with the server's")
    if status.message:
        lines.append(f"Last problem: {status.message}")
    return "\n".join(lines)
