"""What the sync-status area shows; the sync client produces it, the GUI only draws it."""

from __future__ import annotations

from dataclasses import dataclass

from jitdesk.domain.clock import MAX_AHEAD_MS

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
    def clock_warning(self) -> str | None:
        """Plain words when this station's clock is off by more than other clocks will follow."""
        if self.skew_ms is None or abs(self.skew_ms) <= MAX_AHEAD_MS:
            return None
        way = "ahead of" if self.skew_ms > 0 else "behind"
        return (f"this station's clock is {_span(abs(self.skew_ms))} {way} the server's: its times are wrong "
                f"for everyone; set the clock right (or turn on network time)")

    @property
    def headline(self) -> str:
        if self.state == STANDALONE:
            return "standalone"
        return self.state


def _span(ms: int) -> str:
    minutes = ms // 60_000
    if minutes >= 60:
        return f"{minutes // 60} h {minutes % 60} min"
    if minutes >= 1:
        return f"{minutes} min"
    return f"{ms / 1000:.0f} s"
