"""Supervised background tasks: nothing dies silently.

A `Supervisor` runs named coroutine factories on the running loop. When one fails it logs the failure once
(logger "jitdesk.tasks"; a KnownError as a warning without traceback, anything else with its traceback), shows
RESTARTING with a plain reason and the retry time, and starts it again after an exponential backoff that resets
once a run has lasted `healthy_after_s`. A factory that returns is STOPPED "finished"; `stop()` cancels.

A task may report its own live state with `mark()` (the sync client says RUNNING "online" or
"offline: server unreachable"). A task that never marks itself is shown RUNNING once it has started running.
Subscribers are called on the loop's thread with each changed status.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from jitdesk.domain.errors import KnownError
from jitdesk.runtime.listeners import Listeners

log = logging.getLogger("jitdesk.tasks")


class TaskState(enum.Enum):
    STARTING = "starting"
    RUNNING = "running"
    RESTARTING = "restarting"
    STOPPED = "stopped"


@dataclass(frozen=True)
class TaskStatus:
    """One task's live state; `since_ms` is when this state (with this reason) began."""

    name: str
    state: TaskState
    reason: str | None
    restarts: int
    since_ms: int
    retry_in_s: float | None = None


def _wall_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class _Entry:
    factory: Callable[[], Awaitable[None]]
    task: asyncio.Task[None] | None = None
    # Bumped each run, so a late mark() from a dead run cannot revive the task's state.
    run: int = 0
    marked: bool = False
    last_error: tuple[str, str] | None = None
    stopping: bool = False


