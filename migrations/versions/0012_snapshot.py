"""snapshot: the server snapshot a station started from (its projections' base for a rebuild)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 04:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('snapshot_base',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('server_id', sa.String(length=64), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('header', sa.Text(), nullable=False),
    sa.Column('installed_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_snapshot_base'))
    )
    op.create_table('snapshot_rows',
    sa.Column('projector', sa.String(length=64), nullable=False),
    sa.Column('entity_id', sa.String(length=200), nullable=False),
    sa.Column('row', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('projector', 'entity_id', name=op.f('pk_snapshot_rows'))
    )


def downgrade() -> None:
    op.drop_table('snapshot_rows')
    op.drop_table('snapshot_base')
