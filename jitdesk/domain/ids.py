"""Typed identifiers and UUIDv7 generation (time-ordered, made on the device)."""

from __future__ import annotations

import os
import time
import uuid
from typing import NewType

EventId = NewType("EventId", str)
EntityId = NewType("EntityId", str)
PlantId = NewType("PlantId", str)
LineId = NewType("LineId", str)
StationId = NewType("StationId", str)
PartId = NewType("PartId", str)
UserId = NewType("UserId", str)
DeviceId = NewType("DeviceId", str)
LoopId = NewType("LoopId", str)
CardId = NewType("CardId", str)


def uuid7(unix_ms: int | None = None, rand: bytes | None = None) -> str:
    """RFC 9562 UUID version 7: 48-bit millisecond timestamp, then 74 random bits."""
    ms = int(time.time() * 1000) if unix_ms is None else unix_ms
    tail = os.urandom(10) if rand is None else rand
    if len(tail) != 10:
        raise ValueError("uuid7 needs 10 random bytes")
    value = (ms & 0xFFFF_FFFF_FFFF) << 80
    value |= int.from_bytes(tail, "big") & ((1 << 80) - 1)
    value &= ~(0xF << 76)
    value |= 0x7 << 76  # version
    value &= ~(0x3 << 62)
    value |= 0x2 << 62  # variant
    return str(uuid.UUID(int=value))


def new_id() -> str:
    return uuid7()
