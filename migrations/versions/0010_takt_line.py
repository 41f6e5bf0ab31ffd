"""takt_line: each line's takt settings as master data (on-target window, andon link and its threshold);
takt_cycle rows say when a later event undid the completion

Both are filled by the rebuild that the changed projector fingerprint asks for on the next start.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 04:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('takt_line',
    sa.Column('line_id', sa.String(length=64), nullable=False),
    sa.Column('window_percent', sa.Integer(), nullable=False),
    sa.Column('andon_takts', sa.Integer(), nullable=False),
    sa.Column('andon_link', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('fold_hlc', sa.Integer(), nullable=False),
    sa.Column('fold_device', sa.String(length=64), nullable=False),
    sa.Column('fold_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_takt_line'))
    )
    with op.batch_alter_table('takt_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_takt_line_line_id'), ['line_id'], unique=False)
    with op.batch_alter_table('takt_cycle', schema=None) as batch_op:
        batch_op.add_column(sa.Column('undone', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('takt_cycle', schema=None) as batch_op:
        batch_op.drop_column('undone')
    op.drop_table('takt_line')
