"""Qt adapter for scan claims: a widget takes every scan while it is shown, and gives them back when hidden.

`ScanClaim(router, widget, owner, handler)` claims the router's scans (see
`jitdesk.runtime.scan_router`) each time `widget` is shown and releases the claim when it is hidden,
closed or destroyed, so a dialog that is open gets every scan first (the newest open one first) and a
closed one never keeps a claim. The handler runs on the Qt thread (the router runs on the loop's
thread, which is the Qt thread under qasync) and may return False to let a scan go on.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from jitdesk.runtime.scan_router import Claim, Scan, ScanRouter


class ScanClaim(QObject):
    def __init__(self, router: ScanRouter, widget: QWidget, owner: str, handler: Callable[[Scan], object]) -> None:
        super().__init__(widget)
        self.router = router
        self.owner = owner
        self.handler = handler
        self.claim: Claim | None = None
        widget.installEventFilter(self)
        widget.destroyed.connect(lambda *_: self.release())
        if widget.isVisible():
            self.take()

    @property
    def live(self) -> bool:
        return self.claim is not None and self.claim.live

    def take(self) -> None:
        if not self.live:
            self.claim = self.router.claim(self.owner, self.handler)

    def release(self) -> None:
        claim, self.claim = self.claim, None
        if claim is not None:
            claim.release()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Show:
            self.take()
        elif kind in (QEvent.Type.Hide, QEvent.Type.Close):
            self.release()
        return False
