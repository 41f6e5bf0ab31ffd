"""Waiting on the asyncio loop for something that should come; the cap turns a hang into a plain failure
and is never a speed claim."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

WAIT_S = 10.0


async def until(condition: Callable[[], bool], what: str = "", wait_s: float = WAIT_S) -> None:
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.01)
    try:
        await asyncio.wait_for(poll(), wait_s)
    except TimeoutError:
        raise AssertionError(f"never happened within {wait_s:g} s: {what or condition}") from None
