"""The sync-status pill in the header, drawn from a `SyncStatus` value (words first, colour second)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from jitdesk.gui.widgets import restyle
from jitdesk.services.syncstatus import STANDALONE, SyncStatus

_ICONS = {"online": "●", "offline": "✕", "connecting": "…", STANDALONE: "○"}


class SyncStatusLabel(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.show_status(SyncStatus())

    def show_status(self, status: SyncStatus) -> None:
        """Slot for the sync client (through AppContext.set_sync_status)."""
        text = f"{_ICONS.get(status.state, '?')} {status.headline.upper()}"
        if status.pending:
            text += f"  ·  {status.pending} to send"
        if status.quarantined:
            text += f"  ·  {status.quarantined} refused"
        self.setText(text)
        tips = [f"Sync: {status.state}"]
        if status.last_success:
            tips.append(f"last success {status.last_success}")
        if status.skew_ms is not None:
            tips.append(f"clock skew {status.skew_ms / 1000:+.1f} s")
        if status.message:
            tips.append(status.message)
        self.setToolTip("\n".join(tips))
        self.setProperty("state", status.state)
        restyle(self)
