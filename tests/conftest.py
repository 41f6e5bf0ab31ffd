"""Suite-wide set-up: offscreen Qt, private user dirs, a fresh database per test, calm hypothesis."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

settings.register_profile(
    "jitdesk", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=100
)
settings.load_profile("jitdesk")


@pytest.fixture(autouse=True)
def _private_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's data, config or logs."""
    base = tmp_path_factory.mktemp("userdirs")
    monkeypatch.setenv("JITDESK_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("JITDESK_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("JITDESK_LOG_DIR", str(base / "log"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "station.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[object]:
    from jitdesk.storage.database import open_database

    database = open_database(db_path)
    yield database
    database.close()
