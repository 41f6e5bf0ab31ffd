"""`jitdesk demo --simulate`: live activity from the registered simulators, at a realistic pace.

Each simulator is an async step `fn(hub, rng)` that does what a person would do (scan a card,
raise an andon call, complete a cycle) through the same services the GUI calls. The loop calls
each at its own interval with a little seeded jitter, so two runs behave the same.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable

from jitdesk.domain.errors import KnownError
from jitdesk.services.demo import SEED, SIMULATORS, Simulator, load_extensions
from jitdesk.services.hub import ServiceHub

log = logging.getLogger("jitdesk.demo")


async def run_simulation(hub: ServiceHub, *, speed: float = 1.0, seed: str = SEED,
                         on_step: Callable[[str, object], None] | None = None) -> None:
    """Run every registered simulator until cancelled; `on_step(name, result)` after each step."""
    load_extensions()
    if not SIMULATORS:
        log.info("no demo simulators are installed yet; --simulate has nothing to do")
        return
    await asyncio.gather(*(_run_one(hub, sim, speed, seed, on_step) for sim in SIMULATORS))


async def _run_one(hub: ServiceHub, sim: Simulator, speed: float, seed: str,
                   on_step: Callable[[str, object], None] | None) -> None:
    rng = random.Random(f"{seed}:simulate:{sim.name}")
    while True:
        await asyncio.sleep(sim.every_seconds * rng.uniform(0.6, 1.4) / max(speed, 0.01))
        try:
            result = await sim.step(hub, rng)
        except KnownError as error:
            # A simulated person can be refused too (card on hold, wrong station): that is activity.
            log.info("simulator %s: %s", sim.name, error)
            continue
        if on_step is not None:
            on_step(sim.name, result)
