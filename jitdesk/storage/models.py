"""Imports every module that defines tables, so Base.metadata is complete (for Alembic and rebuilds)."""

from jitdesk.storage import andon_tables, kanban_tables, schema, snapshot_tables, sync_state, takt_tables  # noqa: F401
