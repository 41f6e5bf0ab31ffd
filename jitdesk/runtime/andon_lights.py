"""Drives a station's stack light from its andon state (the derived `station_andon` projection).

At start, and whenever a change touches `station_andon`, the station's light state is read on the DB
worker and handed to the light (`show` never blocks), so the light follows every raise, claim and
close, whichever station or server they came from. Listeners (MQTT) hear each new state too.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, Protocol

from jitdesk.domain.andon.derived import LightState
from jitdesk.domain.errors import KnownError
from jitdesk.runtime.bus import ChangeBus
from jitdesk.services.andon import STATION_ANDON
from jitdesk.services.andon.board import station_light
from jitdesk.services.changes import Changes
from jitdesk.services.hub import ServiceHub

log = logging.getLogger("jitdesk.light")


class StackLight(Protocol):
    """What the driver needs of a light (jitdesk.devices.stack_light has the real ones)."""

    def show(self, state: LightState) -> None: ...

    def close(self) -> None: ...


class LightDriver:
    def __init__(self, hub: ServiceHub, bus: ChangeBus, light: StackLight, station_id: str | None = None) -> None:
        self.hub = hub
        self.light = light
        self.station_id = station_id
        self.current: LightState | None = None
        self.listeners: list[Callable[[LightState], object]] = []
        self._tasks: set[asyncio.Task[Any]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._unsubscribe = bus.subscribe(self._on_changes)

    def start(self) -> asyncio.Task[None]:
        """Show the current state; call on the running loop (changes published anywhere hop onto it)."""
        self._loop = asyncio.get_running_loop()
        return self._spawn()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(STATION_ANDON) and self._loop is not None:
            self._loop.call_soon_threadsafe(self._spawn)

    def _spawn(self) -> asyncio.Task[None]:
        task = asyncio.get_event_loop().create_task(self._update())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    @property
    def pending(self) -> int:
        return len(self._tasks)

    async def _update(self) -> None:
        try:
            state = await self.hub.run(station_light, self.station_id)
        except KnownError as error:
            log.warning("cannot read the andon light state: %s", error)
            return
        if state != self.current:
            self.current = state
            self.light.show(state)
            for listener in list(self.listeners):
                listener(state)

    def close(self) -> None:
        self._unsubscribe()
        self.light.close()
