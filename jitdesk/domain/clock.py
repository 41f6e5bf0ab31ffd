"""Hybrid logical clock: physical milliseconds plus a counter, packed into one sortable integer.

It never goes backwards, even when the wall clock jumps back (NTP step, a dead RTC battery),
and it moves past any timestamp it has seen from another device, up to `MAX_AHEAD_MS` ahead of this
device's own wall clock: a device whose clock runs hours fast may not drag every other clock (and so
every status time, age and order) hours into the future. Its events are kept as they are and flagged
(`ahead_ms`); only the pull they exert on other clocks is bounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NewType

Hlc = NewType("Hlc", int)

COUNTER_BITS = 16
COUNTER_MAX = (1 << COUNTER_BITS) - 1
MAX_AHEAD_MS = 60_000  # how far a remote stamp may pull this clock ahead of the wall clock


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

    def observe(self, remote: int, wall_ms: int, max_ahead_ms: int = MAX_AHEAD_MS) -> Hlc:
        """Merge a timestamp received from another device; the next local stamp is above both,
        except that a remote stamp more than `max_ahead_ms` ahead of `wall_ms` only pulls this clock
        to that bound (see `ahead_ms` to flag such a stamp)."""
        remote = min(remote, bound(wall_ms, max_ahead_ms))
        if remote > self.last:
            self.last = remote
        return self.now(wall_ms)


def bound(wall_ms: int, max_ahead_ms: int = MAX_AHEAD_MS) -> Hlc:
    """The highest stamp a remote clock may impose on a device whose wall clock reads `wall_ms`."""
    return pack(wall_ms + max_ahead_ms, 0)  # counter 0: the next local tick stays inside the bound


def ahead_ms(hlc: int, wall_ms: int) -> int:
    """How far the stamp's physical time is ahead of `wall_ms` (negative: behind)."""
    return physical_ms(hlc) - wall_ms
