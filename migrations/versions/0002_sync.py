"""sync: pull cursor per server, quarantine reasons

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sync_peer',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('server_id', sa.String(length=64), nullable=True),
    sa.Column('protocol', sa.Integer(), nullable=True),
    sa.Column('cursor', sa.Integer(), nullable=False),
    sa.Column('last_success', sa.String(length=32), nullable=True),
    sa.Column('skew_ms', sa.Integer(), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_sync_peer'))
    )
    op.create_table('sync_quarantine',
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_sync_quarantine'))
    )


def downgrade() -> None:
    op.drop_table('sync_quarantine')
    op.drop_table('sync_peer')
