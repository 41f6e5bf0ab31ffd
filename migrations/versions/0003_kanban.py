"""kanban: loop and card projections, the local scan log

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 05:40:19.223594
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# card_queue holds every card in use awaiting replenishment (of an active loop) with its due time;
# these triggers keep it in step with every write to card and loop (folds, re-folds, rebuilds).
_CARD_ROW = """
    DELETE FROM card_queue WHERE card_id = NEW.id;
    INSERT INTO card_queue (card_id, loop_id, due_ms, supplier_location)
        SELECT NEW.id, l.id, NEW.emptied_ms + l.lead_time_minutes * 60000, l.supplier_location FROM loop l
        WHERE l.id = NEW.loop_id AND l.active AND NEW.supply <> 'FULL' AND NEW.admin = 'ACTIVE'
          AND NEW.emptied_ms IS NOT NULL;
"""
_LOOP_ROWS = """
    DELETE FROM card_queue WHERE loop_id = NEW.id;
    INSERT INTO card_queue (card_id, loop_id, due_ms, supplier_location)
        SELECT c.id, NEW.id, c.emptied_ms + NEW.lead_time_minutes * 60000, NEW.supplier_location FROM card c
        WHERE c.loop_id = NEW.id AND NEW.active AND c.supply <> 'FULL' AND c.admin = 'ACTIVE'
          AND c.emptied_ms IS NOT NULL;
