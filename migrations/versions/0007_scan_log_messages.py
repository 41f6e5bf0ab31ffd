"""scan_log: the answer as a message code with parameters (code, params), beside the old words

Rows written before this revision keep only `message` (their words) and are shown as they were.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 21:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('scan_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('params', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('scan_log', schema=None) as batch_op:
        batch_op.drop_column('params')
        batch_op.drop_column('code')
