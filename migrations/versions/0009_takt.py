"""takt: calendars get holidays and one-off day overrides; demand, cycles and their per-minute counts

The new projections (demand, takt_cycle, takt_minutes) are filled by the rebuild that the changed
projector fingerprint asks for on the next start.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 01:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('calendar', schema=None) as batch_op:
        batch_op.add_column(sa.Column('holidays', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('overrides', sa.JSON(), nullable=False, server_default='[]'))
    op.create_table('demand',
    sa.Column('key', sa.String(length=180), nullable=False),
    sa.Column('line_id', sa.String(length=64), nullable=False),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('shift', sa.String(length=40), nullable=True),
    sa.Column('parts_per_cycle', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('fold_hlc', sa.Integer(), nullable=False),
    sa.Column('fold_device', sa.String(length=64), nullable=False),
    sa.Column('fold_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_demand'))
    )
    with op.batch_alter_table('demand', schema=None) as batch_op:
        batch_op.create_index('ix_demand_day', ['day', 'line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_demand_key'), ['key'], unique=False)
    op.create_table('takt_cycle',
    sa.Column('line_id', sa.String(length=64), nullable=False),
    sa.Column('at_ms', sa.Integer(), nullable=False),
    sa.Column('parts', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('station_id', sa.String(length=64), nullable=True),
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('fold_hlc', sa.Integer(), nullable=False),
    sa.Column('fold_device', sa.String(length=64), nullable=False),
    sa.Column('fold_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_takt_cycle'))
    )
    with op.batch_alter_table('takt_cycle', schema=None) as batch_op:
        batch_op.create_index('ix_takt_cycle_line_at', ['line_id', 'at_ms'], unique=False)
    op.create_table('takt_minutes',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('line_id', sa.String(length=64), nullable=False),
    sa.Column('hour', sa.Integer(), nullable=False),
    sa.Column('cycles', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('parts', sa.JSON(), nullable=False),
    sa.Column('members', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_takt_minutes'))
    )
    with op.batch_alter_table('takt_minutes', schema=None) as batch_op:
        batch_op.create_index('ix_takt_minutes_hour', ['hour', 'line_id'], unique=False)


def downgrade() -> None:
    op.drop_table('takt_minutes')
    op.drop_table('takt_cycle')
    op.drop_table('demand')
    with op.batch_alter_table('calendar', schema=None) as batch_op:
        batch_op.drop_column('overrides')
        batch_op.drop_column('holidays')
