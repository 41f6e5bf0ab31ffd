"""Shared builders for the kanban domain tests: events with a valid envelope, loops, stations."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from jitdesk.domain.clock import pack
from jitdesk.domain.events import REGISTRY, Event
from jitdesk.domain.kanban.loop import Loop
from jitdesk.domain.kanban.status import Rule

T0 = 1_790_000_000_000  # a fixed moment in 2026, in Unix ms
MIN = 60_000
CARD_ID = "card-1"


def event(kind: str, payload: dict[str, Any], *, ms: int, entity_id: str = CARD_ID, device: str = "dev-a",
          seq: int = 1, counter: int = 0, event_id: str | None = None) -> Event:
    """A valid event; the payload is checked against its kind's schema so tests cannot drift from it."""
    REGISTRY.validate(kind, REGISTRY.get(kind).version, payload)
    wall = datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    return Event(
        event_id=event_id or f"{device}-{seq}-{entity_id}", plant_id="plant-1", device_id=device,
        device_seq=seq, hlc=pack(ms, counter), wall_time=wall, kind=kind, entity_id=entity_id, actor=None,
        payload=payload, schema_version=REGISTRY.get(kind).version,
    )


class Device:
    """A device appending events in order: gapless sequence numbers, a clock that moves forward."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.seq = 0

    def emit(self, kind: str, payload: dict[str, Any], ms: int, entity_id: str = CARD_ID) -> Event:
        self.seq += 1
        return event(kind, payload, ms=ms, entity_id=entity_id, device=self.name, seq=self.seq)


def make_loop(**changes: Any) -> Loop:
    values: dict[str, Any] = {
        "code": "L-BOLT", "part_id": "part-bolt", "supplier_kind": "supermarket",
        "supplier_location": "Supermarket A, aisle 3", "supplier_station_id": "sm-1",
        "consumer_station_id": "line-1", "qty_per_card": 50, "lead_time_minutes": 120,
        "safety_factor": 0.1, "wait_rule": Rule.NOT_ALLOWED, "picking_rule": Rule.NOT_ALLOWED,
        "in_transit_rule": Rule.REQUIRED, "active": True,
    }
    values.update(changes)
    return Loop(**values)
