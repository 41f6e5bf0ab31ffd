"""The main window: header (plant, station, sync status, background tasks in trouble, user, clock),
navigation, the views, and the message bar. Views are built the first time they are shown (start-up
stays lean). A scanned badge that needs a PIN opens the sign-in dialog with the badge filled in.

The window never grows for what it shows: each view sits in a scroll area (widgets/fit.py), so the
window's size is the screen's, and a view that needs more room scrolls inside it."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QPaintEvent, QResizeEvent
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

from jitdesk.gui import theme, views
from jitdesk.gui.answer_banner import AnswerBanner
from jitdesk.gui.context import AppContext
from jitdesk.gui.idle_signout import IdleSignOut
from jitdesk.gui.signin import SignInDialog
from jitdesk.gui.widgets import big_button, restyle
from jitdesk.gui.widgets.clock import Clock
from jitdesk.gui.widgets.fit import ElidedLabel, fit_area, fit_dialog
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
SIGN_IN_SIZE = (720, 480)  # at least; more for what it holds; less on a small screen
HEADER_SQUEEZE_PX = 60
COMPACT_NAV_BELOW = 1600  # a window narrower than this (times ui.font_scale) shows each symbol over its word


class MainWindow(QMainWindow):
    first_painted = Signal()
    closed = Signal()

    def __init__(self, ctx: AppContext, start_view: str = "station") -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle("jitdesk" + (" (demo plant)" if ctx.demo else ""))
        self._painted = False
        self.pages: dict[str, QWidget] = {}
        self.frames: dict[str, QWidget] = {}  # the scroll area each page sits in
        self.identity = StationIdentity()

        # Header.
        header = QWidget()
        header.setObjectName("header")
        self.plant_label = ElidedLabel("…")
        self.plant_label.setObjectName("plantName")
        self.station_label = ElidedLabel("")
        self.station_label.setObjectName("stationName")
        for label in (self.plant_label, self.station_label):
            # Long names end in "…", never allowed to push the clock off a small screen.
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
        for squeezable in (self.sync_status, self.user_label):
            # A large font_scale on a narrow screen: these give way (their tooltip or the Sync view has
            # the words) before the header could widen the window; the clock and Sign in never do.
            squeezable.setMinimumWidth(HEADER_SQUEEZE_PX)
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
        self.nav = nav
        self.nav_area = fit_area(nav)  # a large font_scale on a short screen: the buttons scroll
        self.nav_area.setObjectName("navArea")
        self.nav_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav_area.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Ignored)
        self.compact_nav: bool | None = None
        self._set_compact_nav(False)
        self.nav_area.installEventFilter(self)  # its height decides whether its scroll bar needs room
        self.stack = QStackedWidget()
        self.stack.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self.nav_area)
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
        self.board: QWidget | None = None  # a TV board opened with --board
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
            self.frames[name] = fit_area(page)
            self.stack.addWidget(self.frames[name])
        self.stack.setCurrentWidget(self.frames[name])
        self.answer_banner.follow(page)
        self.nav_buttons[name].setChecked(True)
        return page

    def _set_compact_nav(self, compact: bool) -> None:
        """Full words beside each symbol, or (narrow window) the symbol over a smaller word."""
        if compact == self.compact_nav:
            return
        self.compact_nav = compact
        for name, button in self.nav_buttons.items():
            spec = views.VIEWS[name]
            button.setText(f"{spec.icon}\n{spec.title}" if compact else f"{spec.icon}  {spec.title}")
            button.setToolTip(spec.title)
        self.nav.setProperty("compact", compact)
        restyle(self.nav)
        for button in self.nav_buttons.values():
            restyle(button)
        self.nav.setMinimumWidth(0 if compact else 230)
        self._fit_nav()

    def _fit_nav(self) -> None:
        """The navigation as wide as its buttons, and its scroll bar's width more when they need one."""
        self.nav.adjustSize()
        hint = self.nav.sizeHint()
        scrolls = hint.height() > self.nav_area.height()
        bar = self.nav_area.verticalScrollBar().sizeHint().width() if scrolls else 0
        self.nav_area.setFixedWidth(hint.width() + bar + 4)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._set_compact_nav(event.size().width() < COMPACT_NAV_BELOW * theme.font_scale())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.nav_area and event.type() == QEvent.Type.Resize:
            self._fit_nav()
        return False

    @property
    def current_view(self) -> str:
        frame = self.stack.currentWidget()
        return next((n for n, f in self.frames.items() if f is frame), "")

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
        # Room for every field and the whole PIN pad; fit_dialog keeps it inside the window (then it scrolls).
        wanted = self.sign_in_dialog.wanted_size()
        wide = round(SIGN_IN_SIZE[0] * theme.font_scale())  # larger type: wider fields
        fit_dialog(self.sign_in_dialog, max(wide, wanted.width()), max(SIGN_IN_SIZE[1], wanted.height()))
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
