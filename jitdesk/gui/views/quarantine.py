"""Sync: this station's link to the server in plain words (state, last success, events waiting, clock
skew, last problem), master-data conflicts (edits made without seeing another change to the same
record, each version with a "Keep this version" button for admins), events stamped by a clock running
far ahead, then the quarantine.

Quarantine: events the server refused, with its reason in plain words. They stay in this station's
log and never block the others; once the cause is fixed (a token with the right role, a plant
assignment) an admin sends them again with one button.

Below that, what the server sent that this station could not read as an event (a broken envelope):
kept with its text as sent and the reason, so nothing is lost unseen; the list shows only when it
has something."""

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
from jitdesk.domain.master import NAMES
from jitdesk.gui import theme
from jitdesk.gui.context import AppContext
from jitdesk.gui.touch import fit_header
from jitdesk.gui.views.sync_conflicts import ConflictsPanel
from jitdesk.gui.widgets import big_button, page_title
from jitdesk.gui.widgets.page import ReloadingPage
from jitdesk.gui.words import qt_words, stamp_words
from jitdesk.services import far_ahead, master_conflicts, quarantine
from jitdesk.services.quarantine import QuarantinedEvent, UnreadableItem
from jitdesk.services.sync_apply import HELD_BY_SERVER
from jitdesk.services.syncstatus import RESTARTING, STANDALONE, STOPPED, SyncStatus
from jitdesk.services.words import Words, plant_words

COLUMNS = ("Refused at", "What", "Entity", "Made at", "Reason")
UNREADABLE_COLUMNS = ("Received at", "Event id", "Why it could not be read", "Text as sent")
TEXT_SHOWN = 200  # characters of the raw text in the cell; the tooltip holds more
STACKED_SCALE = 2.0  # from this ui.font_scale on, "Send all again" sits below the title


def create_view(ctx: AppContext) -> QWidget:
    return QuarantineView(ctx)


class QuarantineView(ReloadingPage):
    WATCHES = ("sync", *NAMES.values())  # master edits: conflicts come and go

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
        fit_header(self.table)
        self.link = QLabel()
        self.link.setObjectName("sectionTitle")
        self.link.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)  # a large ui.font_scale wraps it rather than widen the page
        self.conflicts = ConflictsPanel(ctx, lambda at: stamp_words(self.words, at))  # for admins to settle
        self.fast_clocks = QLabel()  # events stamped by a clock running far ahead
        self.fast_clocks.setWordWrap(True)
        self.fast_clocks.hide()
        self.unreadable_summary = QLabel()
        self.unreadable_summary.setWordWrap(True)
        self.unreadable_table = QTableWidget(0, len(UNREADABLE_COLUMNS))
        self.unreadable_table.setHorizontalHeaderLabels(UNREADABLE_COLUMNS)
        self.unreadable_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.unreadable_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.unreadable_table.setWordWrap(True)
        self.unreadable_table.verticalHeader().setVisible(False)
        uheader = self.unreadable_table.horizontalHeader()
        uheader.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        uheader.setSectionResizeMode(len(UNREADABLE_COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        fit_header(self.unreadable_table)
        self.unreadable_summary.hide()
        self.unreadable_table.hide()
        self.retry = big_button("Send all again")
        self.retry.clicked.connect(self._retry)
        top = QHBoxLayout()
        top.addWidget(page_title("⇅  Sync and quarantine"), 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 14, 24, 14)  # the other views' margins
        layout.addLayout(top)
        if theme.font_scale() < STACKED_SCALE:
            top.addWidget(self.retry)
        else:  # large type: the button gets a row of its own (no sideways scroll)
            layout.addWidget(self.retry)
        layout.addWidget(self.link)
        layout.addWidget(self.conflicts)
        layout.addWidget(self.fast_clocks)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.unreadable_summary)
        layout.addWidget(self.unreadable_table, 1)
        ctx.user_changed.connect(lambda _user: self._update_buttons())
        ctx.sync_status_changed.connect(self.show_link)
        self.show_link(ctx.sync_status)
        self.rows: list[QuarantinedEvent] = []
        self.unreadable: list[UnreadableItem] = []
        self.words = qt_words()
        self.load()

    def show_link(self, status: SyncStatus) -> None:
        self.link.setText(describe_link(status))

    def load(self) -> None:
        self.ctx.submit(plant_words, on_done=self._set_words)  # times in the plant's zone
        self.ctx.submit(quarantine.quarantined, on_done=self._show)
        self.ctx.submit(quarantine.unreadable, on_done=self._show_unreadable)
        self.ctx.submit(master_conflicts.conflicts, on_done=self.conflicts.show_conflicts)
        self.ctx.submit(far_ahead.far_ahead, on_done=self._show_far_ahead)

    def _show_far_ahead(self, found: tuple[int, list[far_ahead.FarAhead]]) -> None:
        self.fast_clocks.setText(far_ahead.describe(*found))
        self.fast_clocks.setVisible(bool(found[0]))

    def _set_words(self, words: Words) -> None:
        self.words = qt_words(words)

    def _show_unreadable(self, items: list[UnreadableItem]) -> None:
        self.unreadable = items
        self.unreadable_table.setRowCount(len(items))
        for r, item in enumerate(items):
            shown = item.raw if len(item.raw) <= TEXT_SHOWN else item.raw[:TEXT_SHOWN] + " …"
            at = stamp_words(self.words, item.received_at)
            texts = (at, item.event_id or "(none usable)", item.reason, shown)
            tips = (at, item.event_id or "", item.reason, item.raw[:4000])
            for c, (text, tip) in enumerate(zip(texts, tips, strict=True)):
                cell = QTableWidgetItem(text)
                cell.setToolTip(tip)
                self.unreadable_table.setItem(r, c, cell)
        self.unreadable_summary.setText(
            f"{len(items)} item(s) from the server this station could not read as events. They are kept "
            "here as they were sent and did not hold up the others; tell the administrator "
            "(a newer jitdesk on the server, or something between this station and it, may be the cause)."
            + _held_words(items))
        self.unreadable_summary.setVisible(bool(items))
        self.unreadable_table.setVisible(bool(items))

    def _show(self, rows: list[QuarantinedEvent]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            shown = (stamp_words(self.words, row.refused_at), row.kind, row.entity_id,
                     stamp_words(self.words, row.wall_time), row.reason)
            for c, text in enumerate(shown):
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
    lines.append(f"{status.pending} event(s) waiting to go up  ·  {status.quarantined} refused"
                 + (f"  ·  {status.unreadable} unreadable from the server" if status.unreadable else ""))
    if status.state in (RESTARTING, STOPPED):
        lines.append("Sync is not running now: new events wait here and go up when it runs again.")
    if status.clock_warning:
        lines.append("Warning: " + status.clock_warning[0].upper() + status.clock_warning[1:])
    elif status.skew_ms is not None:
        drift = abs(status.skew_ms) / 1000
        way = "ahead of" if status.skew_ms > 0 else "behind"
        lines.append(f"This station's clock is {drift:.1f} s {way} the server's" if drift >= 0.05
                     else "This station's clock agrees with the server's")
    if status.message:
        lines.append(f"Last problem: {status.message}")
    return "\n".join(lines)


def _held_words(items: list[UnreadableItem]) -> str:
    """Holds the server decided after this station had the event: kept, and still counted here."""
    held = sum(1 for item in items if item.reason.startswith(HELD_BY_SERVER))
    if not held:
        return ""
    return (f" {held} of them are events the server holds back after this station had pulled them "
            "(\"held by the server\"): they still count in this station's figures until the administrator "
            "settles them.")
