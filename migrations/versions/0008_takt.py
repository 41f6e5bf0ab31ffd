"""takt: calendars get holidays and one-off day overrides; demand, cycles and their per-minute counts

The new projections (demand, takt_cycle, takt_minutes) are filled by the rebuild that the changed
projector fingerprint asks for on the next start.

Revision ID: 0008_takt
Revises: 0007
Create Date: 2026-12-02 01:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008_takt'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('calendar', schema=None) as batch_op:
        batch_op.add_column(sa.Column('holidays', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('overrides', sa.JSON(), nullable=False, server_default='[]'))


def downgrade() -> None:
    with op.batch_alter_table('calendar', schema=None) as batch_op:
        batch_op.drop_column('overrides')
        batch_op.drop_column('holidays')
