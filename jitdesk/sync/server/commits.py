"""Group commit: the pushes waiting at one moment are stored in one transaction.

Every push used to take the sequence lock, insert and commit on its own, so with many stations the
server spent its time on one fsync (SQLite) or one round of lock + COMMIT (PostgreSQL) per batch.
Here a request parses and admits its batch on a worker thread (no lock), then hands it to the
`Committer` of its process and waits. One writer task takes every batch waiting, stores them in
order in one transaction under the sequence lock (`ServerStore.push_admitted`: server_seq stays
gapless and in commit order, across processes too), commits once, and only then answers each
request with its own results. A batch that fails on its own is rolled back to its savepoint and
answered with the error; the others are stored. If the COMMIT fails, every request of the group
gets the error and nothing of it was acknowledged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from anyio import CapacityLimiter, to_thread

from jitdesk.sync.server.admission import Admission
from jitdesk.sync.server.store import Principal, ServerStore

log = logging.getLogger("jitdesk.sync.server")

MAX_GROUP_EVENTS = 20_000  # candidates per transaction: a group stays a short hold of the lock


@dataclass
class _Waiting:
    who: Principal
    admission: Admission
    answer: asyncio.Future[Any] = field(default_factory=lambda: asyncio.get_running_loop().create_future())


class Committer:
    """One per API process; `finish(results)` (run on the writer's thread after COMMIT) makes each
    request's answer from its results."""

    def __init__(self, store: ServerStore, finish: Callable[[list[dict[str, Any]]], Any]) -> None:
        self._store = store
        self._finish = finish
        self._waiting: list[_Waiting] = []
        self._ready: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._thread: CapacityLimiter | None = None  # its own: never queued behind woken pulls
        self.groups = 0  # transactions made, and batches in them (for tests and benches)
        self.batches = 0

    async def submit(self, who: Principal, admission: Admission) -> Any:
        """Store the admitted batch with whatever else is waiting; its answer once committed."""
        item = _Waiting(who, admission)
        self._waiting.append(item)
        if self._ready is None:
            self._ready = asyncio.Event()
        self._ready.set()
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._run())
        return await item.answer

    async def _run(self) -> None:
        assert self._ready is not None
        while True:
            await self._ready.wait()
            self._ready.clear()
            while self._waiting:
                group = self._take()
                if self._thread is None:
                    self._thread = CapacityLimiter(1)
                try:
                    answers = await to_thread.run_sync(self._commit, group, limiter=self._thread)
                except Exception as error:  # noqa: BLE001 (each waiter of the group gets it; none was stored)
                    _fail(group, error)
                    continue
                except BaseException:
                    _fail(group, RuntimeError("the server is stopping"))
                    raise
                for item, answer in zip(group, answers, strict=True):
                    if item.answer.done():
                        continue
                    if isinstance(answer, Exception):
                        item.answer.set_exception(answer)
                    else:
                        item.answer.set_result(answer)

    def _take(self) -> list[_Waiting]:
        group: list[_Waiting] = []
        size = 0
        while self._waiting and (not group or size + len(self._waiting[0].admission.candidates) <= MAX_GROUP_EVENTS):
            item = self._waiting.pop(0)
            group.append(item)
            size += len(item.admission.candidates)
        return group

    def _commit(self, group: list[_Waiting]) -> list[Any]:
        failures = self._store.push_admitted([(item.who, item.admission) for item in group])
        self.groups += 1
        self.batches += len(group)
        return [failure if failure is not None else self._finish(item.admission.results)
                for item, failure in zip(group, failures, strict=True)]


def _fail(group: list[_Waiting], error: Exception) -> None:
    for item in group:
        if not item.answer.done():
            item.answer.set_exception(error)
