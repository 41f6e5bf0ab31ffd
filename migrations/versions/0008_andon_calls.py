"""andon: call types gain symbol, sound, severity, responding role, stops-line and takt escalation;
loops gain the material-call switch (on); the andon_call projection and the derived station_andon

Existing call types take the defaults (a medium call a supervisor answers, no line stop); the new
projectors' fingerprint makes the next start fold any andon events already in the log.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 01:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('call_type', schema=None) as batch_op:
        batch_op.add_column(sa.Column('symbol', sa.String(length=4), server_default='⚑', nullable=False))
        batch_op.add_column(sa.Column('sound', sa.String(length=40), server_default='chime', nullable=False))
        batch_op.add_column(sa.Column('severity', sa.String(length=16), server_default='medium', nullable=False))
        batch_op.add_column(sa.Column('responder_role', sa.String(length=16), server_default='supervisor',
                                      nullable=False))
        batch_op.add_column(sa.Column('stops_line', sa.Boolean(), server_default=sa.text('0'), nullable=False))
        batch_op.add_column(sa.Column('escalate_takts', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('escalate_to', sa.JSON(), server_default='[]', nullable=False))
    with op.batch_alter_table('loop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('material_call', sa.Boolean(), server_default=sa.text('1'), nullable=False))
    op.create_table('andon_call',
    sa.Column('call_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('station_id', sa.String(length=64), nullable=False),
    sa.Column('call_type_id', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('stops_line', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('loop_id', sa.String(length=64), nullable=True),
    sa.Column('raised_ms', sa.Integer(), nullable=False),
    sa.Column('raised_by', sa.String(length=64), nullable=True),
    sa.Column('raised_key', sa.JSON(), nullable=False),
    sa.Column('ack_ms', sa.Integer(), nullable=True),
    sa.Column('ack_by', sa.String(length=64), nullable=True),
    sa.Column('ack_name', sa.String(length=120), nullable=False),
    sa.Column('ack_key', sa.JSON(), nullable=False),
    sa.Column('end_ms', sa.Integer(), nullable=True),
    sa.Column('end_by', sa.String(length=64), nullable=True),
    sa.Column('end_name', sa.String(length=120), nullable=False),
    sa.Column('end_reason', sa.String(length=32), nullable=True),
    sa.Column('end_text', sa.String(length=200), nullable=False),
    sa.Column('end_key', sa.JSON(), nullable=False),
    sa.Column('manual_level', sa.Integer(), nullable=False),
    sa.Column('manual_ms', sa.Integer(), nullable=True),
    sa.Column('shelved_ms', sa.Integer(), nullable=True),
    sa.Column('shelved_until_ms', sa.Integer(), nullable=True),
    sa.Column('shelved_by', sa.String(length=64), nullable=True),
    sa.Column('shelved_key', sa.JSON(), nullable=False),
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('fold_hlc', sa.Integer(), nullable=False),
    sa.Column('fold_device', sa.String(length=64), nullable=False),
    sa.Column('fold_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_andon_call'))
    )
    with op.batch_alter_table('andon_call', schema=None) as batch_op:
        batch_op.create_index('ix_andon_call_open', ['station_id', 'call_type_id'], unique=False,
                              sqlite_where=sa.text("status IN ('raised', 'acknowledged')"))
        batch_op.create_index('ix_andon_call_status', ['status', 'raised_ms'], unique=False)
        batch_op.create_index('ix_andon_call_raised', ['raised_ms'], unique=False)
    op.create_table('station_andon',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('open_calls', sa.Integer(), nullable=False),
    sa.Column('unclaimed', sa.Integer(), nullable=False),
    sa.Column('stops_line', sa.Boolean(), nullable=False),
    sa.Column('top_severity', sa.String(length=16), nullable=False),
    sa.Column('oldest_ms', sa.Integer(), nullable=False),
    sa.Column('light', sa.String(length=16), nullable=False),
    sa.Column('flash', sa.Boolean(), nullable=False),
    sa.Column('buzzer', sa.Boolean(), nullable=False),
    sa.Column('members', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_station_andon'))
    )


def downgrade() -> None:
    op.drop_table('station_andon')
    with op.batch_alter_table('andon_call', schema=None) as batch_op:
        batch_op.drop_index('ix_andon_call_raised')
        batch_op.drop_index('ix_andon_call_status')
        batch_op.drop_index('ix_andon_call_open')
    op.drop_table('andon_call')
    with op.batch_alter_table('loop', schema=None) as batch_op:
        batch_op.drop_column('material_call')
    with op.batch_alter_table('call_type', schema=None) as batch_op:
        for name in ('escalate_to', 'escalate_takts', 'stops_line', 'responder_role', 'severity', 'sound', 'symbol'):
            batch_op.drop_column(name)
