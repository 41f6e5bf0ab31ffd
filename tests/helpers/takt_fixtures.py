"""Takt fixtures: the takt test plant on a fresh database."""

from __future__ import annotations

import pytest

from jitdesk.storage.database import Database
from tests.helpers.takt_plant import TaktPlant, build_takt_plant


@pytest.fixture
def takt_plant(db: Database) -> TaktPlant:
    return build_takt_plant(db)
