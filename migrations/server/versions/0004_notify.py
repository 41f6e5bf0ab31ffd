"""server: on PostgreSQL, every insert into events sends NOTIFY jitdesk_events with its plant ids

A statement-level trigger, so any writer (a push through any API process, the hub relay, an admin
tool) wakes the long-polls of every API process on this database, and the notice is delivered only
when the events' transaction commits. SQLite has no notices: nothing to do there.

Revision ID: s0004
Revises: s0003
Create Date: 2026-12-02 01:50:00
"""

from __future__ import annotations

from alembic import op

revision = 's0004'
down_revision = 's0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("""
        CREATE FUNCTION jitdesk_notify_events() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('jitdesk_events', plant_id) FROM (SELECT DISTINCT plant_id FROM new_rows) AS plants;
            RETURN NULL;
        END $$
    """)
    op.execute("""
        CREATE TRIGGER events_notify AFTER INSERT ON events REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION jitdesk_notify_events()
    """)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS events_notify ON events")
    op.execute("DROP FUNCTION IF EXISTS jitdesk_notify_events()")
