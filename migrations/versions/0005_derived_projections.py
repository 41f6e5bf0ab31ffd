"""kanban: card_queue and loop_stats become derived projections kept in Python; the SQL triggers go

The triggers restated domain rules in SQL and made loop_stats depend on arrival order (a card emptied
before its `added` event left a zero row for loop ''). Both tables are made again with an `id` key and
filled by the rebuild the new projector fingerprint asks for on the next start.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 21:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

_TRIGGERS = ('card_queue_card_insert', 'card_queue_card_update', 'card_queue_card_delete',
             'card_queue_loop_insert', 'card_queue_loop_update', 'card_queue_loop_delete',
             'loop_stats_card_insert', 'loop_stats_card_update', 'loop_stats_card_delete')


def upgrade() -> None:
    for name in _TRIGGERS:
        op.execute(f'DROP TRIGGER IF EXISTS {name}')
    op.drop_table('loop_stats')
    with op.batch_alter_table('card_queue', schema=None) as batch_op:
        batch_op.drop_index('ix_card_queue_supplier')
        batch_op.drop_index('ix_card_queue_loop')
        batch_op.drop_index('ix_card_queue_due')
    op.drop_table('card_queue')
    op.create_table('card_queue',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('loop_id', sa.String(length=64), nullable=False),
    sa.Column('due_ms', sa.Integer(), nullable=False),
    sa.Column('supplier_location', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_card_queue'))
    )
    with op.batch_alter_table('card_queue', schema=None) as batch_op:
        batch_op.create_index('ix_card_queue_due', ['due_ms', 'id'], unique=False)
        batch_op.create_index('ix_card_queue_loop', ['loop_id'], unique=False)
        batch_op.create_index('ix_card_queue_supplier', ['supplier_location', 'due_ms', 'id'], unique=False)
    op.create_table('loop_stats',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('cards', sa.Integer(), nullable=False),
    sa.Column('cards_in_use', sa.Integer(), nullable=False),
    sa.Column('full', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('late_from_ms', sa.Integer(), nullable=True),
    sa.Column('stale_from_ms', sa.Integer(), nullable=True),
    sa.Column('members', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loop_stats'))
    )


def downgrade() -> None:
    raise NotImplementedError("0005 cannot be undone: restore a backup made before the upgrade")
