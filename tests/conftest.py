"""Suite-wide set-up: offscreen Qt, private user dirs, a fresh database per test, calm hypothesis."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
os.environ.setdefault("JITDESK_STRICT_MESSAGES", "1")  # a message that does not fit its template fails the test

settings.register_profile(
    "jitdesk", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=100
)
settings.load_profile("jitdesk")

# Fixtures shared across the tree live beside their helpers (tests/helpers/); tests mirror the package.
pytest_plugins = [
    "tests.helpers.andon_fixtures",
    "tests.helpers.gui_fixtures",
    "tests.helpers.kanban_fixtures",
    "tests.helpers.printing_fixtures",
    "tests.helpers.sync_fixtures",
    "tests.helpers.takt_fixtures",
]


@pytest.fixture(autouse=True)
def _private_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's data, config or logs."""
    base = tmp_path_factory.mktemp("userdirs")
    monkeypatch.setenv("JITDESK_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("JITDESK_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("JITDESK_LOG_DIR", str(base / "log"))


@pytest.fixture
def qloop(qapp: object) -> Iterator[asyncio.AbstractEventLoop]:
    """A qasync loop on the test QApplication: asyncio runs inside Qt's event loop, so `ctx.submit(...)`
    tasks make progress while `qtbot.waitUntil(...)` processes events, as in the real app."""
    import qasync

    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    for task in asyncio.all_tasks(loop):
        task.cancel()
    # Not loop.stop(): it calls QApplication.exit(), after which the shared test QApplication's
    # later event processing (qtbot.waitUntil) never runs qasync's callbacks again.
    loop._QEventLoop__is_running = False  # type: ignore[attr-defined]
    loop.close()
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "station.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[object]:
    from jitdesk.storage.database import open_database

    database = open_database(db_path)
    yield database
    database.close()
