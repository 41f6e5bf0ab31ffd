"""foundation: event log, device state, master data

Revision ID: 0001
Revises:
Create Date: 2026-11-22 05:24:02.087665
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('calendar',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('shifts', sa.JSON(), nullable=False),
    sa.Column('days', sa.JSON(), nullable=False),
    sa.Column('line_id', sa.String(length=64), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('fold_hlc', sa.Integer(), nullable=False),
    sa.Column('fold_device', sa.String(length=64), nullable=False),
    sa.Column('fold_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar'))
    )
    op.create_table('call_type',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('color', sa.String(length=9), nullable=False),
    sa.Column('escalate_minutes', sa.JSON(), nullable=False),
    sa.Column('needs_ack', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('fold_hlc', sa.Integer(), nullable=False),
    sa.Column('fold_device', sa.String(length=64), nullable=False),
    sa.Column('fold_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_type'))
    )
    op.create_table('device_state',
    sa.Column('device_id', sa.String(length=64), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('hlc', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('device_id', name=op.f('pk_device_state'))
    )
    op.create_table('events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('plant_id', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=64), nullable=False),
    sa.Column('device_seq', sa.Integer(), nullable=False),
    sa.Column('hlc', sa.Integer(), nullable=False),
    sa.Column('wall_time', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=True),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('schema_version', sa.Integer(), nullable=False),
    sa.Column('server_seq', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.String(length=32), nullable=True),
    sa.Column('sync_state', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
    sa.UniqueConstraint('device_id', 'device_seq', name='uq_events_device_seq'),
    sa.UniqueConstraint('event_id', name=op.f('uq_events_event_id'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_entity_order', ['entity_id', 'hlc', 'device_id', 'device_seq'], unique=False)
        batch_op.create_index('ix_events_kind_hlc', ['kind', 'hlc'], unique=False)
        batch_op.create_index('ix_events_outbox', ['sync_state', 'id'], unique=False)
        batch_op.create_index('ix_events_server_seq', ['server_seq'], unique=False)

    op.create_table('line',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('fold_hlc', sa.Integer(), nullable=False),
    sa.Column('fold_device', sa.String(length=64), nullable=False),
    sa.Column('fold_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_line'))
    )
    with op.batch_alter_table('line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_line_code'), ['code'], unique=False)

    op.create_table('local_settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_local_settings'))
    )
    op.create_table('part',
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('unit', sa.String(length=12), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('fold_hlc', sa.Integer(), nullable=False),
    sa.Column('fold_device', sa.String(length=64), nullable=False),
    sa.Column('fold_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_part'))
    )
    with op.batch_alter_table('part', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_part_number'), ['number'], unique=False)

    op.create_table('plant',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('fold_hlc', sa.Integer(), nullable=False),
    sa.Column('fold_device', sa.String(length=64), nullable=False),
    sa.Column('fold_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plant'))
    )
    op.create_table('station',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('line_id', sa.String(length=64), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('fold_hlc', sa.Integer(), nullable=False),
    sa.Column('fold_device', sa.String(length=64), nullable=False),
    sa.Column('fold_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_station'))
    )
    with op.batch_alter_table('station', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_station_code'), ['code'], unique=False)

    op.create_table('user',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('badge', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('pin_hash', sa.String(length=300), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('fold_hlc', sa.Integer(), nullable=False),
    sa.Column('fold_device', sa.String(length=64), nullable=False),
    sa.Column('fold_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user'))
    )
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_badge'), ['badge'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_badge'))

    op.drop_table('user')
    with op.batch_alter_table('station', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_station_code'))

    op.drop_table('station')
    op.drop_table('plant')
    with op.batch_alter_table('part', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_part_number'))

    op.drop_table('part')
    op.drop_table('local_settings')
    with op.batch_alter_table('line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_line_code'))

    op.drop_table('line')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_server_seq')
        batch_op.drop_index('ix_events_outbox')
        batch_op.drop_index('ix_events_kind_hlc')
        batch_op.drop_index('ix_events_entity_order')

    op.drop_table('events')
    op.drop_table('device_state')
    op.drop_table('call_type')
    op.drop_table('calendar')
