"""Andon fixtures: a copy of the demo plant's database with the ids the andon tests need."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class AndonPlant:
    db: object  # jitdesk.storage.database.Database
    types: dict[str, str]  # call type code -> id
    stations: dict[str, str]  # station code -> id
    users: dict[str, str]  # badge -> user id


@pytest.fixture
def andon_plant(demo_template: Path, tmp_path: Path) -> Iterator[AndonPlant]:
    from jitdesk.services.demo import load_context
    from jitdesk.storage.database import open_database

    path = tmp_path / "andon.db"
    shutil.copy(demo_template, path)
    db = open_database(path)
    ctx = load_context(db)
    yield AndonPlant(db, dict(ctx.call_types), dict(ctx.stations), dict(ctx.users))
    db.close()
