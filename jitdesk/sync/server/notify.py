"""Long-poll wake-ups that cross API processes: PostgreSQL LISTEN/NOTIFY.

Several stateless API processes (`jitdesk server --workers N`, or several servers behind a load
balancer) share one PostgreSQL. A push through any of them must wake the long-polls waiting in every
one of them at once. A trigger on `events` (server migration s0004) sends
`NOTIFY jitdesk_events, '<plant id>'` for every insert, whoever makes it; PostgreSQL delivers it only
when that transaction commits, so a woken reader always finds the events (a new hold sends the
same notice, so a hub waiting with `holds_after` learns of it at once). Each process keeps one
listening connection (`LISTEN jitdesk_events`) and wakes the plant's waiters when a notice arrives; a
push also wakes its own process's waiters at once, without waiting for the notice.

Waiters then need no periodic re-check, so an idle long-poll costs nothing until it is woken or its
wait ends. While the listening connection is down (PostgreSQL restarting), `recheck_s` tells the
waiters to look again every `RECHECK_S`, as before, and the link is re-made with backoff.
"""

from __future__ import annotations

import asyncio
import logging

import psycopg
from sqlalchemy.engine import make_url

log = logging.getLogger("jitdesk.sync.server")

CHANNEL = "jitdesk_events"
RECHECK_S = 0.5


class Wakeups:
    """One asyncio.Event per plant, replaced after each wake-up (waiters in this process only).

    `recheck_s`: how often a waiter must look again by itself (None: never, every push wakes it)."""

    def __init__(self, recheck_s: float | None = None) -> None:
        self._events: dict[str, asyncio.Event] = {}
        self._recheck_s = recheck_s

    @property
    def recheck_s(self) -> float | None:
        return self._recheck_s

    def current(self, plant_id: str) -> asyncio.Event:
        event = self._events.get(plant_id)
        if event is None:
            event = self._events[plant_id] = asyncio.Event()
        return event

    def wake(self, plant_id: str) -> None:
        """Events of the plant were stored: wake its waiters (and, in subclasses, other processes')."""
        self.wake_here(plant_id)

    def wake_here(self, plant_id: str) -> None:
        event = self._events.pop(plant_id, None)
        if event is not None:
            event.set()

    def wake_all_here(self) -> None:
        for plant_id in list(self._events):
            self.wake_here(plant_id)


def libpq_dsn(sqlalchemy_url: str) -> str:
    """The psycopg connection string for a SQLAlchemy `postgresql+psycopg://` URL."""
    url = make_url(sqlalchemy_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class PgWakeups(Wakeups):
    """Wake-ups shared by every API process on one PostgreSQL; `run()` keeps the link (supervised)."""

    def __init__(self, dsn: str, *, backoff_max_s: float = 10.0) -> None:
        super().__init__(recheck_s=RECHECK_S)
        self._dsn = dsn
        self._listening = False
        self._backoff_max_s = backoff_max_s
        self.notices = 0  # received, for tests and health

    @property
    def recheck_s(self) -> float | None:
        return None if self._listening else RECHECK_S

    @property
    def listening(self) -> bool:
        return self._listening

    async def run(self) -> None:
        """Listen until cancelled, re-connecting with backoff after a failure."""
        delay = 0.5
        while True:
            try:
                await self._listen()
                delay = 0.5
            except (psycopg.Error, OSError) as error:
                log.warning("PostgreSQL wake-up link lost (%s); waiters look again every %.1f s meanwhile",
                            error, RECHECK_S)
            finally:
                self._listening = False
                self.wake_all_here()  # whatever was stored meanwhile: waiters look now
            await asyncio.sleep(delay)
            delay = min(self._backoff_max_s, delay * 2)

    async def _listen(self) -> None:
        async with await psycopg.AsyncConnection.connect(self._dsn, autocommit=True) as listener:
            await listener.execute(f"LISTEN {CHANNEL}")
            self._listening = True
            self.wake_all_here()  # events stored before the LISTEN took hold are looked for once
            async for notice in listener.notifies():
                self.notices += 1
                self.wake_here(notice.payload)
