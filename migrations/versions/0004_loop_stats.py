"""kanban: loop_stats, per-loop card counts kept by triggers, so the board can put problems first

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 06:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# One row per loop that has cards: what the board's risk order needs, recomputed from the loop's few
# cards on every write to card (folds, re-folds, rebuilds), like card_queue.
_STATS = """
    DELETE FROM loop_stats WHERE loop_id = {loop};
    INSERT INTO loop_stats (loop_id, in_use, full, oldest_emptied_ms, oldest_status_ms, anomalous)
        SELECT {loop}, coalesce(sum(admin = 'ACTIVE'), 0), coalesce(sum(admin = 'ACTIVE' AND supply = 'FULL'), 0),
               min(CASE WHEN admin = 'ACTIVE' AND supply <> 'FULL' THEN emptied_ms END),
               min(CASE WHEN admin = 'ACTIVE' THEN status_since_ms END),
               coalesce(sum(anomaly_count > 0 AND admin <> 'RETIRED'), 0)
        FROM card WHERE loop_id = {loop};
"""
TRIGGERS = (
    "CREATE TRIGGER loop_stats_card_insert AFTER INSERT ON card BEGIN"
    f" {_STATS.format(loop='NEW.loop_id')} END",
    "CREATE TRIGGER loop_stats_card_update AFTER UPDATE ON card BEGIN"
    f" {_STATS.format(loop='OLD.loop_id')} {_STATS.format(loop='NEW.loop_id')} END",
    "CREATE TRIGGER loop_stats_card_delete AFTER DELETE ON card BEGIN"
    f" {_STATS.format(loop='OLD.loop_id')} END",
)


def upgrade() -> None:
    op.create_table('loop_stats',
    sa.Column('loop_id', sa.String(length=64), nullable=False),
    sa.Column('in_use', sa.Integer(), nullable=False),
    sa.Column('full', sa.Integer(), nullable=False),
    sa.Column('oldest_emptied_ms', sa.Integer(), nullable=True),
    sa.Column('oldest_status_ms', sa.Integer(), nullable=True),
    sa.Column('anomalous', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('loop_id', name=op.f('pk_loop_stats'))
    )
    for trigger in TRIGGERS:
        op.execute(trigger)
    op.execute("INSERT INTO loop_stats SELECT loop_id, sum(admin = 'ACTIVE'), sum(admin = 'ACTIVE' AND supply = 'FULL'),"
               " min(CASE WHEN admin = 'ACTIVE' AND supply <> 'FULL' THEN emptied_ms END),"
               " min(CASE WHEN admin = 'ACTIVE' THEN status_since_ms END),"
               " sum(anomaly_count > 0 AND admin <> 'RETIRED') FROM card GROUP BY loop_id")


def downgrade() -> None:
    for name in ("loop_stats_card_insert", "loop_stats_card_update", "loop_stats_card_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table('loop_stats')
