"""Typed SQLAlchemy models: the event log, device state and the master-data projections.

Projection tables are named after their projector and hold one row per entity: the state
dataclass's fields as columns plus the order key of the last event folded into it.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import JSON, Index, Integer, MetaData, String, Table, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Event sync states: waiting to go up, on the server (or came from it), refused by the server.
PENDING, SYNCED, QUARANTINED = 0, 1, 2


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class EventRow(Base):
    __tablename__ = "events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    plant_id: Mapped[str] = mapped_column(String(64))
    device_id: Mapped[str] = mapped_column(String(64))
    device_seq: Mapped[int]
    hlc: Mapped[int]
    wall_time: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str | None] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    schema_version: Mapped[int]
    server_seq: Mapped[int | None]
    received_at: Mapped[str | None] = mapped_column(String(32))
    sync_state: Mapped[int] = mapped_column(default=PENDING, server_default=text("0"))
    __table_args__ = (
        UniqueConstraint("device_id", "device_seq", name="uq_events_device_seq"),
        Index("ix_events_entity_order", "entity_id", "hlc", "device_id", "device_seq"),
        Index("ix_events_outbox", "sync_state", "id"),
        Index("ix_events_server_seq", "server_seq"),
        Index("ix_events_kind_hlc", "kind", "hlc"),
    )


class DeviceState(Base):
    """Per device: last sequence number used and the clock's last stamp (the local device's row only
    is written by appends; rows of other devices record the highest seq seen)."""

    __tablename__ = "device_state"
    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)
    hlc: Mapped[int] = mapped_column(default=0)


class LocalSetting(Base):
    """Identity of this database: device_id, plant_id, station_id; and small local state."""

    __tablename__ = "local_settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Projection:
    """Columns every projection row has: entity id and the order key of its last folded event."""

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    fold_hlc: Mapped[int]
    fold_device: Mapped[str] = mapped_column(String(64))
    fold_seq: Mapped[int]


class PlantRow(Projection, Base):
    __tablename__ = "plant"
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64))


class LineRow(Projection, Base):
    __tablename__ = "line"
    code: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool]


class StationRow(Projection, Base):
    __tablename__ = "station"
    code: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    line_id: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool]
    bottleneck: Mapped[bool] = mapped_column(server_default=text("0"))  # migration 0010_bottleneck


class PartRow(Projection, Base):
    __tablename__ = "part"
    number: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(12))
    active: Mapped[bool]


class UserRow(Projection, Base):
    __tablename__ = "user"
    name: Mapped[str] = mapped_column(String(120))
    badge: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(16))
    pin_hash: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool]


class CallTypeRow(Projection, Base):
    __tablename__ = "call_type"
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    color: Mapped[str] = mapped_column(String(9))
    escalate_minutes: Mapped[list[Any]]
    needs_ack: Mapped[bool]
    active: Mapped[bool]
    # added by migration 0008
    symbol: Mapped[str] = mapped_column(String(4), server_default="⚑")
    sound: Mapped[str] = mapped_column(String(40), server_default="chime")
    severity: Mapped[str] = mapped_column(String(16), server_default="medium")
    responder_role: Mapped[str] = mapped_column(String(16), server_default="supervisor")
    stops_line: Mapped[bool] = mapped_column(server_default=text("0"))
    escalate_takts: Mapped[list[Any]] = mapped_column(server_default="[]")
    escalate_to: Mapped[list[Any]] = mapped_column(server_default="[]")


class CalendarRow(Projection, Base):
    __tablename__ = "calendar"
    name: Mapped[str] = mapped_column(String(120))
    shifts: Mapped[list[Any]]
    days: Mapped[list[Any]]
    line_id: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool]
    holidays: Mapped[list[Any]]  # migration 0009
    overrides: Mapped[list[Any]]


def table(model: type[Base]) -> Table:
    """The Core table of a model (typed, for Core statements)."""
    return cast(Table, model.__table__)
