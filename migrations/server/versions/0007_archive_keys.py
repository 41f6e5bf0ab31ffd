"""server: unique keys on archived_events (event_id; device_id+device_seq) so push admission can look there

Revision ID: s0007
Revises: s0006
Create Date: 2026-12-02 05:30:00
"""

from __future__ import annotations

from alembic import op

revision = 's0007'
down_revision = 's0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('uq_archived_events_event_id', 'archived_events', ['event_id'], unique=True)
    op.create_index('uq_archived_events_device_seq', 'archived_events', ['device_id', 'device_seq'], unique=True)


def downgrade() -> None:
    op.drop_index('uq_archived_events_device_seq', table_name='archived_events')
    op.drop_index('uq_archived_events_event_id', table_name='archived_events')
