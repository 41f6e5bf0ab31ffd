"""Sync test fixtures: server databases (SQLite, and PostgreSQL where one answers), a real uvicorn
server process on loopback, station databases."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.sync_server import ServerProcess, drop_pg_database, fresh_pg_database, pg_available

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def server_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty server database URL on each backend."""
    if request.param == "sqlite":
        yield str(tmp_path / "server.db")
        return
    reason = pg_available()
    if reason:
        pytest.skip(reason)
    url = fresh_pg_database()
    try:
        yield url
    finally:
        drop_pg_database(url)


@pytest.fixture
def sqlite_server_db(tmp_path: Path) -> str:
    return str(tmp_path / "server.db")


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., ServerProcess]]:
    started: list[ServerProcess] = []

    def _start(db: str, extra: list[str] | None = None, **kw: Any) -> ServerProcess:
        server = ServerProcess(db, tmp_path, extra, **kw).start()
        started.append(server)
        return server

    yield _start
    for server in started:
        server.stop()


@pytest.fixture
def stations(tmp_path: Path) -> Iterator[Callable[[str], Any]]:
    from jitdesk.storage.database import open_database

    opened: list[Any] = []

    def _open(name: str) -> Any:
        db = open_database(tmp_path / f"{name}.db")
        opened.append(db)
        return db

    yield _open
    for db in opened:
        db.close()
