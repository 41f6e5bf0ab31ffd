"""SyncWatch on a real loop: the client's reports become the task's live state, a dead task is never
shown ONLINE, and until_stopped() returns when the task ends."""

from __future__ import annotations

import asyncio

from jitdesk.runtime.supervise import Supervisor, TaskState
from jitdesk.runtime.syncwatch import SYNC_TASK, SyncWatch, until_stopped
from jitdesk.services.syncstatus import CONNECTING, OFFLINE, ONLINE, RESTARTING, STOPPED, SyncStatus


def test_reports_become_task_state_and_a_failed_task_is_not_online() -> None:
    shown: list[SyncStatus] = []

    async def main() -> None:
        sup = Supervisor(backoff_initial_s=30.0, backoff_max_s=30.0)
        watch = SyncWatch(sup, shown.append)
        go_on = asyncio.Event()

        async def client() -> None:
            watch.client_status(SyncStatus(state=CONNECTING))
            await asyncio.sleep(0)
            watch.client_status(SyncStatus(state=ONLINE, pending=3))
            await go_on.wait()
            watch.client_status(SyncStatus(state=OFFLINE, message="server unreachable"))
            await asyncio.sleep(0)
            raise RuntimeError("bug after going offline")

        sup.start(SYNC_TASK, client)
        for _ in range(1000):
            if watch.status.state == ONLINE:
                break
            await asyncio.sleep(0.001)
        task = sup.status(SYNC_TASK)
        assert task is not None and (task.state, task.reason) == (TaskState.RUNNING, "online")
        go_on.set()
        for _ in range(1000):
            if watch.status.state == RESTARTING:
                break
            await asyncio.sleep(0.001)
        assert watch.status.pending == 0  # the client's last report, kept under the task's state
        assert "sync stopped: unexpected error (RuntimeError: bug after going offline)" in watch.status.message
        await sup.stop(reason="app closing")
        assert watch.status.state == STOPPED and watch.status.message == "sync is stopped: app closing"
        watch.close()

    asyncio.run(main())
    assert [s.state for s in shown] == [CONNECTING, ONLINE, OFFLINE, RESTARTING, STOPPED]


def test_until_stopped_returns_the_final_status() -> None:
    async def main() -> None:
        sup = Supervisor()

        async def short() -> None:
            await asyncio.sleep(0)

        sup.start("short", short)
        final = await asyncio.wait_for(until_stopped(sup, "short"), 30)
        assert (final.state, final.reason) == (TaskState.STOPPED, "finished")
        again = await asyncio.wait_for(until_stopped(sup, "short"), 30)  # already stopped: at once
        assert again == final

    asyncio.run(main())
