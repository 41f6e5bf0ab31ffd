"""The andon scan route: a call card's code (`AC-<type>`, domain/andon/codes.py) raises that call here.

Scanned codes (a call card under the scanner, or a physical andon button box on its own serial line,
which sends the same text) go to `raise_by_code` on the DB worker. Each answer (`RaiseOutcome`) is
published: its Changes on the bus first (boards and panels reload), then to the listeners (the
panel's answer line and sound). A second press of an open call is an answer, not a fault.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable
from typing import Any

from jitdesk.domain.andon.codes import parse_call_code
from jitdesk.domain.errors import KnownError
from jitdesk.domain.messages import legacy
from jitdesk.runtime.bus import ChangeBus
from jitdesk.runtime.listeners import Listeners
from jitdesk.runtime.scan_router import Scan
from jitdesk.services.andon.calls import RaiseOutcome, raise_by_code
from jitdesk.services.hub import ServiceHub

log = logging.getLogger("jitdesk.andon")

ANDON_ROUTE = "andon"


def is_call_code(code: str) -> bool:
    return parse_call_code(code) is not None


class AndonScans:
    def __init__(self, hub: ServiceHub, bus: ChangeBus) -> None:
        self.hub = hub
        self.bus = bus
        self.last: RaiseOutcome | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._listeners: Listeners[RaiseOutcome] = Listeners("andon answer", report=True)

    matches = staticmethod(is_call_code)

    def subscribe(self, listener: Callable[[RaiseOutcome], object]) -> Callable[[], None]:
        return self._listeners.subscribe(listener)

    @property
    def pending(self) -> int:
        return len(self._tasks)

    def handle(self, scan: Scan) -> None:
        self.raise_code(scan.code, "serial" if scan.source == "serial" else "scan")

    def raise_code(self, code: str, source: str = "scan") -> asyncio.Task[RaiseOutcome]:
        task = asyncio.get_event_loop().create_task(self._answer(code, source))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _answer(self, code: str, source: str) -> RaiseOutcome:
        type_code = parse_call_code(code) or ""
        try:
            outcome: RaiseOutcome = await self.hub.run(raise_by_code, type_code, source=source)
        except asyncio.CancelledError:
            raise
        except KnownError as error:
            outcome = RaiseOutcome(None, legacy(str(error)), str(error))
        except Exception:  # a bug: logged and shown as a crash; the press still gets an answer
            log.exception("raising a call from %r failed", code)
            outcome = RaiseOutcome(None, legacy("the call could not be raised (see the log)"),
                                   "the call could not be raised (see the log)")
            sys.excepthook(*sys.exc_info())
        self.bus.publish(outcome.changes)
        self.last = outcome
        self._listeners.tell(outcome)
        return outcome
