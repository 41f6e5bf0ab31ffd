"""run_until_first on a real loop: the first to end cancels the others, its error is raised."""

from __future__ import annotations

import asyncio

import pytest

from jitdesk.runtime.aio import run_until_first


def test_the_first_failure_cancels_the_rest_and_is_raised() -> None:
    cancelled: list[str] = []

    async def forever(name: str) -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.append(name)
            raise

    async def fails() -> None:
        await asyncio.sleep(0)
        raise ValueError("pull failed")

    async def main() -> None:
        with pytest.raises(ValueError, match="pull failed"):
            await run_until_first(forever("pusher"), fails(), forever("stop"))

    asyncio.run(main())
    assert sorted(cancelled) == ["pusher", "stop"]


def test_a_normal_end_ends_the_others_quietly() -> None:
    async def main() -> None:
        stop = asyncio.Event()
        stop.set()
        await run_until_first(asyncio.Event().wait(), stop.wait())

    asyncio.run(main())
