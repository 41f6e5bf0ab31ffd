"""The demo plant: the single place that knows what the demo holds, and how it comes alive.

`ensure_demo(db)` creates it on first use and is idempotent: master data first (demo/master.py),
then every registered section in order. Each step leaves a marker in local_settings, so a section
added by a later release (kanban loops and cards, ...) runs once on an existing demo database too.

Hooks for other parts of jitdesk:
- `DEMO_SECTIONS`: `(name, fn(db, context))` run in order after the master data; register with
  `demo_section("kanban")` as a decorator. Modules in `SECTION_MODULES` are imported lazily (a
  missing one is skipped), so `jitdesk/services/demo/kanban.py` only has to exist and register.
- `SIMULATORS`: async steps `fn(hub, rng)` the `--simulate` loop (demo/simulate.py) calls at their
  own pace; register with `simulator("cards", every_seconds=4.0)`.
Everything random comes from a `random.Random` seeded with the section's name, so the demo is the
same on every machine.
"""

from __future__ import annotations

import importlib
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from jitdesk.domain.fold import PROJECTORS
from jitdesk.storage import identity, projections
from jitdesk.storage.database import Database

if TYPE_CHECKING:
    from jitdesk.services.hub import ServiceHub

log = logging.getLogger("jitdesk.demo")

SEED = "jitdesk-demo-1"
MARKER = "demo.section."  # + section name -> "done"
# Modules that register sections or simulators when imported; missing ones are skipped.
SECTION_MODULES = tuple(f"jitdesk.services.demo.{name}" for name in ("kanban", "andon", "takt"))


@dataclass
class DemoContext:
    """Ids of the demo's master data by code, for sections that build on it."""

    plant_id: str = ""
    admin_id: str = ""
    lines: dict[str, str] = field(default_factory=dict)  # code -> id
    stations: dict[str, str] = field(default_factory=dict)  # code -> id
    station_roles: dict[str, str] = field(default_factory=dict)  # code -> role
    station_lines: dict[str, str | None] = field(default_factory=dict)  # code -> line code
    parts: dict[str, str] = field(default_factory=dict)  # part number -> id
    users: dict[str, str] = field(default_factory=dict)  # badge -> id
    call_types: dict[str, str] = field(default_factory=dict)  # code -> id
    calendars: dict[str, str] = field(default_factory=dict)  # name -> id

    def rng(self, name: str) -> random.Random:
        return random.Random(f"{SEED}:{name}")


Section = Callable[[Database, DemoContext], None]
Step = Callable[["ServiceHub", random.Random], Awaitable[Any]]


@dataclass(frozen=True)
class Simulator:
    name: str
    step: Step
    every_seconds: float = 5.0


DEMO_SECTIONS: list[tuple[str, Section]] = []
SIMULATORS: list[Simulator] = []


def demo_section(name: str) -> Callable[[Section], Section]:
    def register(fn: Section) -> Section:
        if all(existing != name for existing, _ in DEMO_SECTIONS):
            DEMO_SECTIONS.append((name, fn))
        return fn
    return register


def simulator(name: str, every_seconds: float = 5.0) -> Callable[[Step], Step]:
    def register(fn: Step) -> Step:
        if all(s.name != name for s in SIMULATORS):
            SIMULATORS.append(Simulator(name, fn, every_seconds))
        return fn
    return register


def load_extensions() -> None:
    """Import the optional section/simulator modules (each registers itself)."""
    for module in SECTION_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            if error.name != module:
                raise


def ensure_demo(db: Database) -> bool:
    """Create whatever part of the demo plant is missing; True when anything was created."""
    from jitdesk.services.demo import master

    load_extensions()
    created = False
    steps: list[tuple[str, Section]] = [("master", master.create), *DEMO_SECTIONS]
    for name, fn in steps:
        key = MARKER + name
        if db.setting(key) == "done":
            continue
        log.info("creating demo section %s", name)
        fn(db, load_context(db))
        with db.writing() as session:
            identity.set_setting(session, key, "done")
        created = True
    return created


def load_context(db: Database) -> DemoContext:
    """The demo's ids, read back from the projections (works on any later run)."""
    from jitdesk.storage.database import PLANT_ID

    def states(name: str) -> dict[str, Any]:
        return projections.all_states(session, PROJECTORS.get(name))

    ctx = DemoContext()
    with db.reading() as session:
        ctx.plant_id = identity.get_setting(session, PLANT_ID) or ""
        line_codes = {lid: line.code for lid, line in states("line").items()}
        ctx.lines = {code: lid for lid, code in line_codes.items()}
        for sid, station in states("station").items():
            ctx.stations[station.code] = sid
            ctx.station_roles[station.code] = station.role
            ctx.station_lines[station.code] = line_codes.get(station.line_id or "")
        ctx.parts = {p.number: pid for pid, p in states("part").items()}
        users = states("user")
        ctx.users = {u.badge: uid for uid, u in users.items()}
        ctx.admin_id = next((uid for uid, u in sorted(users.items()) if u.role == "admin" and u.active), "")
        ctx.call_types = {c.code: cid for cid, c in states("call_type").items()}
        ctx.calendars = {c.name: cid for cid, c in states("calendar").items()}
    return ctx
