"""server: the hub relay's quarantine for upstream items it cannot store as events

Revision ID: s0002
Revises: s0001
Create Date: 2026-12-01 21:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 's0002'
down_revision = 's0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('relay_unreadable',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('event_id', sa.String(length=200), nullable=True),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relay_unreadable')),
    sa.UniqueConstraint('digest', name=op.f('uq_relay_unreadable_digest'))
    )


def downgrade() -> None:
    op.drop_table('relay_unreadable')
