"""Hybrid logical clock: physical milliseconds plus a counter, packed into one sortable integer.

It never goes backwards, even when the wall clock jumps back (NTP step, a dead RTC battery),
and it moves past any timestamp it has seen from another device.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NewType

Hlc = NewType("Hlc", int)

COUNTER_BITS = 16
COUNTER_MAX = (1 << COUNTER_BITS) - 1


def pack(physical_ms: int, counter: int) -> Hlc:
    return Hlc((physical_ms << COUNTER_BITS) | counter)


def unpack(hlc: int) -> tuple[int, int]:
    return hlc >> COUNTER_BITS, hlc & COUNTER_MAX


def physical_ms(hlc: int) -> int:
    return hlc >> COUNTER_BITS


@dataclass
class HybridClock:
    """Mutable clock state for one device; persist `last` to survive restarts."""

    last: int = 0

    def now(self, wall_ms: int) -> Hlc:
        """A timestamp for a local event, greater than every one before it."""
        last_ms, last_c = unpack(self.last)
        if wall_ms > last_ms:
            stamp = pack(wall_ms, 0)
        elif last_c < COUNTER_MAX:
            stamp = pack(last_ms, last_c + 1)
        else:  # counter exhausted within one millisecond: borrow the next one
            stamp = pack(last_ms + 1, 0)
        self.last = stamp
        return stamp

    def observe(self, remote: int, wall_ms: int) -> Hlc:
        """Merge a timestamp received from another device; the next local stamp is above both."""
        if remote > self.last:
            self.last = remote
        return self.now(wall_ms)
