"""`ServiceHub`: the GUI's handle on the station database; every call runs on the one DB worker thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from jitdesk.services.worker import DbWorker
from jitdesk.storage.database import Database

P = ParamSpec("P")
R = TypeVar("R")


class ServiceHub:
    def __init__(self, db: Database, worker: DbWorker | None = None) -> None:
        self.db = db
        self.worker = worker or DbWorker()

    async def run(self, fn: Callable[Concatenate[Database, P], R], *args: P.args, **kwargs: P.kwargs) -> R:
        """`await hub.run(master.save, record, actor=...)`: fn(db, ...) on the worker thread."""
        return await self.worker.run(fn, self.db, *args, **kwargs)

    def call(self, fn: Callable[Concatenate[Database, P], R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Blocking variant for start-up, tests and the command line (never from the Qt thread)."""
        return self.worker.call(fn, self.db, *args, **kwargs)

    def close(self) -> None:
        self.worker.shutdown()
        self.db.close()
