"""A small cache of recent answers for the per-request checks of a busy server.

When a push wakes thousands of waiting pulls, every device asks again at once, and each request used
to cost its own database round trips for the token and the archive mark before any real work. These
answers change rarely (a revocation, an archive run), so they are kept for `ttl_s`: a revoked token
is refused within that time, never later.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class TtlCache(Generic[V]):
    def __init__(self, ttl_s: float, clock: Callable[[], float] = time.monotonic, max_items: int = 100_000) -> None:
        self.ttl_s = ttl_s
        self._clock = clock
        self._max = max_items
        self._items: dict[Hashable, tuple[float, V]] = {}

    def get(self, key: Hashable) -> V | None:
        found = self._items.get(key)
        if found is None:
            return None
        if self._clock() >= found[0]:
            del self._items[key]
            return None
        return found[1]

    def put(self, key: Hashable, value: V) -> None:
        if len(self._items) >= self._max:
            self._items.clear()  # a flood of distinct keys: start again rather than grow
        self._items[key] = (self._clock() + self.ttl_s, value)
