"""Takt fixtures: the takt test plant on a fresh database."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from jitdesk.storage.database import Database
from tests.helpers.takt_plant import TaktPlant, build_takt_plant


@pytest.fixture
def takt_plant(db: Database) -> TaktPlant:
    return build_takt_plant(db)


@pytest.fixture
def takt_ctx(qloop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[tuple[object, TaktPlant]]:
    """(AppContext, plant) on a hub whose database holds the takt test plant."""
    from jitdesk.config import Settings
    from jitdesk.gui.context import AppContext
    from jitdesk.services.hub import ServiceHub
    from jitdesk.storage.database import open_database

    db = open_database(tmp_path / "takt-plant.db")
    plant = build_takt_plant(db)
    hub = ServiceHub(db)
    context = AppContext(hub, Settings())
    yield context, plant
    context.deleteLater()
    hub.close()
