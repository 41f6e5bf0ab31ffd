"""Kanban fixtures: the test plant on a fresh database, and for GUI tests a qasync loop and an AppContext
on that plant (the same shape as tests/gui/conftest.py, which is not visible from this folder)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from kanban_plant import KanbanPlant, build_plant

from jitdesk.storage.database import Database


@pytest.fixture
def plant(db: Database) -> KanbanPlant:
    return build_plant(db)


@pytest.fixture
def kanban_qloop(qapp: object) -> Iterator[asyncio.AbstractEventLoop]:
    import qasync

    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    for task in asyncio.all_tasks(loop):
        task.cancel()
    loop._QEventLoop__is_running = False  # type: ignore[attr-defined]
    loop.close()
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)


@pytest.fixture
def kanban_ctx(kanban_qloop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[tuple[object, KanbanPlant]]:
    """(AppContext, plant) on a hub whose database holds the test plant; this device is LINE-1."""
    from jitdesk.config import Settings
    from jitdesk.gui.context import AppContext
    from jitdesk.services.hub import ServiceHub
    from jitdesk.storage.database import open_database

    db = open_database(tmp_path / "gui-plant.db")
    plant = build_plant(db)
    hub = ServiceHub(db)
    context = AppContext(hub, Settings())
    yield context, plant
    from jitdesk.gui.scanning import pipeline_for

    pipeline_for(context).stop()
    context.deleteLater()
    hub.close()
