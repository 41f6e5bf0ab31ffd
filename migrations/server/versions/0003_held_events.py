"""server: held (quarantined) events, per-device clock skew, the hub that relayed a device

Revision ID: s0003
Revises: s0002
Create Date: 2026-12-02 01:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 's0003'
down_revision = 's0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('held_events',
    sa.Column('event_id', sa.String(length=200), nullable=False),
    sa.Column('plant_id', sa.String(length=200), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('by', sa.String(length=200), nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_held_events'))
    )
    op.create_table('device_clocks',
    sa.Column('device_id', sa.String(length=200), nullable=False),
    sa.Column('plant_id', sa.String(length=200), nullable=False),
    sa.Column('device', sa.String(length=200), nullable=False),
    sa.Column('ahead_ms', sa.BigInteger(), nullable=False),
    sa.Column('hlc_ms', sa.BigInteger(), nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('device_id', name=op.f('pk_device_clocks'))
    )
    with op.batch_alter_table('devices') as batch:
        batch.add_column(sa.Column('relayed_by', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('devices') as batch:
        batch.drop_column('relayed_by')
    op.drop_table('device_clocks')
    op.drop_table('held_events')
