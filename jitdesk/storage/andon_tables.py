"""Andon tables: the `andon_call` projection (one row per call), the derived `station_andon`, and the
master data of escalation: a line's own ladders (`escalation_plan`) and the duty roster (`duty`).

`andon_call` follows the projection convention (a column per field of `domain.andon.call.Call`, plus
id and the fold order key). Its indexes serve the hot reads: a station's open calls (every raise checks
"one open call per station and type"; the station panel lists them), every open call (the board), and
calls by raise time (history). `station_andon` is one row per station with an open call (the light).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from jitdesk.storage.schema import Base, Projection


class AndonCallRow(Projection, Base):
    __tablename__ = "andon_call"
    call_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    station_id: Mapped[str] = mapped_column(String(64))
    call_type_id: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))
    severity: Mapped[str] = mapped_column(String(16))
    stops_line: Mapped[bool]
    note: Mapped[str] = mapped_column(String(200))
    loop_id: Mapped[str | None] = mapped_column(String(64))
    raised_ms: Mapped[int]
    raised_by: Mapped[str | None] = mapped_column(String(64))
    raised_key: Mapped[list[Any]]
    ack_ms: Mapped[int | None]
    ack_by: Mapped[str | None] = mapped_column(String(64))
    ack_name: Mapped[str] = mapped_column(String(120))
    ack_key: Mapped[list[Any]]
    end_ms: Mapped[int | None]
    end_by: Mapped[str | None] = mapped_column(String(64))
    end_name: Mapped[str] = mapped_column(String(120))
    end_reason: Mapped[str | None] = mapped_column(String(32))
    end_text: Mapped[str] = mapped_column(String(200))
    end_key: Mapped[list[Any]]
    manual_level: Mapped[int]
    manual_ms: Mapped[int | None]
    shelved_ms: Mapped[int | None]
    shelved_until_ms: Mapped[int | None]
    shelved_by: Mapped[str | None] = mapped_column(String(64))
    shelved_key: Mapped[list[Any]]
    __table_args__ = (
        Index("ix_andon_call_open", "station_id", "call_type_id",
              sqlite_where=text("status IN ('raised', 'acknowledged')")),
        Index("ix_andon_call_status", "status", "raised_ms"),
        Index("ix_andon_call_raised", "raised_ms"),
    )


class StationAndonRow(Base):
    """Derived projection `station_andon` (domain.andon.derived.StationAndon)."""

    __tablename__ = "station_andon"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the station
    open_calls: Mapped[int]
    unclaimed: Mapped[int]
    stops_line: Mapped[bool]
    top_severity: Mapped[str] = mapped_column(String(16))
    oldest_ms: Mapped[int]
    light: Mapped[str] = mapped_column(String(16))
    flash: Mapped[bool]
    buzzer: Mapped[bool]
    members: Mapped[dict[str, Any]]


class EscalationPlanRow(Projection, Base):
    """Master data `escalation_plan` (domain.master.EscalationPlan): a line's own ladder for a call type."""

    __tablename__ = "escalation_plan"
    key: Mapped[str] = mapped_column(String(140), index=True)
    call_type_id: Mapped[str] = mapped_column(String(64))
    line_id: Mapped[str] = mapped_column(String(64))
    escalate_minutes: Mapped[list[Any]]
    escalate_takts: Mapped[list[Any]]
    escalate_to: Mapped[list[Any]]
    active: Mapped[bool]


class DutyRow(Projection, Base):
    """Master data `duty` (domain.master.Duty): who holds a role on a shift (and line)."""

    __tablename__ = "duty"
    key: Mapped[str] = mapped_column(String(240), index=True)
    role: Mapped[str] = mapped_column(String(60))
    shift: Mapped[str] = mapped_column(String(40))
    person: Mapped[str] = mapped_column(String(120))
    line_id: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool]