class Supervisor:
    """Runs named background tasks, restarts them when they fail, and tells subscribers their state."""

    def __init__(
        self,
        *,
        backoff_initial_s: float = 1.0,
        backoff_max_s: float = 60.0,
        healthy_after_s: float = 60.0,
        now_ms: Callable[[], int] = _wall_ms,
    ) -> None:
        if backoff_initial_s <= 0 or backoff_max_s < backoff_initial_s:
            raise ValueError("backoff: need 0 < backoff_initial_s <= backoff_max_s")
        self._initial = backoff_initial_s
        self._max = backoff_max_s
        self._healthy_after = healthy_after_s
        self._now_ms = now_ms
        self._entries: dict[str, _Entry] = {}
        self._statuses: dict[str, TaskStatus] = {}
        self._subscribers: Listeners[TaskStatus] = Listeners("status")

    # --- public API -----------------------------------------------------------------------------------------

    def start(self, name: str, factory: Callable[[], Awaitable[None]]) -> None:
        """Run `factory()` under supervision on the running loop (call from a coroutine or loop callback)."""
        loop = asyncio.get_running_loop()
        entry = self._entries.get(name)
        if entry is not None and entry.task is not None and not entry.task.done():
            raise RuntimeError(f"task {name!r} is already running")
        entry = _Entry(factory=factory)
        self._entries[name] = entry
        self._set(name, TaskState.STARTING, None, restarts=0)
        entry.task = loop.create_task(self._supervise(name, entry), name=f"supervised:{name}")

    def mark(self, name: str, state: TaskState, reason: str | None = None) -> None:
        """A task reports its own live state; ignored once the supervisor has declared it stopped."""
        entry = self._entries.get(name)
        current = self._statuses.get(name)
        if entry is not None:
            if entry.stopping or (current is not None and current.state in (TaskState.STOPPED, TaskState.RESTARTING)):
                log.debug("task %s: late mark %s (%s) ignored", name, state.value, reason)
                return
            entry.marked = True
        restarts = current.restarts if current is not None else 0
        self._set(name, state, reason, restarts=restarts)

    def status(self, name: str) -> TaskStatus | None:
        return self._statuses.get(name)

    def all(self) -> list[TaskStatus]:
        return [self._statuses[name] for name in sorted(self._statuses)]

    def subscribe(self, callback: Callable[[TaskStatus], None]) -> Callable[[], None]:
        """Call `callback` with each changed status; returns a function that unsubscribes."""
        return self._subscribers.subscribe(callback)

    async def stop(self, name: str | None = None, reason: str = "stopped") -> None:
        """Cancel one task (or all), wait for it to end, and show it STOPPED with `reason`."""
        names = [name] if name is not None else list(self._entries)
        current = asyncio.current_task()
        waiting: list[asyncio.Task[None]] = []
        for each in names:
            entry = self._entries.get(each)
            if entry is None:
                continue
            entry.stopping = True
            task = entry.task
            if task is not None and not task.done():
                task.cancel()
                if task is not current:  # a task stopping itself cannot wait for its own end
                    waiting.append(task)
        if waiting:
            await asyncio.gather(*waiting, return_exceptions=True)
        for each in names:
            status = self._statuses.get(each)
            # One that already ended (finished, or stopped earlier) keeps its reason.
            if each in self._entries and status is not None and status.state is not TaskState.STOPPED:
                self._set(each, TaskState.STOPPED, reason, restarts=status.restarts)

    # --- internals ------------------------------------------------------------------------------------------

    async def _supervise(self, name: str, entry: _Entry) -> None:
        loop = asyncio.get_running_loop()
        delay = self._initial
        restarts = 0
        while True:
            entry.run += 1
            entry.marked = False
            run = entry.run
            if restarts:
                self._set(name, TaskState.STARTING, None, restarts=restarts)
            # A task that never reports itself is RUNNING once it got going (its first await).
            loop.call_soon(self._auto_running, name, entry, run)
            began = loop.time()
            try:
                await entry.factory()
            except asyncio.CancelledError:
                if not entry.stopping:
                    # Cancelled by someone else than stop(): say so rather than keep a stale RUNNING.
                    self._set(name, TaskState.STOPPED, "cancelled", restarts=restarts)
                raise
            except KnownError as error:
                text = str(error) or type(error).__name__
                failure = (type(error).__name__, text)
                ran = loop.time() - began
                if ran >= self._healthy_after:
                    delay, entry.last_error = self._initial, None
                if failure != entry.last_error:
                    log.warning("%s stopped: %s; restarting in %.3g s", name, text, delay)
                else:
                    log.debug("%s stopped again: %s", name, text)
                entry.last_error = failure
                reason = text
            except Exception as error:  # the supervisor's job: log it (once) and restart
                text = str(error) or "no message"
                failure = (type(error).__name__, text)
                ran = loop.time() - began
                if ran >= self._healthy_after:
                    delay, entry.last_error = self._initial, None
                if failure != entry.last_error:
                    log.error("%s failed unexpectedly; restarting in %.3g s", name, delay, exc_info=error)
                else:
                    log.debug("%s failed again the same way (%s: %s)", name, *failure)
                entry.last_error = failure
                reason = f"unexpected error ({type(error).__name__}: {text}); see the log"
            except BaseException as error:
                # KeyboardInterrupt / SystemExit: not ours to swallow, but never silent.
                self._set(name, TaskState.STOPPED, f"interrupted ({type(error).__name__})", restarts=restarts)
                raise
            else:
                self._set(name, TaskState.STOPPED, "finished", restarts=restarts)
                return
            self._set(name, TaskState.RESTARTING, reason, restarts=restarts, retry_in_s=delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, self._max)
            restarts += 1

    def _auto_running(self, name: str, entry: _Entry, run: int) -> None:
        status = self._statuses.get(name)
        if (
            self._entries.get(name) is entry
            and entry.run == run
            and not entry.marked
            and not entry.stopping
            and status is not None
            and status.state is TaskState.STARTING
        ):
            self._set(name, TaskState.RUNNING, None, restarts=status.restarts)

    def _set(
        self, name: str, state: TaskState, reason: str | None, *, restarts: int, retry_in_s: float | None = None
    ) -> None:
        old = self._statuses.get(name)
        new = TaskStatus(name, state, reason, restarts, self._now_ms(), retry_in_s)
        if old is not None and replace(old, since_ms=new.since_ms) == new:
            return  # same state and reason: no news, keep when it began
        self._statuses[name] = new
        self._subscribers.tell(new)
