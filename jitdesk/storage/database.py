"""Open a station database: engine, migrations, and this device's identity (device id, plant)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, exc
from sqlalchemy.orm import Session, sessionmaker

from jitdesk.domain.errors import StorageProblem
from jitdesk.domain.ids import new_id
from jitdesk.storage import identity, migrate, models  # noqa: F401  (models: every table on Base.metadata)
from jitdesk.storage.engine import make_engine

DEVICE_ID, PLANT_ID, STATION_ID = "device_id", "plant_id", "station_id"
UNASSIGNED_PLANT = "unassigned"


@dataclass
class Database:
    path: Path
    engine: Engine
    sessions: sessionmaker[Session]
    device_id: str

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One write transaction (BEGIN IMMEDIATE), committed on success, rolled back on error."""
        try:
            with self.sessions() as session, session.begin():
                yield session
        except (exc.OperationalError, sqlite3.OperationalError) as error:
            problem = migrate.environment_problem(self.engine, error)
            if problem is None:
                raise
            raise problem from error

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read transaction that never takes the write lock."""
        with self.sessions() as session:
            session.connection(execution_options={"sqlite_begin": "DEFERRED"})
            try:
                yield session
            finally:
                session.rollback()

    def setting(self, key: str) -> str | None:
        with self.reading() as session:
            return identity.get_setting(session, key)

    @property
    def plant_id(self) -> str:
        return self.setting(PLANT_ID) or UNASSIGNED_PLANT

    def close(self) -> None:
        self.engine.dispose()


def open_database(path: str | Path) -> Database:
    """Open (creating and migrating as needed) the database at `path`; plain-words errors on failure."""
    path = Path(path)
    if path.is_dir():
        raise StorageProblem(f"{path} is a folder, not a database file.")
    if not path.parent.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageProblem(f"Cannot create the folder {path.parent}: {error.strerror}.") from error
    engine = make_engine(path)
    try:
        migrate.upgrade(engine)
        sessions = sessionmaker(engine, expire_on_commit=False)
        db = Database(path, engine, sessions, device_id="")
        with db.writing() as session:
            device_id = identity.get_setting(session, DEVICE_ID)
            if device_id is None:
                device_id = new_id()
                identity.set_setting(session, DEVICE_ID, device_id)
        db.device_id = device_id
        return db
    except BaseException:
        engine.dispose()
        raise
