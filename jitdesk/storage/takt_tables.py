"""Takt tables: `demand` and `takt_line` (master data), `takt_cycle` (one row per completion, `undone`
when a later event cancelled it) and `takt_minutes` (derived: parts per line, clock hour and minute).

Indexes serve the hot reads: a line's latest completions (the station's last ten cycle times) and a
span of hours over every line (the board and `jitdesk takt status`: a few rows per line per shift).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from jitdesk.storage.schema import Base, Projection


class DemandRow(Projection, Base):
    __tablename__ = "demand"
    key: Mapped[str] = mapped_column(String(180), index=True)
    line_id: Mapped[str] = mapped_column(String(64))
    day: Mapped[str] = mapped_column(String(10))
    quantity: Mapped[int]
    shift: Mapped[str | None] = mapped_column(String(40))
    parts_per_cycle: Mapped[int]
    active: Mapped[bool]
    __table_args__ = (Index("ix_demand_day", "day", "line_id"),)


class TaktLineRow(Projection, Base):
    __tablename__ = "takt_line"
    line_id: Mapped[str] = mapped_column(String(64), index=True)
    window_percent: Mapped[int]
    andon_takts: Mapped[int]
    andon_link: Mapped[bool]
    active: Mapped[bool]


class TaktCycleRow(Projection, Base):
    __tablename__ = "takt_cycle"
    line_id: Mapped[str] = mapped_column(String(64))
    at_ms: Mapped[int]
    parts: Mapped[int]
    source: Mapped[str] = mapped_column(String(16))
    station_id: Mapped[str | None] = mapped_column(String(64))
    undone: Mapped[bool] = mapped_column(default=False)
    __table_args__ = (Index("ix_takt_cycle_line_at", "line_id", "at_ms"),)


class TaktMinutesRow(Base):
    """Derived projection `takt_minutes` (domain.takt.cycle.TaktMinutes)."""

    __tablename__ = "takt_minutes"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)  # "<line id>|<hour>"
    line_id: Mapped[str] = mapped_column(String(64))
    hour: Mapped[int]
    cycles: Mapped[int]
    total: Mapped[int]
    parts: Mapped[list[Any]]  # 60 counts, one per minute of the hour
    members: Mapped[dict[str, Any]]  # cycle id -> [minute, parts], so a completion updates its row alone
    __table_args__ = (Index("ix_takt_minutes_hour", "hour", "line_id"),)
