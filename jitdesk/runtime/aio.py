"""Small asyncio helpers shared by the station's sync client, the hub relay and (later) device loops."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any


async def run_until_first(*coros: Awaitable[Any]) -> None:
    """Run awaitables together; when one ends, cancel the rest and raise its exception, if any.

    Used for "push and pull side by side until either fails": the failure of one side must end the
    other, so the caller's reconnect loop (or the supervisor) sees it."""
    tasks = [asyncio.ensure_future(c) for c in coros]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    for task in done:
        if not task.cancelled():
            error = task.exception()
            if error is not None:
                raise error
