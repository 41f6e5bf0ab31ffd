"""The main window: header (plant, station, sync status, background tasks in trouble, user, clock),
navigation, the views, and the message bar. Views are built the first time they are shown (start-up
stays lean). A scanned badge that needs a PIN opens the sign-in dialog with the badge filled in."""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QPaintEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from jitdesk.gui import views
from jitdesk.gui.answer_banner import AnswerBanner
from jitdesk.gui.context import AppContext
from jitdesk.gui.idle_signout import IdleSignOut
from jitdesk.gui.signin import SignInDialog
from jitdesk.gui.widgets import big_button
from jitdesk.gui.widgets.clock import Clock
from jitdesk.gui.widgets.message_bar import MessageBar
from jitdesk.gui.widgets.sync_status import SyncStatusLabel
from jitdesk.gui.widgets.task_status import TaskStatusLabel
from jitdesk.services import station_identity
from jitdesk.services.changes import Changes
from jitdesk.services.signin import SignedIn
from jitdesk.services.station_identity import StationIdentity
from jitdesk.services.syncstatus import SyncStatus
from jitdesk.services.words import zone_named

log = logging.getLogger("jitdesk.gui")

# Projections whose change alters the header.
IDENTITY_PROJECTIONS = (station_identity.PROJECTION, "plant", "station", "line")


class MainWindow(QMainWindow):
    first_painted = Signal()
    closed = Signal()

    def __init__(self, ctx: AppContext, start_view: str = "station") -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle("jitdesk" + (" (demo plant)" if ctx.demo else ""))
        self._painted = False
        self.pages: dict[str, QWidget] = {}
        self.identity = StationIdentity()

        # Header.
        header = QWidget()
        header.setObjectName("header")
        self.plant_label = QLabel("…")
        self.plant_label.setObjectName("plantName")
        self.station_label = QLabel("")
        self.station_label.setObjectName("stationName")
        for label in (self.plant_label, self.station_label):
            # Long names are clipped, never allowed to push the clock off a small screen.
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        who = QVBoxLayout()
        who.setSpacing(2)
        who.addWidget(self.plant_label)
        who.addWidget(self.station_label)
        self.sync_status = SyncStatusLabel()
        self.sync_status.clicked.connect(lambda: self.show_view("sync"))
        self.task_status = TaskStatusLabel()
        self.user_label = QLabel()
        self.user_label.setObjectName("userLabel")
        self.sign_button = big_button("Sign in")
        self.sign_button.setObjectName("signButton")
        self.sign_button.clicked.connect(self._sign_in_or_out)
        self.clock = Clock()
        row = QHBoxLayout(header)
        row.setContentsMargins(24, 10, 24, 10)
        row.setSpacing(24)
        row.addLayout(who, 1)
        row.addWidget(self.sync_status)
        row.addWidget(self.task_status)
        row.addWidget(self.user_label)
        row.addWidget(self.sign_button)
        row.addWidget(self.clock)

        # Navigation and pages.
        nav = QWidget()
        nav.setObjectName("nav")
        nav_layout = QVBoxLayout(nav)
        nav_layout.setContentsMargins(0, 12, 0, 12)
        nav_layout.setSpacing(4)
        self.nav_group = QButtonGroup(self)
        self.nav_group.setExclusive(True)
        self.nav_buttons: dict[str, QPushButton] = {}
        for name in views.ORDER:
            spec = views.VIEWS[name]
            button = QPushButton(f"{spec.icon}  {spec.title}")
            button.setObjectName(f"nav_{name}")
            button.setCheckable(True)
            button.clicked.connect(lambda _checked=False, n=name: self.show_view(n))
            self.nav_group.addButton(button)
            self.nav_buttons[name] = button
            nav_layout.addWidget(button)
        nav_layout.addStretch(1)
        nav.setMinimumWidth(230)
        self.stack = QStackedWidget()
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(nav)
        body.addWidget(self.stack, 1)

        self.message_bar = MessageBar()
        central = QWidget()
        central.setObjectName("central")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        self.answer_banner = AnswerBanner(ctx)  # every view shows the scan answer
        layout.addWidget(self.answer_banner)
        layout.addLayout(body, 1)
        layout.addWidget(self.message_bar)
        self.setCentralWidget(central)

        self.sign_in_dialog: SignInDialog | None = None
        self.idle_sign_out = IdleSignOut(ctx, ctx.settings.station.sign_out_idle_minutes)
        ctx.message.connect(self.message_bar.show_message)
        ctx.user_changed.connect(self._show_user)
        ctx.sync_status_changed.connect(self.set_sync_status)
        ctx.changed.connect(self._on_changed)
        ctx.tasks_changed.connect(self._show_tasks)
        ctx.pin_needed.connect(self._badge_needs_pin)
        self._show_tasks()
        self._show_user(ctx.user)
        self.set_sync_status(ctx.sync_status)
        self.reload_identity()
        self.show_view(start_view if start_view in views.VIEWS else "station")
        self.resize(1280, 800)

    # -- views ------------------------------------------------------------------------------
    def show_view(self, name: str) -> QWidget:
        """Show the view `name`, building it the first time."""
        views.spec(name)  # unknown names raise BadInput
        page = self.pages.get(name)
        if page is None:
            page = views.create_view(name, self.ctx)
            self.pages[name] = page
            self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        self.answer_banner.follow(page)
        self.nav_buttons[name].setChecked(True)
        return page

    @property
    def current_view(self) -> str:
        page = self.stack.currentWidget()
        return next((n for n, p in self.pages.items() if p is page), "")

    # -- header -----------------------------------------------------------------------------
    def set_sync_status(self, status: SyncStatus) -> None:
        """Slot for the sync code: redraw the sync-status area."""
        self.sync_status.show_status(status)

    def reload_identity(self) -> None:
        self.ctx.submit(station_identity.current, on_done=self._show_identity)

    def _show_identity(self, ident: StationIdentity) -> None:
        self.identity = ident
        self.clock.set_zone(zone_named(ident.timezone) if ident.timezone else None)
        plant = f"{ident.plant_code} {ident.plant_name}".strip() or "No plant yet"
        if self.ctx.demo:
            plant += "  ·  DEMO"
        if ident.line_name:
            plant += f"  ·  {ident.line_name}"
        self.plant_label.setText(plant)
        role = f"  ({ident.station_role})" if ident.station_role else ""
        self.station_label.setText(ident.title + role)

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches(*IDENTITY_PROJECTIONS):
            self.reload_identity()

    def _show_user(self, user: SignedIn | None) -> None:
        if user is None:
            self.user_label.setText("Not signed in")
            self.sign_button.setText("Sign in")
        else:
            self.user_label.setText(f"{user.name}\n{user.role.label}")
            self.sign_button.setText("Sign out")

    def _sign_in_or_out(self) -> None:
        if self.ctx.user is not None:
            self.ctx.sign_out()
            self.ctx.notify("Signed out.", "info")
            return
        self.open_sign_in()

    def _show_tasks(self, _status: object = None) -> None:
        self.task_status.show_tasks(self.ctx.supervisor.all())

    def _badge_needs_pin(self, badge: str, words: str) -> None:
        self.open_sign_in().take_badge(badge, words)

    def open_sign_in(self) -> SignInDialog:
        if self.sign_in_dialog is None:
            self.sign_in_dialog = SignInDialog(self.ctx, self)
        self.sign_in_dialog.open()
        return self.sign_in_dialog

    # -- lifecycle --------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        self.closed.emit()