"""
QUEUE_TRIGGERS = (
    f"CREATE TRIGGER card_queue_card_insert AFTER INSERT ON card BEGIN {_CARD_ROW} END",
    f"CREATE TRIGGER card_queue_card_update AFTER UPDATE ON card BEGIN {_CARD_ROW} END",
    "CREATE TRIGGER card_queue_card_delete AFTER DELETE ON card BEGIN"
    " DELETE FROM card_queue WHERE card_id = OLD.id; END",
    f"CREATE TRIGGER card_queue_loop_insert AFTER INSERT ON loop BEGIN {_LOOP_ROWS} END",
    f"CREATE TRIGGER card_queue_loop_update AFTER UPDATE ON loop BEGIN {_LOOP_ROWS} END",
    "CREATE TRIGGER card_queue_loop_delete AFTER DELETE ON loop BEGIN"
    " DELETE FROM card_queue WHERE loop_id = OLD.id; END",
)


def upgrade() -> None:
    op.create_table('card',
    sa.Column('card_id', sa.String(length=64), nullable=False),
    sa.Column('loop_id', sa.String(length=64), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('supply', sa.String(length=16), nullable=False),
    sa.Column('admin', sa.String(length=16), nullable=False),
    sa.Column('print_version', sa.Integer(), nullable=False),
    sa.Column('status_since_hlc', sa.Integer(), nullable=False),
    sa.Column('status_since_ms', sa.Integer(), nullable=False),
    sa.Column('status_station_id', sa.String(length=64), nullable=True),
    sa.Column('emptied_ms', sa.Integer(), nullable=True),
    sa.Column('last_moved_ms', sa.Integer(), nullable=True),
    sa.Column('added', sa.Boolean(), nullable=False),
    sa.Column('anomalies', sa.JSON(), nullable=False),
    sa.Column('anomaly_count', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('fold_hlc', sa.Integer(), nullable=False),
    sa.Column('fold_device', sa.String(length=64), nullable=False),
    sa.Column('fold_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_card'))
    )
    with op.batch_alter_table('card', schema=None) as batch_op:
        batch_op.create_index('ix_card_loop', ['loop_id', 'number'], unique=False)
        batch_op.create_index('ix_card_code', ['code'], unique=False, sqlite_where=sa.text("code <> ''"))

    op.create_table('card_queue',
    sa.Column('card_id', sa.String(length=64), nullable=False),
    sa.Column('loop_id', sa.String(length=64), nullable=False),
    sa.Column('due_ms', sa.Integer(), nullable=False),
    sa.Column('supplier_location', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('card_id', name=op.f('pk_card_queue'))
    )
    with op.batch_alter_table('card_queue', schema=None) as batch_op:
        batch_op.create_index('ix_card_queue_due', ['due_ms', 'card_id'], unique=False)
        batch_op.create_index('ix_card_queue_loop', ['loop_id'], unique=False)
        batch_op.create_index('ix_card_queue_supplier', ['supplier_location', 'due_ms', 'card_id'], unique=False)

    op.create_table('loop',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('part_id', sa.String(length=64), nullable=False),
    sa.Column('supplier_kind', sa.String(length=16), nullable=False),
    sa.Column('supplier_location', sa.String(length=120), nullable=False),
    sa.Column('consumer_station_id', sa.String(length=64), nullable=False),
    sa.Column('qty_per_card', sa.Integer(), nullable=False),
    sa.Column('lead_time_minutes', sa.Integer(), nullable=False),
    sa.Column('safety_factor', sa.Float(), nullable=False),
    sa.Column('supplier_station_id', sa.String(length=64), nullable=True),
    sa.Column('wait_rule', sa.String(length=16), nullable=False),
    sa.Column('picking_rule', sa.String(length=16), nullable=False),
    sa.Column('in_transit_rule', sa.String(length=16), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('fold_hlc', sa.Integer(), nullable=False),
    sa.Column('fold_device', sa.String(length=64), nullable=False),
    sa.Column('fold_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loop'))
    )
    with op.batch_alter_table('loop', schema=None) as batch_op:
        batch_op.create_index('ix_loop_active_code', ['active', 'code'], unique=False)
        batch_op.create_index('ix_loop_consumer', ['consumer_station_id', 'code'], unique=False)
        batch_op.create_index('ix_loop_part', ['part_id'], unique=False)
        batch_op.create_index('ix_loop_supplier_location', ['supplier_location', 'code'], unique=False)
        batch_op.create_index('ix_loop_supplier_station', ['supplier_station_id', 'code'], unique=False)

    op.create_table('scan_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at_ms', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.String(length=64), nullable=True),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('text', sa.String(length=80), nullable=False),
    sa.Column('result', sa.String(length=24), nullable=False),
    sa.Column('tone', sa.String(length=8), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('card_id', sa.String(length=64), nullable=True),
    sa.Column('event_id', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scan_log'))
    )
    with op.batch_alter_table('scan_log', schema=None) as batch_op:
        batch_op.create_index('ix_scan_log_card', ['card_id', 'station_id', 'id'], unique=False)
        batch_op.create_index('ix_scan_log_station', ['station_id', 'id'], unique=False)

    for statement in QUEUE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    for name in ('card_queue_card_insert', 'card_queue_card_update', 'card_queue_card_delete',
                 'card_queue_loop_insert', 'card_queue_loop_update', 'card_queue_loop_delete'):
        op.execute(f'DROP TRIGGER IF EXISTS {name}')
    with op.batch_alter_table('card_queue', schema=None) as batch_op:
        batch_op.drop_index('ix_card_queue_supplier')
        batch_op.drop_index('ix_card_queue_loop')
        batch_op.drop_index('ix_card_queue_due')

    op.drop_table('card_queue')
    with op.batch_alter_table('scan_log', schema=None) as batch_op:
        batch_op.drop_index('ix_scan_log_station')
        batch_op.drop_index('ix_scan_log_card')

    op.drop_table('scan_log')
    with op.batch_alter_table('loop', schema=None) as batch_op:
        batch_op.drop_index('ix_loop_supplier_station')
        batch_op.drop_index('ix_loop_supplier_location')
        batch_op.drop_index('ix_loop_part')
        batch_op.drop_index('ix_loop_consumer')
        batch_op.drop_index('ix_loop_active_code')

    op.drop_table('loop')
    with op.batch_alter_table('card', schema=None) as batch_op:
        batch_op.drop_index('ix_card_code', sqlite_where=sa.text("code <> ''"))
        batch_op.drop_index('ix_card_loop')

    op.drop_table('card')
