"""GUI fixtures: a demo-plant AppContext (the qasync loop fixture `qloop` is in tests/conftest.py)."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database made once per session; tests get a copy."""
    from jitdesk.services.demo import ensure_demo
    from jitdesk.storage.database import open_database

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = open_database(path)
    ensure_demo(db)
    db.close()
    return path


@pytest.fixture
def demo_hub(demo_template: Path, tmp_path: Path) -> Iterator[object]:
    from jitdesk.services.hub import ServiceHub
    from jitdesk.storage.database import open_database

    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    hub = ServiceHub(open_database(path))
    yield hub
    hub.close()


@pytest.fixture
def ctx(qloop: asyncio.AbstractEventLoop, demo_hub: object) -> Iterator[object]:
    from jitdesk.config import Settings
    from jitdesk.gui.context import AppContext

    context = AppContext(demo_hub, Settings(), demo=True)  # type: ignore[arg-type]
    yield context
    context.deleteLater()
