"""The event envelope (DESIGN section 3) and the registry of event kinds with versioned schemas."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from jitdesk.domain.errors import BadInput, PayloadError
from jitdesk.domain.payload_rules import payload_problem
from jitdesk.domain.schema import Schema

ENVELOPE_FIELDS = (
    "event_id", "plant_id", "device_id", "device_seq", "hlc", "wall_time",
    "kind", "entity_id", "actor", "payload", "schema_version",
)


class Event(NamedTuple):
    """One immutable fact. A named tuple rather than a frozen dataclass: folds build millions of
    these, and a tuple is built several times faster; `event._replace(...)` makes a changed copy."""

    event_id: str
    plant_id: str
    device_id: str
    device_seq: int
    hlc: int
    wall_time: str  # ISO 8601 UTC, e.g. 2026-11-22T05:19:35.123Z
    kind: str
    entity_id: str
    actor: str | None
    payload: Mapping[str, Any]
    schema_version: int
    server_seq: int | None = None  # set by the server only
    received_at: str | None = None  # set by the server only

    @property
    def order_key(self) -> tuple[int, str, int]:
        """Deterministic order of events of one entity, the same on every copy."""
        return (self.hlc, self.device_id, self.device_seq)

    def envelope(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in ENVELOPE_FIELDS}


Upcaster = Callable[[Mapping[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class EventKind:
    """A kind of fact, e.g. `kanban.card.emptied`; `schemas[v]` validates payload version v.

    `upcasters[v]` turns a version-v payload into version v+1 so the fold only sees the newest.
    `master` kinds carry master data: only admin devices and users may emit them.
    """

    name: str
    schemas: Mapping[int, Schema]
    master: bool = False
    upcasters: Mapping[int, Upcaster] = field(default_factory=dict)

    @property
    def version(self) -> int:
        return max(self.schemas)


class Registry:
    def __init__(self) -> None:
        self._kinds: dict[str, EventKind] = {}

    def register(self, kind: EventKind) -> EventKind:
        if kind.name in self._kinds and self._kinds[kind.name] != kind:
            raise ValueError(f"event kind {kind.name} registered twice")
        self._kinds[kind.name] = kind
        return kind

    def get(self, name: str) -> EventKind:
        try:
            return self._kinds[name]
        except KeyError:
            raise BadInput(f"unknown event kind '{name}'") from None

    def __contains__(self, name: object) -> bool:
        return name in self._kinds

    def names(self) -> list[str]:
        return sorted(self._kinds)

    def validate(self, kind: str, version: int, payload: object) -> None:
        spec = self.get(kind)
        schema = spec.schemas.get(version)
        if schema is None:
            raise PayloadError(kind, "schema_version", f"{version} is not known (newest is {spec.version})")
        schema.validate(kind, payload)

    def upcast(self, event: Event) -> Event:
        """The event with its payload raised to the newest schema version of its kind."""
        spec = self.get(event.kind)
        payload: Mapping[str, Any] = event.payload
        version = event.schema_version
        while version < spec.version:
            payload = spec.upcasters[version](payload)
            version += 1
        if version == event.schema_version:
            return event
        return _replace_payload(event, payload, version)


def _replace_payload(event: Event, payload: Mapping[str, Any], version: int) -> Event:
    return event._replace(payload=payload, schema_version=version)


REGISTRY = Registry()


def event_from_dict(data: Mapping[str, Any], registry: Registry = REGISTRY) -> Event:
    """Build and validate an event from wire or database form; every problem names its field."""
    if not isinstance(data, Mapping):
        raise BadInput("an event must be a JSON object")
    for name in ENVELOPE_FIELDS:
        if name not in data:
            raise BadInput(f"event field '{name}' is missing")
    checks: dict[str, tuple[type, ...]] = {
        "event_id": (str,), "plant_id": (str,), "device_id": (str,), "device_seq": (int,), "hlc": (int,),
        "wall_time": (str,), "kind": (str,), "entity_id": (str,), "schema_version": (int,),
    }
    for name, types in checks.items():
        value = data[name]
        if not isinstance(value, types) or isinstance(value, bool):
            raise BadInput(f"event field '{name}' has the wrong type")
        if isinstance(value, str) and not 0 < len(value) <= 200:
            raise BadInput(f"event field '{name}' must be 1 to 200 characters")
    if data["device_seq"] < 1 or data["hlc"] < 0 or not 0 < data["schema_version"] < 1000:
        raise BadInput("event field 'device_seq', 'hlc' or 'schema_version' is out of range")
    if data["hlc"] >= 1 << 63:
        raise BadInput("event field 'hlc' is out of range")
    actor = data["actor"]
    if actor is not None and not isinstance(actor, str):
        raise BadInput("event field 'actor' must be a string or null")
    problem = payload_problem(dict(data["payload"])) if isinstance(data["payload"], Mapping) else None
    if problem is not None:  # before the kind's schema: it must never meet absurd nesting
        raise BadInput(f"{data['kind']}: {problem}")
    registry.validate(data["kind"], data["schema_version"], data["payload"])
    return Event(
        event_id=data["event_id"], plant_id=data["plant_id"], device_id=data["device_id"],
        device_seq=data["device_seq"], hlc=data["hlc"], wall_time=data["wall_time"], kind=data["kind"],
        entity_id=data["entity_id"], actor=actor, payload=dict(data["payload"]),
        schema_version=data["schema_version"],
        server_seq=data.get("server_seq"), received_at=data.get("received_at"),
    )
