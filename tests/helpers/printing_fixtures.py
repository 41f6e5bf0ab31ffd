"""Printing fixtures: a small plant with loops and cards, made through the same services the app uses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from jitdesk.storage.database import Database, open_database
from tests.helpers.printing import Plant, build_plant


@pytest.fixture
def plant_db(tmp_path: Path) -> Iterator[tuple[Database, Plant]]:
    path = tmp_path / "plant.db"
    db = open_database(path)
    plant = build_plant(db, path)
    yield db, plant
    db.close()
