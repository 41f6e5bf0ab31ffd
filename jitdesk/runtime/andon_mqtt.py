"""Andon state to MQTT: every call's state and each station's light, as retained JSON topics.

    <prefix>/call/<call id>            {"call_id", "station", "type", "status", "raised_ms", "claimed_by", ...}
    <prefix>/station/<code>/light      {"station", "colour", "flash", "buzzer"}

The bus tells which calls and stations changed; their state is read on the DB worker and handed to the
publisher, whose `publish` never blocks (devices/mqtt_out.py): a broker that is down never slows a station.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from jitdesk.domain.andon.call import CALL_PROJECTOR, Call
from jitdesk.domain.andon.derived import CLEAR
from jitdesk.domain.errors import KnownError
from jitdesk.domain.fold import PROJECTORS
from jitdesk.runtime.bus import ChangeBus
from jitdesk.services.andon import CALL, STATION_ANDON
from jitdesk.services.changes import Changes
from jitdesk.services.hub import ServiceHub
from jitdesk.storage import andon_repo, projections
from jitdesk.storage.database import Database

log = logging.getLogger("jitdesk.mqtt")


class Publisher(Protocol):
    def topic(self, *parts: str) -> str: ...

    def publish(self, topic: str, payload: dict[str, Any]) -> None: ...


@dataclass(frozen=True)
class Snapshot:
    calls: tuple[dict[str, Any], ...]
    lights: tuple[dict[str, Any], ...]


def call_payload(call: Call, station_code: str, type_code: str) -> dict[str, Any]:
    return {"call_id": call.call_id, "station": station_code, "station_id": call.station_id, "type": type_code,
            "status": call.status.value, "severity": call.severity, "stops_line": call.stops_line,
            "raised_ms": call.raised_ms, "claimed_by": call.ack_name or None, "claimed_ms": call.ack_ms,
            "closed_ms": call.end_ms, "reason": call.end_reason, "source": call.source}


def snapshot(db: Database, call_ids: Iterable[str], station_ids: Iterable[str]) -> Snapshot:
    """The published form of these calls and these stations' lights, read in one transaction."""
    with db.reading() as session:
        stations = projections.all_states(session, PROJECTORS.get("station"))
        types = projections.all_states(session, PROJECTORS.get("call_type"))
        lights = andon_repo.station_lights(session)
        calls = []
        for cid in sorted(set(call_ids)):
            found = projections.load(session, CALL_PROJECTOR, cid)
            if found is None or not found[0].raised:
                continue
            call = found[0]
            station = stations.get(call.station_id)
            call_type = types.get(call.call_type_id)
            calls.append(call_payload(call, station.code if station else call.station_id,
                                      call_type.code if call_type else call.call_type_id))
        out = []
        for sid in sorted(set(station_ids)):
            station = stations.get(sid)
            state = lights[sid].light_state if sid in lights else CLEAR
            out.append({"station": station.code if station else sid, "station_id": sid, "colour": state.colour,
                        "flash": state.flash, "buzzer": state.buzzer})
    return Snapshot(tuple(calls), tuple(out))


class AndonMqtt:
    def __init__(self, hub: ServiceHub, bus: ChangeBus, publisher: Publisher) -> None:
        self.hub = hub
        self.publisher = publisher
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._unsubscribe = bus.subscribe(self._on_changes)

    def start(self) -> asyncio.Task[None]:
        """Publish every station's light and the open calls now; then follow the bus."""
        self._loop = asyncio.get_running_loop()
        return self._spawn(None, None)

    @property
    def pending(self) -> int:
        return len(self._tasks)

    def _on_changes(self, changes: Changes) -> None:
        calls = [eid for name, eid in changes.entities if name == CALL]
        stations = [eid for name, eid in changes.entities if name == STATION_ANDON]
        if (calls or stations) and self._loop is not None:
            self._loop.call_soon_threadsafe(self._spawn, calls, stations)

    def _spawn(self, calls: list[str] | None, stations: list[str] | None) -> asyncio.Task[None]:
        task = asyncio.get_event_loop().create_task(self._publish(calls, stations))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _publish(self, calls: list[str] | None, stations: list[str] | None) -> None:
        try:
            if calls is None or stations is None:
                calls, stations = await self.hub.run(_everything)
            shot = await self.hub.run(snapshot, calls or [], stations or [])
        except KnownError as error:
            log.warning("cannot read andon state for MQTT: %s", error)
            return
        for call in shot.calls:
            self.publisher.publish(self.publisher.topic("call", call["call_id"]), call)
        for light in shot.lights:
            self.publisher.publish(self.publisher.topic("station", light["station"], "light"), light)

    def close(self) -> None:
        self._unsubscribe()


def _everything(db: Database) -> tuple[list[str], list[str]]:
    with db.reading() as session:
        open_calls = [c.call_id for c in andon_repo.open_calls(session)]
        stations = list(projections.all_states(session, PROJECTORS.get("station")))
    return open_calls, stations
