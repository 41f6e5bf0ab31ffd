"""andon escalation master data: a line's own escalation ladder per call type, and the duty roster (who
holds a role on a shift, per line or plant-wide)

Both are master-data projections; the changed projector fingerprint makes the next start fold any such
events already in the log.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 04:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def _projection_columns() -> list[sa.Column]:
    return [sa.Column('id', sa.String(length=64), nullable=False),
            sa.Column('fold_hlc', sa.Integer(), nullable=False),
            sa.Column('fold_device', sa.String(length=64), nullable=False),
            sa.Column('fold_seq', sa.Integer(), nullable=False)]


def upgrade() -> None:
    op.create_table('escalation_plan',
    sa.Column('key', sa.String(length=140), nullable=False),
    sa.Column('call_type_id', sa.String(length=64), nullable=False),
    sa.Column('line_id', sa.String(length=64), nullable=False),
    sa.Column('escalate_minutes', sa.JSON(), nullable=False),
    sa.Column('escalate_takts', sa.JSON(), nullable=False),
    sa.Column('escalate_to', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    *_projection_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalation_plan'))
    )
    with op.batch_alter_table('escalation_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_escalation_plan_key'), ['key'], unique=False)
    op.create_table('duty',
    sa.Column('key', sa.String(length=240), nullable=False),
    sa.Column('role', sa.String(length=60), nullable=False),
    sa.Column('shift', sa.String(length=40), nullable=False),
    sa.Column('person', sa.String(length=120), nullable=False),
    sa.Column('line_id', sa.String(length=64), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    *_projection_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duty'))
    )
    with op.batch_alter_table('duty', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duty_key'), ['key'], unique=False)


def downgrade() -> None:
    op.drop_table('duty')
    op.drop_table('escalation_plan')
