"""server: holds travel to hubs (a number per hold), and the device name a hub vouches for

`held_events.hold_seq` numbers holds in the order they were made, so a hub pulling with
`holds_after` gets the holds decided after it had already pulled the event. `devices.relayed_name`
is the device name a hub gave for a device it relays (the name of that station's token at the hub),
so the station's own token of that name may push for it at the centre later.

Revision ID: s0005
Revises: s0004
Create Date: 2026-12-02 04:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 's0005'
down_revision = 's0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('held_events') as batch:
        batch.add_column(sa.Column('hold_seq', sa.BigInteger(), nullable=True))
        batch.create_index('ix_held_events_hold_seq', ['hold_seq'])
    with op.batch_alter_table('devices') as batch:
        batch.add_column(sa.Column('relayed_name', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('devices') as batch:
        batch.drop_column('relayed_name')
    with op.batch_alter_table('held_events') as batch:
        batch.drop_index('ix_held_events_hold_seq')
        batch.drop_column('hold_seq')
