"""`AppContext`: what every view shares: the service hub, the signed-in user, settings, and one signal.

Every service call from the GUI goes through `ctx.submit(fn, ...)` (or `await ctx.run(fn, ...)`):
fn(db, ...) runs on the DB worker thread, and when it returns a `Changes` (alone or inside a
tuple) that changed something, `changed(Changes)` is emitted. All views reload from that signal;
views never talk to each other. A KnownError becomes a plain-words message (`on_error` or the
main window's message bar); anything else is a bug and goes to the excepthook.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

from PySide6.QtCore import QObject, Signal

from jitdesk.config import Settings
from jitdesk.domain.auth import Role
from jitdesk.domain.errors import KnownError
from jitdesk.runtime.supervise import Supervisor
from jitdesk.services.changes import Changes
from jitdesk.services.hub import ServiceHub
from jitdesk.services.signin import SignedIn
from jitdesk.services.syncstatus import SyncStatus

log = logging.getLogger("jitdesk.gui")

P = ParamSpec("P")
R = TypeVar("R")


def changes_in(result: object) -> Changes | None:
    """The Changes a use case returned: itself, or the one inside a tuple such as (id, Changes)."""
    if isinstance(result, Changes):
        return result
    if isinstance(result, tuple):
        return next((item for item in result if isinstance(item, Changes)), None)
    return None


class AppContext(QObject):
    changed = Signal(object)  # Changes, after every service call that changed something
    user_changed = Signal(object)  # SignedIn | None
    message = Signal(str, str)  # level ("info", "problem"), plain-words text
    sync_status_changed = Signal(object)  # SyncStatus
    busy_changed = Signal(bool)

    def __init__(self, hub: ServiceHub, settings: Settings | None = None, *, demo: bool = False,
                 log_file: str | None = None) -> None:
        super().__init__()
        self.hub = hub
        self.settings = settings or Settings()
        self.demo = demo
        self.log_file = log_file
        self.user: SignedIn | None = None
        self.sync_status = SyncStatus()
        self._tasks: set[asyncio.Task[Any]] = set()
        self.background: list[asyncio.Task[Any]] = []  # long-running tasks (sync, simulation)
        # Every background task runs under it: restarted with backoff, its live state on screen.
        self.supervisor = Supervisor()

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
        found = changes_in(result)
        if found:
            self.changed.emit(found)
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
        except Exception:
            # A bug: the excepthook logs it and shows the crash dialog from the Qt event loop.
            sys.excepthook(*sys.exc_info())
            return None
        if on_done is not None:
            try:
                on_done(result)
            except Exception:
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
