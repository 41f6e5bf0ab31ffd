"""sync: quarantine for pulled items this station cannot read as events (no usable event_id)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 21:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sync_unreadable',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('peer', sa.String(length=32), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('event_id', sa.String(length=200), nullable=True),
    sa.Column('server_seq', sa.Integer(), nullable=True),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_unreadable')),
    sa.UniqueConstraint('peer', 'digest', name='uq_sync_unreadable_peer_digest')
    )


def downgrade() -> None:
    op.drop_table('sync_unreadable')
