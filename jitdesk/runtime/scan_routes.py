"""The routes a station's scans take today: kanban cards, sign-in badges, and the plain answer.

* ``KanbanScans``: card and status codes (``jitdesk.domain.kanban.codes``; a code that has the form of
  a card code but a wrong check character is kanban's too, so it is answered "bad check character")
  go to ``record_scan`` on the DB worker, in the order scanned. Frames the serial layer refused are
  logged by ``record_unreadable``; codes nobody takes by ``record_unknown``. Each answer
  (``ScanOutcome``) is published: its ``Changes`` on the bus first (views reload), then to the
  outcome listeners (the GUI's flash and sound).
* ``BadgeScans``: a code that is an active user's badge signs that user in (``signin.by_badge``);
  the badge list is loaded at start and reloaded whenever the "user" projection changes, so matching a
  scan never touches the database on the loop's thread. A badge that needs a PIN (supervisors,
  admins) is handed to ``on_refused`` with the reason, so the GUI can ask for the PIN.

A problem with one scan is answered as that scan's result; the next scan is handled as usual.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from jitdesk.domain.errors import KnownError
from jitdesk.domain.kanban.codes import CodeRefusal, parse_scan
from jitdesk.domain.messages import Message
from jitdesk.runtime.bus import ChangeBus
from jitdesk.runtime.listeners import Listeners
from jitdesk.runtime.scan_router import Scan
from jitdesk.services import signin
from jitdesk.services.changes import Changes
from jitdesk.services.hub import ServiceHub
from jitdesk.services.kanban.scanning import (
    DEFAULT_DOUBLE_SCAN_SECONDS,
    ScanOutcome,
    record_scan,
    record_unreadable,
)
from jitdesk.services.scan_answers import record_unknown
from jitdesk.services.signin import SignedIn
from jitdesk.services.uow import wall_clock_ms

log = logging.getLogger("jitdesk.scan")

USER_PROJECTION = "user"


class _Tasks:
    """Tasks started from callbacks, kept so they are not collected mid-flight and can be counted."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def start(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.get_event_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def __len__(self) -> int:
        return len(self._tasks)

    async def wait(self, timeout_s: float) -> None:
        """Until every task started so far is done (or `timeout_s` passed)."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout_s)


def is_kanban_code(code: str) -> bool:
    """A card or status code, or one that has their form but fails the check character."""
    parsed = parse_scan(code)
    return not (isinstance(parsed, CodeRefusal) and parsed.reason == "unknown")


class KanbanScans:
    """Kanban's route, and the station's scan log for refused and unknown codes (see the module docstring)."""

    def __init__(self, hub: ServiceHub, bus: ChangeBus, *,
                 double_scan_seconds: float = DEFAULT_DOUBLE_SCAN_SECONDS,
                 actor: Callable[[], str | None] = lambda: None) -> None:
        self.hub = hub
        self.bus = bus
        self.double_scan_seconds = double_scan_seconds
        self.actor = actor
        self.last: ScanOutcome | None = None
        self._tasks = _Tasks()
        self._listeners: Listeners[ScanOutcome] = Listeners("scan answer", report=True)

    matches = staticmethod(is_kanban_code)

    def subscribe(self, listener: Callable[[ScanOutcome], object]) -> Callable[[], None]:
        """Hear every answer (after its Changes went out on the bus); returns unsubscribe."""
        return self._listeners.subscribe(listener)

    @property
    def pending(self) -> int:
        """Scans handed over whose answer has not come yet."""
        return len(self._tasks)

    async def wait(self, timeout_s: float) -> None:
        """Until every scan handed over so far has its answer (or `timeout_s` passed)."""
        await self._tasks.wait(timeout_s)

    # -- what the router and the scanners call --------------------------------------------------------
    def handle(self, scan: Scan) -> None:
        self.record(scan.code, scan.source)

    def record(self, code: str, source: str = "manual") -> asyncio.Task[ScanOutcome]:
        """Record one card scan (or a code typed in a kanban view's box); the answer goes to the listeners."""
        return self._tasks.start(self._answer(record_scan, code, None, source=source,
                                              double_scan_seconds=self.double_scan_seconds, actor=self.actor()))

    def record_unreadable(self, reason: str, raw: bytes = b"", source: str = "serial",
                          note: Message | None = None) -> asyncio.Task[ScanOutcome]:
        """A frame the scanner layer refused (noise, too long): logged with its reason, answered on screen."""
        return self._tasks.start(self._answer(record_unreadable, reason, raw, source=source, note=note))

    def record_unknown(self, scan: Scan, answer: str) -> asyncio.Task[ScanOutcome]:
        """The router's fallback: a code nothing here takes, logged in the scan log with its answer."""
        return self._tasks.start(self._answer(record_unknown, scan.code, answer, source=scan.source))

    # -- internals --------------------------------------------------------------------------------------
    async def _answer(self, fn: Callable[..., ScanOutcome], *args: Any, source: str, **kwargs: Any) -> ScanOutcome:
        try:
            outcome: ScanOutcome = await self.hub.run(fn, *args, source=source, **kwargs)
        except asyncio.CancelledError:
            raise
        except KnownError as error:
            outcome = self._failed(str(error), source)
        except Exception:  # a bug: logged and shown as a crash, and the scan still gets its answer
            log.exception("recording a scan failed")
            outcome = self._failed("the scan could not be recorded (a fault in jitdesk; see the log)", source)
            sys.excepthook(*sys.exc_info())
        self.bus.publish(outcome.changes)
        self.last = outcome
        self._listeners.tell(outcome)
        return outcome

    @staticmethod
    def _failed(message: str, source: str) -> ScanOutcome:
        return ScanOutcome("error", "refused", f"not recorded: {message}", "", wall_clock_ms(), None, source)


class BadgeScans:
    """Sign-in's route: known badges sign their user in; see the module docstring."""

    def __init__(self, hub: ServiceHub, bus: ChangeBus) -> None:
        self.hub = hub
        self.badges: frozenset[str] = frozenset()
        self.loaded = False
        self.on_signed_in: Callable[[SignedIn], object] | None = None
        self.on_refused: Callable[[str, str], object] | None = None  # badge, plain words
        self._tasks = _Tasks()
        self._unsubscribe = bus.subscribe(self._on_changes)

    def matches(self, code: str) -> bool:
        return code.strip() in self.badges

    @property
    def pending(self) -> int:
        return len(self._tasks)

    async def wait(self, timeout_s: float) -> None:
        await self._tasks.wait(timeout_s)

    def load(self) -> asyncio.Task[frozenset[str]]:
        """(Re)load the active users' badges on the DB worker."""
        return self._tasks.start(self._load())

    async def _load(self) -> frozenset[str]:
        try:
            self.badges = await self.hub.run(signin.known_badges)
        except KnownError as error:  # the database is unwell: badge scans are answered "unknown" until it heals
            log.warning("cannot read the badges: %s", error)
            return self.badges
        self.loaded = True
        log.debug("%d badges known", len(self.badges))
        return self.badges

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(USER_PROJECTION):
            self.load()

    def handle(self, scan: Scan) -> None:
        self._tasks.start(self._sign_in(scan.code.strip()))

    async def _sign_in(self, badge: str) -> SignedIn | None:
        try:
            user: SignedIn = await self.hub.run(signin.by_badge, badge, None)
        except KnownError as error:
            log.info("badge scan refused: %s", error)
            if self.on_refused is not None:
                self.on_refused(badge, str(error))
            return None
        if self.on_signed_in is None:
            log.warning("badge of %s scanned, but nothing here signs people in", user.name)
        else:
            self.on_signed_in(user)
        return user

    def close(self) -> None:
        self._unsubscribe()
