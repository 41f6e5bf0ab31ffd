"""Kanban fixtures: the test plant on a fresh database, and for GUI tests a qasync loop and an AppContext
on that plant (the qasync loop fixture `qloop` is in tests/conftest.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from jitdesk.storage.database import Database
from tests.helpers.kanban_plant import KanbanPlant, build_plant


@pytest.fixture
def plant(db: Database) -> KanbanPlant:
    return build_plant(db)


@pytest.fixture
def kanban_ctx(qloop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[tuple[object, KanbanPlant]]:
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
