"""The sync-status pill in the header, drawn from a `SyncStatus` value (words first, colour second).

The value is the sync client's report joined with its supervised task's state
(`jitdesk.runtime.syncwatch`): RESTARTING or STOPPED when the task itself is not running."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QWidget

from jitdesk.gui.widgets import restyle
from jitdesk.services.syncstatus import STANDALONE, SyncStatus

_ICONS = {"online": "●", "offline": "✕", "connecting": "…", STANDALONE: "○", "restarting": "↻", "stopped": "■"}


class SyncStatusLabel(QLabel):
    """The header's sync pill; a touch opens the Sync view (refused events and their reasons)."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.show_status(SyncStatus())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def show_status(self, status: SyncStatus) -> None:
        """Slot for the sync client (through AppContext.set_sync_status)."""
        text = f"{_ICONS.get(status.state, '?')} {status.headline.upper()}"
        if status.pending:
            text += f"  ·  {status.pending} to send"
        if status.quarantined:
            text += f"  ·  {status.quarantined} refused"
        if status.unreadable:
            text += f"  ·  {status.unreadable} unreadable"
        warning = status.clock_warning
        if warning:
            text += "  ·  ⚠ CLOCK WRONG"
        self.setText(text)
        tips = [f"Sync: {status.state}"]
        if status.last_success:
            tips.append(f"last success {status.last_success}")
        if status.skew_ms is not None:
            tips.append(f"clock skew {status.skew_ms / 1000:+.1f} s")
        if status.message:
            tips.append(status.message)
        if warning:
            tips.insert(0, "Warning: " + warning)
        self.setToolTip("\n".join(tips))
        self.setProperty("state", "clock" if warning and status.state == "online" else status.state)
        restyle(self)
