"""The Admin view: one tab per master-data kind, plus "This station"."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from jitdesk.domain.auth import Role
from jitdesk.gui.admin.call_types_tab import CallTypesTab
from jitdesk.gui.admin.editor import MasterTab
from jitdesk.gui.admin.escalation_tab import EscalationTab
from jitdesk.gui.admin.kinds import KINDS
from jitdesk.gui.admin.loops_tab import LoopsTab
from jitdesk.gui.admin.station_tab import StationTab
from jitdesk.gui.context import AppContext
from jitdesk.gui.widgets import page_title
from jitdesk.services.signin import SignedIn


def create_view(ctx: AppContext) -> QWidget:
    return AdminView(ctx)


class AdminView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.who = QLabel()
        self.who.setObjectName("pageHint")
        self.who.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.master_tabs: dict[str, MasterTab] = {}
        for kind in KINDS:
            tab = MasterTab(ctx, kind)
            self.master_tabs[kind.key] = tab
            self.tabs.addTab(tab, kind.title)
        self.tabs.addTab(self.master_tabs.setdefault("call_types", CallTypesTab(ctx)), "Andon calls")
        self.station_tab = StationTab(ctx)
        self.tabs.addTab(self.station_tab, "This station")
        self.tabs.addTab(LoopsTab(ctx), "Loops")
        self.tabs.addTab(EscalationTab(ctx), "Escalation")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 8)
        layout.addWidget(page_title("⚙  Admin: master data"))
        layout.addWidget(self.who)
        layout.addWidget(self.tabs, 1)
        ctx.user_changed.connect(self._show_who)
        self._show_who(ctx.user)

    def _show_who(self, user: SignedIn | None) -> None:
        if user is not None and user.role >= Role.ADMIN:
            self.who.setText(f"Signed in as {user.name} (admin): changes are recorded under your name.")
        else:
            self.who.setText("Anyone may look. Saving changes needs an admin: sign in first.")

    def show_tab(self, key: str) -> MasterTab:
        tab = self.master_tabs[key]
        self.tabs.setCurrentWidget(tab)
        return tab
