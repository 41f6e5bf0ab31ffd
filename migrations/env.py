"""Alembic environment for the station database (SQLite, batch mode for ALTERs)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import jitdesk.storage.models  # noqa: F401  (registers every table on Base.metadata)
from jitdesk.storage.engine import make_engine
from jitdesk.storage.schema import Base

config = context.config
target_metadata = Base.metadata


def run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    url = config.get_main_option("sqlalchemy.url") or ""
    engine = make_engine(url.removeprefix("sqlite:///"))
    with engine.connect() as conn:
        run(conn)
