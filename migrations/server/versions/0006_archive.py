"""server: snapshots of plant projections, device pull cursors, and the per-plant event archive

Revision ID: s0006
Revises: s0005
Create Date: 2026-12-02 04:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 's0006'
down_revision = 's0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('snapshots',
    sa.Column('plant_id', sa.String(length=200), nullable=False),
    sa.Column('seq', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('meta', sa.Text(), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('made_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('plant_id', 'seq', name=op.f('pk_snapshots'))
    )
    op.create_table('device_cursors',
    sa.Column('token_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('plant_id', sa.String(length=200), nullable=False),
    sa.Column('device', sa.String(length=200), nullable=False),
    sa.Column('cursor', sa.BigInteger(), nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('token_id', name=op.f('pk_device_cursors'))
    )
    op.create_table('archived_events',
    sa.Column('server_seq', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('event_id', sa.String(length=200), nullable=False),
    sa.Column('plant_id', sa.String(length=200), nullable=False),
    sa.Column('device_id', sa.String(length=200), nullable=False),
    sa.Column('device_seq', sa.BigInteger(), nullable=False),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('wall_time', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=200), nullable=False),
    sa.Column('entity_id', sa.String(length=200), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=True),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('schema_version', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.String(length=32), nullable=False),
    sa.Column('origin', sa.SmallInteger(), server_default='0', nullable=False),
    sa.Column('archived_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('server_seq', name=op.f('pk_archived_events'))
    )
    op.create_index('ix_archived_events_plant_seq', 'archived_events', ['plant_id', 'server_seq'], unique=False)
    op.create_table('archive_horizons',
    sa.Column('plant_id', sa.String(length=200), nullable=False),
    sa.Column('horizon', sa.BigInteger(), nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('plant_id', name=op.f('pk_archive_horizons'))
    )


def downgrade() -> None:
    op.drop_table('archive_horizons')
    op.drop_index('ix_archived_events_plant_seq', table_name='archived_events')
    op.drop_table('archived_events')
    op.drop_table('device_cursors')
    op.drop_table('snapshots')
