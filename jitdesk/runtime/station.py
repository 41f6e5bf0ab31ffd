"""``Runtime``: the running station's Qt-free parts in one object, made once by the app context.

It holds the change bus, the supervisor, the device manager and the scan router with today's routes
(kanban cards first, then sign-in badges, then andon call codes and takt cycle codes; codes nobody takes are
answered and written to the scan log). ``start()`` is called once the asyncio loop runs (it loads the badge
list); ``start_task`` runs a background coroutine under the supervisor, now or as soon as the loop runs;
``close()`` lets go of every device at once; ``drain()`` then waits until every scan the devices read has its
answer (stopping: scanners first, then the scans already read, then the rest).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from jitdesk.runtime.andon_routes import ANDON_ROUTE, AndonScans
from jitdesk.runtime.bus import ChangeBus
from jitdesk.runtime.devices import DeviceManager, when_running
from jitdesk.runtime.scan_router import ScanRouter
from jitdesk.runtime.scan_routes import BadgeScans, KanbanScans
from jitdesk.runtime.supervise import Supervisor
from jitdesk.runtime.takt_routes import TaktCycles
from jitdesk.services.hub import ServiceHub
from jitdesk.services.kanban.scanning import DEFAULT_DOUBLE_SCAN_SECONDS

log = logging.getLogger("jitdesk.runtime")

KANBAN_ROUTE = "kanban"
BADGE_ROUTE = "badge"
TAKT_ROUTE = "takt"


class Runtime:
    def __init__(self, hub: ServiceHub, *, double_scan_seconds: float = DEFAULT_DOUBLE_SCAN_SECONDS,
                 actor: Callable[[], str | None] = lambda: None, supervisor: Supervisor | None = None,
                 bus: ChangeBus | None = None) -> None:
        self.hub = hub
        self.bus = bus or ChangeBus()
        self.supervisor = supervisor or Supervisor()
        self.devices = DeviceManager(self.supervisor)
        self.kanban = KanbanScans(hub, self.bus, double_scan_seconds=double_scan_seconds, actor=actor)
        self.badges = BadgeScans(hub, self.bus)
        self.router = ScanRouter(fallback=self.kanban.record_unknown)
        self.router.register(KANBAN_ROUTE, self.kanban.matches, self.kanban.handle)
        self.router.register(BADGE_ROUTE, self.badges.matches, self.badges.handle)
        self.andon = AndonScans(hub, self.bus)
        self.router.register(ANDON_ROUTE, self.andon.matches, self.andon.handle)
        self.takt = TaktCycles(hub, self.bus, actor=actor)
        self.router.register(TAKT_ROUTE, self.takt.matches, self.takt.handle)
        self.started = False

    def start(self) -> None:
        """Once the loop runs (or is about to): load what routing needs. Idempotent."""
        if self.started:
            return
        self.started = True
        self.badges.load()

    def start_task(self, name: str, factory: Callable[[], Awaitable[None]]) -> None:
        """Run ``factory()`` under the supervisor: now if the loop runs, else as soon as it does."""
        when_running(lambda: self.supervisor.start(name, factory))

    def close(self) -> None:
        """Let go of every device now (reader threads stopped, ports closed)."""
        self.devices.stop_all()
        self.badges.close()

    async def drain(self, timeout_s: float = 30.0) -> int:
        """After ``close()``: run what the reader threads posted before they stopped, and wait until
        every scan handed over has been recorded. Returns how many were still pending at the start."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        pending = 0
        quiet = 0
        # Frames the readers posted with call_soon_threadsafe run in the next loop turns; a few
        # quiet turns in a row mean none is left.
        while quiet < 3 and loop.time() < deadline:
            await asyncio.sleep(0.01)
            busy = self.kanban.pending + self.badges.pending
            if busy:
                pending = max(pending, busy)
                quiet = 0
                left = max(0.0, deadline - loop.time())
                await self.kanban.wait(left)
                await self.badges.wait(max(0.0, deadline - loop.time()))
            else:
                quiet += 1
        if self.kanban.pending or self.badges.pending:
            log.warning("stopping with %d scans not yet recorded", self.kanban.pending + self.badges.pending)
        return pending
