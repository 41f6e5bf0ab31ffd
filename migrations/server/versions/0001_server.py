"""server: events with commit-ordered server_seq, tokens, device bindings, meta, relay rejects

Revision ID: s0001
Revises:
Create Date: 2026-11-22 06:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 's0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('events',
    sa.Column('server_seq', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('event_id', sa.String(length=200), nullable=False),
    sa.Column('plant_id', sa.String(length=200), nullable=False),
    sa.Column('device_id', sa.String(length=200), nullable=False),
    sa.Column('device_seq', sa.BigInteger(), nullable=False),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('wall_time', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=200), nullable=False),
    sa.Column('entity_id', sa.String(length=200), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=True),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('schema_version', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.String(length=32), nullable=False),
    sa.Column('origin', sa.SmallInteger(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('server_seq', name=op.f('pk_events')),
    sa.UniqueConstraint('event_id', name=op.f('uq_events_event_id'))
    )
    op.create_index('ix_events_plant_seq', 'events', ['plant_id', 'server_seq'], unique=False)
    op.create_index('uq_events_device_seq', 'events', ['device_id', 'device_seq'], unique=True)
    op.create_table('tokens',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('plant_id', sa.String(length=200), nullable=False),
    sa.Column('device', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('revoked_at', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_tokens_token_hash'))
    )
    op.create_table('devices',
    sa.Column('device_id', sa.String(length=200), nullable=False),
    sa.Column('plant_id', sa.String(length=200), nullable=False),
    sa.Column('device', sa.String(length=200), nullable=False),
    sa.Column('first_seen', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('device_id', name=op.f('pk_devices'))
    )
    op.create_table('meta',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_meta'))
    )
    op.create_table('relay_rejects',
    sa.Column('event_id', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_relay_rejects'))
    )


def downgrade() -> None:
    op.drop_table('relay_rejects')
    op.drop_table('meta')
    op.drop_table('devices')
    op.drop_table('tokens')
    op.drop_index('uq_events_device_seq', table_name='events')
    op.drop_index('ix_events_plant_seq', table_name='events')
    op.drop_table('events')
