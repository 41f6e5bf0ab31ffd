"""Takt's inputs on a running station: cycle barcodes through the scan router, touches on the station
view and presses of serial pedals or sensors; each becomes one `complete_cycle` on the DB worker, in
the order they came, and its answer (`CycleOutcome`) goes out: Changes on the bus, then the listeners.
An Undo on the station view is one `undo_last_cycle` the same way. `follow_andon_link` is the station's
supervised andon-link task (services.takt.andon_link): a look every `LINK_SECONDS`, its calls on the bus.

A cycle barcode is ``TAKT:<line code>`` (``services.takt.cycles.is_cycle_code``); ``TaktCycles.matches``
is registered with the scan router (``register("takt", matches, handle)``).
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable
from typing import Any

from jitdesk.domain.errors import KnownError
from jitdesk.domain.messages import define, message
from jitdesk.runtime.bus import ChangeBus
from jitdesk.runtime.listeners import Listeners
from jitdesk.runtime.scan_router import Scan
from jitdesk.services.hub import ServiceHub
from jitdesk.services.takt.andon_link import look
from jitdesk.services.takt.cycles import CycleOutcome, complete_by_code, complete_cycle, is_cycle_code, undo_last_cycle
from jitdesk.services.uow import wall_clock_ms

log = logging.getLogger("jitdesk.takt")

NOT_RECORDED = define("takt.not_recorded", "reason")
NOT_UNDONE = define("takt.not_undone", "reason")
LINK_SECONDS = 5.0


async def follow_andon_link(hub: ServiceHub, bus: ChangeBus, *, every_s: float = LINK_SECONDS,
                            clock: Callable[[], int] = wall_clock_ms) -> None:
    """Run the andon link for this station's line until cancelled (it keeps nothing between looks)."""
    while True:
        result = await hub.run(look, now_ms=clock())
        bus.publish(result.changes)
        await asyncio.sleep(every_s)


class TaktCycles:
    def __init__(self, hub: ServiceHub, bus: ChangeBus, *, station_id: Callable[[], str | None] = lambda: None,
                 actor: Callable[[], str | None] = lambda: None) -> None:
        self.hub = hub
        self.bus = bus
        self.station_id = station_id
        self.actor = actor
        self.last: CycleOutcome | None = None
        self.now_ms: Callable[[], int] | None = None  # None: the wall clock (a test gives its own)
        self._listeners: Listeners[CycleOutcome] = Listeners("cycle answer", report=True)
        self._tasks: set[asyncio.Task[Any]] = set()

    matches = staticmethod(is_cycle_code)

    def subscribe(self, listener: Callable[[CycleOutcome], object]) -> Callable[[], None]:
        return self._listeners.subscribe(listener)

    @property
    def pending(self) -> int:
        return len(self._tasks)

    def handle(self, scan: Scan) -> None:
        self._start(complete_by_code, scan.code, source="scan")

    def complete(self, line_id: str, source: str = "touch") -> asyncio.Task[CycleOutcome]:
        return self._start(complete_cycle, line_id, source=source)

    def undo(self, line_id: str) -> asyncio.Task[CycleOutcome]:
        return self._start(undo_last_cycle, line_id, source=None, refused=NOT_UNDONE)

    def _start(self, fn: Callable[..., CycleOutcome], arg: str, *, source: str | None,
               refused: str = NOT_RECORDED) -> asyncio.Task[CycleOutcome]:
        task = asyncio.get_event_loop().create_task(self._answer(fn, arg, source, refused))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _answer(self, fn: Callable[..., CycleOutcome], arg: str, source: str | None,
                      refused: str) -> CycleOutcome:
        extra: dict[str, Any] = {} if source is None else {"source": source}
        if self.now_ms is not None:
            extra["now_ms"] = self.now_ms()
        try:
            outcome: CycleOutcome = await self.hub.run(fn, arg, station_id=self.station_id(), actor=self.actor(),
                                                       **extra)
        except asyncio.CancelledError:
            raise
        except KnownError as error:
            outcome = CycleOutcome(False, message(refused, reason=str(error)), wall_clock_ms())
        except Exception:  # a bug: logged and shown as a crash; the input still gets its answer
            log.exception("%s failed", fn.__name__)
            outcome = CycleOutcome(False, message(refused, reason="a fault in jitdesk; see the log"),
                                   wall_clock_ms())
            sys.excepthook(*sys.exc_info())
        self.bus.publish(outcome.changes)
        self.last = outcome
        self._listeners.tell(outcome)
        return outcome
