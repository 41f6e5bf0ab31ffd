"""What the sync-status area shows; the sync client produces it, the GUI only draws it."""

from __future__ import annotations

from dataclasses import dataclass

STANDALONE, CONNECTING, ONLINE, OFFLINE = "standalone", "connecting", "online", "offline"
# The sync task itself is not running: it failed and waits to start again, or it was stopped.
RESTARTING, STOPPED = "restarting", "stopped"


@dataclass(frozen=True)
class SyncStatus:
    state: str = STANDALONE
    last_success: str | None = None  # ISO UTC time of the last successful push+pull
    pending: int = 0  # events waiting to go up
    quarantined: int = 0  # events the server refused (see the quarantine view)
    skew_ms: int | None = None  # this station's clock minus the server's
    message: str = ""  # plain words for the last problem, e.g. "server unreachable"
    unreadable: int = 0  # pulled items this station could not read (quarantined, see the Sync view)

    @property
    def headline(self) -> str:
        if self.state == STANDALONE:
            return "standalone"
        return self.state
