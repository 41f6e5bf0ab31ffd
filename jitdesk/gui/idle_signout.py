"""Automatic sign-out on a shared station: nobody touched it for `[station] sign_out_idle_minutes`.

An app-wide event filter counts key presses, clicks, touches and wheel turns as "in use"; a scan is
use too (the scan router's listener). When the signed-in person leaves the station without signing
out, the next person does not act under their name. 0 minutes: never sign out by itself.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from jitdesk.gui.context import AppContext

_USE = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.Wheel})


class IdleSignOut(QObject):
    def __init__(self, ctx: AppContext, minutes: float) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.minutes = minutes
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._idle)
        if minutes > 0:
            self.timer.setInterval(int(minutes * 60_000))
            app = QApplication.instance()
            if app is not None:
                app.installEventFilter(self)
            ctx.user_changed.connect(self._user_changed)
            stop = ctx.router.subscribe(lambda _routed: self.touched())
            self.destroyed.connect(lambda *_: stop())

    def touched(self) -> None:
        if self.ctx.user is not None:
            self.timer.start()

    def _user_changed(self, user: object) -> None:
        if user is None:
            self.timer.stop()
        else:
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _USE and self.timer.isActive():
            self.timer.start()
        return False

    def _idle(self) -> None:
        user = self.ctx.user
        if user is None:
            return
        self.ctx.sign_out()
        minutes = f"{self.minutes:g} minute{'s' if self.minutes != 1 else ''}"
        self.ctx.notify(f"{user.name} was signed out: nobody used this station for {minutes}.", "info")
