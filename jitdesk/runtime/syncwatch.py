"""What the header's sync pill and `jitdesk sync` show: the sync client's own report joined with the
state of its supervised task, so a sync task that failed or stopped is never shown ONLINE.

    watch = SyncWatch(supervisor, publish=ctx.set_sync_status)
    client = SyncClient(db, url, token, on_status=watch.client_status, ...)
    supervisor.start(SYNC_TASK, client.run)

The client's report (online, offline with the reason, counts) also becomes the task's live state
(`Supervisor.mark`), so the supervisor's list of tasks says how sync is doing in one line.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace

from jitdesk.runtime.supervise import Supervisor, TaskState, TaskStatus
from jitdesk.services.syncstatus import CONNECTING, OFFLINE, ONLINE, RESTARTING, STOPPED, SyncStatus

SYNC_TASK = "sync"


def joined(status: SyncStatus, task: TaskStatus | None) -> SyncStatus:
    """The client's status as the screen should show it, given its task's state (None: not supervised)."""
    if task is None:
        return status
    if task.state is TaskState.RESTARTING:
        wait = f"; trying again in {task.retry_in_s:.0f} s" if task.retry_in_s is not None else ""
        return replace(status, state=RESTARTING, message=f"sync stopped: {task.reason or 'a problem'}{wait}")
    if task.state is TaskState.STOPPED:
        why = "" if task.reason in (None, "finished", "stopped") else f": {task.reason}"
        return replace(status, state=STOPPED, message=f"sync is stopped{why}")
    if task.state is TaskState.STARTING and status.state == ONLINE:
        return replace(status, state=CONNECTING)  # a fresh run has not reached the server yet
    return status


class SyncWatch:
    """Joins the client's reports and its task's state, and publishes each changed result."""

    def __init__(self, supervisor: Supervisor, publish: Callable[[SyncStatus], None], *,
                 name: str = SYNC_TASK) -> None:
        self._supervisor = supervisor
        self._publish = publish
        self._name = name
        self._client = SyncStatus(state=CONNECTING)
        self._shown: SyncStatus | None = None
        self._unsubscribe = supervisor.subscribe(self._task_changed)

    @property
    def status(self) -> SyncStatus:
        return joined(self._client, self._supervisor.status(self._name))

    def client_status(self, status: SyncStatus) -> None:
        """The client's `on_status`: remember its report and mark the task's live state with it."""
        self._client = status
        if status.state == ONLINE:
            self._supervisor.mark(self._name, TaskState.RUNNING, "online")
        elif status.state == OFFLINE:
            self._supervisor.mark(self._name, TaskState.RUNNING, f"offline: {status.message or 'no link'}")
        elif status.state == CONNECTING:
            self._supervisor.mark(self._name, TaskState.RUNNING, "connecting")
        self._show()

    def close(self) -> None:
        self._unsubscribe()

    def _task_changed(self, task: TaskStatus) -> None:
        if task.name == self._name:
            self._show()

    def _show(self) -> None:
        status = self.status
        if status != self._shown:
            self._shown = status
            self._publish(status)


async def until_stopped(supervisor: Supervisor, name: str) -> TaskStatus:
    """Wait until the supervised task `name` is STOPPED (finished, stopped or cancelled)."""
    ended: asyncio.Future[TaskStatus] = asyncio.get_running_loop().create_future()

    def seen(task: TaskStatus) -> None:
        if task.name == name and task.state is TaskState.STOPPED and not ended.done():
            ended.set_result(task)

    unsubscribe = supervisor.subscribe(seen)
    try:
        current = supervisor.status(name)
        if current is not None and current.state is TaskState.STOPPED:
            return current
        return await ended
    finally:
        unsubscribe()
