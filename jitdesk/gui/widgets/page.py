"""`ReloadingPage`: a view that loads its data through the AppContext and reloads when its data changed.

Subclasses name the projections they read (`WATCHES`) and implement `load()` (submit a query) and
whatever fills the widgets in the `on_done` callback. They load once when built, then again on
every `ctx.changed` that touches one of `WATCHES` (an empty `WATCHES` reloads on every change), but
only while they are on screen: a page that was shown and is now hidden (another view is up) marks
itself stale and loads once when it is shown again, so pages nobody looks at cost the database worker
(which also serves the scans) nothing. A page never shown yet (built for a test) reloads as before.
Periodic refreshes call `refresh()`, which skips hidden pages the same way.
"""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from jitdesk.gui.context import AppContext
from jitdesk.services.changes import Changes


class ReloadingPage(QWidget):
    WATCHES: tuple[str, ...] = ()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.stale = False
        self._shown_once = False
        ctx.changed.connect(self._on_changed)

    def _on_changed(self, changes: Changes) -> None:
        if not self.WATCHES or changes.touches(*self.WATCHES):
            self.refresh()

    def refresh(self) -> None:
        """Load now when on screen; otherwise remember to load when shown."""
        if self.isVisible() or not self._shown_once:
            self.load()
        else:
            self.stale = True

    def refresh_if_shown(self) -> None:
        """For timers: load only while on screen (a page never shown, or hidden, waits until shown)."""
        if self.isVisible():
            self.load()
        else:
            self.stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._shown_once = True
        if self.stale:
            self.stale = False
            self.load()

    def load(self) -> None:
        raise NotImplementedError
