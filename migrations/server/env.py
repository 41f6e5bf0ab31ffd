"""Alembic environment for the sync server's database (SQLite or PostgreSQL), run from code."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from jitdesk.sync.server import snapshot_models  # noqa: F401  (its tables are on the same metadata)
from jitdesk.sync.server.models import metadata

config = context.config


def run(connection: Connection) -> None:
    context.configure(
        connection=connection, target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    with create_engine(config.get_main_option("sqlalchemy.url") or "").connect() as conn:
        run(conn)
