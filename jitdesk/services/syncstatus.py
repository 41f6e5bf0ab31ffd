"""What the sync-status area shows; the sync client produces it, the GUI only draws it."""

from __future__ import annotations

from dataclasses import dataclass

STANDALONE, CONNECTING, ONLINE, OFFLINE = "standalone", "connecting", "online", "offline"


@dataclass(frozen=True)
class SyncStatus:
    state: str = STANDALONE
    last_success: str | None = None  # ISO UTC time of the last successful push+pull
    pending: int = 0  # events waiting to go up
    quarantined: int = 0  # events the server refused (see the quarantine view)
    skew_ms: int | None = None  # this station's clock minus the server's
    message: str = ""  # plain words for the last problem, e.g. "server unreachable"

    @property
    def headline(self) -> str:
        if self.state == STANDALONE:
            return "standalone"
        return self.state
