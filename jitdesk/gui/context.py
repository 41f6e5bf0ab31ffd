"""`AppContext`: what every view shares: the service hub, the signed-in user, settings, and one signal.

Every service call from the GUI goes through `ctx.submit(fn, ...)` (or `await ctx.run(fn, ...)`):
fn(db, ...) runs on the DB worker thread, and when it returns a `Changes` (alone or inside a
tuple) that changed something, it is published on the runtime's change bus (`ctx.bus`), the source
of truth that scans, sync and the simulator publish to as well. The context adapts the bus to one Qt
signal, `changed(Changes)`, always emitted on the Qt thread. All views reload from that signal;
views never talk to each other. A KnownError becomes a plain-words message (`on_error` or the
main window's message bar); anything else is a bug and goes to the excepthook.

The context owns the station's Qt-free `Runtime` (`ctx.runtime`): the bus, the scan router
(`ctx.router`), the supervisor of background tasks (`ctx.supervisor`, adapted to `tasks_changed`) and
the device manager. A badge scanned anywhere signs its user in (`user_changed`); one that needs a PIN
asks for it (`pin_needed(badge, words)`, which the main window answers with the sign-in dialog).
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, QThread, Signal, SignalInstance

from jitdesk.config import Settings
from jitdesk.domain.auth import Role
from jitdesk.domain.errors import KnownError
from jitdesk.runtime.bus import ChangeBus, changes_in
from jitdesk.runtime.scan_router import ScanRouter
from jitdesk.runtime.station import Runtime
from jitdesk.runtime.supervise import Supervisor, TaskStatus
from jitdesk.services.changes import Changes
from jitdesk.services.hub import ServiceHub
from jitdesk.services.signin import SignedIn
from jitdesk.services.syncstatus import SyncStatus

log = logging.getLogger("jitdesk.gui")

P = ParamSpec("P")
R = TypeVar("R")

__all__ = ["AppContext", "changes_in"]


class AppContext(QObject):
    changed = Signal(object)  # Changes, after every service call that changed something
    tasks_changed = Signal(object)  # TaskStatus of a supervised background task
    pin_needed = Signal(str, str)  # a scanned badge whose user must add a PIN: badge, plain words
    _changed_elsewhere = Signal(object)  # Changes published off the Qt thread, queued to it
    _task_elsewhere = Signal(object)
    user_changed = Signal(object)  # SignedIn | None
    message = Signal(str, str)  # level ("info", "problem"), plain-words text
    sync_status_changed = Signal(object)  # SyncStatus
    busy_changed = Signal(bool)

    def __init__(self, hub: ServiceHub, settings: Settings | None = None, *, demo: bool = False,
                 log_file: str | None = None, runtime: Runtime | None = None) -> None:
        super().__init__()
        self.hub = hub
        self.settings = settings or Settings()
        self.demo = demo
        self.log_file = log_file
        self.user: SignedIn | None = None
        self.runtime = runtime or Runtime(hub, double_scan_seconds=self.settings.scanner.double_scan_seconds,
                                          actor=lambda: self.actor)
        # The bus is the truth; `changed` is its one Qt signal, emitted on the Qt thread whoever published.
        self._changed_elsewhere.connect(self.changed.emit, Qt.ConnectionType.QueuedConnection)
        self._task_elsewhere.connect(self.tasks_changed.emit, Qt.ConnectionType.QueuedConnection)
        unsubscribe = [self.bus.subscribe(self._from_bus), self.supervisor.subscribe(self._from_supervisor)]
        self.destroyed.connect(lambda *_: [stop() for stop in unsubscribe])
        badges = self.runtime.badges
        badges.on_signed_in = self._badge_signed_in
        badges.on_refused = self._badge_refused
        self.sync_status = SyncStatus()
        self._tasks: set[asyncio.Task[Any]] = set()
        self.background: list[asyncio.Task[Any]] = []  # long-running tasks (sync, simulation)

    # -- the runtime ------------------------------------------------------------------------
    @property
    def bus(self) -> ChangeBus:
        return self.runtime.bus

    @property
    def router(self) -> ScanRouter:
        return self.runtime.router

    @property
    def supervisor(self) -> Supervisor:
        return self.runtime.supervisor

    def _relay(self, direct: SignalInstance, queued: SignalInstance, value: object) -> None:
        if not shiboken6.isValid(self):
            return  # the context is gone (tests delete it); nothing is listening any more
        if QThread.currentThread() is self.thread():
            direct.emit(value)
        else:
            queued.emit(value)

    def _from_bus(self, changes: Changes) -> None:
        self._relay(self.changed, self._changed_elsewhere, changes)

    def _from_supervisor(self, status: TaskStatus) -> None:
        self._relay(self.tasks_changed, self._task_elsewhere, status)

    def _badge_signed_in(self, user: SignedIn) -> None:
        if shiboken6.isValid(self):
            self.sign_in(user)
            self.notify(f"Signed in: {user.name} ({user.role.label}).", "success")

    def _badge_refused(self, badge: str, words: str) -> None:
        if shiboken6.isValid(self):
            self.pin_needed.emit(badge, words)

    # -- who is signed in ------------------------------------------------------------------
    @property
    def actor(self) -> str | None:
        """The user id to stamp on events the current user causes."""
        return None if self.user is None else self.user.user_id

    def has_role(self, role: Role) -> bool:
        return self.user is not None and self.user.role >= role

    def sign_in(self, user: SignedIn) -> None:
        self.user = user
        log.info("signed in: %s (%s)", user.name, user.role.label)
        self.user_changed.emit(user)

    def sign_out(self) -> None:
        if self.user is not None:
            log.info("signed out: %s", self.user.name)
        self.user = None
        self.user_changed.emit(None)

    # -- sync status (the sync client calls this later) ------------------------------------------
    def set_sync_status(self, status: SyncStatus) -> None:
        self.sync_status = status
        self.sync_status_changed.emit(status)

    # -- messages ------------------------------------------------------------------------------
    def notify(self, text: str, level: str = "problem") -> None:
        self.message.emit(level, text)

    # -- service calls ---------------------------------------------------------------------------
    async def run(self, fn: Callable[Concatenate[Any, P], R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Await fn(db, ...) on the DB worker; emits `changed` when it changed anything."""
        result = await self.hub.run(fn, *args, **kwargs)
        self.bus.publish_result(result)
        return result

    def submit(self, fn: Callable[..., R], *args: Any, on_done: Callable[[R], None] | None = None,
               on_error: Callable[[str], None] | None = None, **kwargs: Any) -> asyncio.Task[R | None]:
        """Start fn(db, ...) on the worker; `on_done(result)` on the Qt thread when it succeeds."""
        task = asyncio.get_event_loop().create_task(self._guarded(fn, args, kwargs, on_done, on_error))
        self._tasks.add(task)
        if len(self._tasks) == 1:
            self.busy_changed.emit(True)
        task.add_done_callback(self._finished)
        return task

    async def _guarded(self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
                       on_done: Callable[[Any], None] | None,
                       on_error: Callable[[str], None] | None) -> Any:
        try:
            result = await self.run(fn, *args, **kwargs)
        except KnownError as error:
            log.info("%s: %s", getattr(fn, "__name__", fn), error)
            (on_error or self.notify)(str(error))
            return None
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 (reported: the excepthook logs it and shows the crash dialog)
            # A bug: the excepthook logs it and shows the crash dialog from the Qt event loop.
            sys.excepthook(*sys.exc_info())
            return None
        if on_done is not None:
            try:
                on_done(result)
            except Exception:  # noqa: BLE001 (reported through the excepthook, as above)
                sys.excepthook(*sys.exc_info())
        return result

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not self._tasks:
            self.busy_changed.emit(False)

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    async def settle(self, timeout: float = 30.0) -> None:
        """Wait until no submitted call is running (views have loaded): for screenshots and tests."""
        async def idle() -> None:
            quiet = 0
            while quiet < 3:  # a finished call may submit a follow-up on the next turn
                await asyncio.sleep(0.02)
                quiet = 0 if self._tasks else quiet + 1
        await asyncio.wait_for(idle(), timeout)
