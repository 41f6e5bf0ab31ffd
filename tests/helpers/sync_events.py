"""Events for sync tests: a note kind the server process does not know, and raw envelopes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jitdesk.domain.events import REGISTRY, EventKind
from jitdesk.domain.ids import uuid7
from jitdesk.domain.schema import Schema, Str
from jitdesk.services.uow import transaction

NOTE = "test.note.added"  # a kind the server process does not know
if NOTE not in REGISTRY:
    REGISTRY.register(EventKind(NOTE, {1: Schema({"text": Str()})}))


def note(db: Any, text: str, now_ms: Callable[[], int] | None = None) -> None:
    kwargs = {} if now_ms is None else {"now_ms": now_ms}
    with transaction(db, **kwargs) as tx:
        tx.append(NOTE, "note-1", {"text": text})


def envelope(device: str, seq: int, *, plant: str = "P1", kind: str = "test.thing.noted",
             payload: Any = None, **over: Any) -> dict[str, Any]:
    data = {"event_id": uuid7(), "plant_id": plant, "device_id": device, "device_seq": seq,
            "hlc": (1_700_000_000_000 + seq) << 16, "wall_time": "2026-11-22T05:00:00.000Z", "kind": kind,
            "entity_id": f"e-{seq % 7}", "actor": None, "payload": payload if payload is not None else {"n": seq},
            "schema_version": 1}
    data.update(over)
    return data
