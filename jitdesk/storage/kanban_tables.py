"""Kanban tables: the `loop` and `card` projections and the station's local scan log.

`loop` and `card` follow the projection convention (named after their projector, one column per
field of the state dataclass plus id and the fold order key). Their indexes serve the hot reads:
* card by code (every scan): an index, deliberately not unique: two admin devices working offline can
  each give a new card the same serial, and a projection must never refuse an event it folds (sync
  would stall on it); the scan refuses such a code in plain words instead. Cards known only from
  events older than their `added` event have the empty code, so the index leaves those out;
* the replenishment queue: `card_queue`, one row per card in use awaiting replenishment with its due
  time (emptied + the loop's lead time), a derived projection kept by the unit of work;
* the board: loops by code or problems first (`loop_stats`, derived), by consumer station,
  supplier and part (filters), cards by loop.

`scan_log` is local to this station and never synced: every scan, written or refused, with its
result and its answer (a message code with parameters, and the words written then; rows of versions
before migration 0007 have only the words), for the station view and for finding out what a scanner sent.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from jitdesk.storage.schema import Base, Projection


class LoopRow(Projection, Base):
    __tablename__ = "loop"
    code: Mapped[str] = mapped_column(String(40))
    part_id: Mapped[str] = mapped_column(String(64))
    supplier_kind: Mapped[str] = mapped_column(String(16))
    supplier_location: Mapped[str] = mapped_column(String(120))
    consumer_station_id: Mapped[str] = mapped_column(String(64))
    qty_per_card: Mapped[int]
    lead_time_minutes: Mapped[int]
    safety_factor: Mapped[float] = mapped_column(Float)
    supplier_station_id: Mapped[str | None] = mapped_column(String(64))
    wait_rule: Mapped[str] = mapped_column(String(16))
    picking_rule: Mapped[str] = mapped_column(String(16))
    in_transit_rule: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool]
    material_call: Mapped[bool] = mapped_column(server_default=text("1"))  # migration 0008
    __table_args__ = (
        Index("ix_loop_active_code", "active", "code"),
        Index("ix_loop_consumer", "consumer_station_id", "code"),
        Index("ix_loop_supplier_station", "supplier_station_id", "code"),
        Index("ix_loop_supplier_location", "supplier_location", "code"),
        Index("ix_loop_part", "part_id"),
    )


class CardRow(Projection, Base):
    __tablename__ = "card"
    card_id: Mapped[str] = mapped_column(String(64))
    loop_id: Mapped[str] = mapped_column(String(64))
    number: Mapped[int]
    code: Mapped[str] = mapped_column(String(20))
    supply: Mapped[str] = mapped_column(String(16))
    admin: Mapped[str] = mapped_column(String(16))
    print_version: Mapped[int]
    status_since_hlc: Mapped[int]
    status_since_ms: Mapped[int]
    status_station_id: Mapped[str | None] = mapped_column(String(64))
    emptied_ms: Mapped[int | None]
    last_moved_ms: Mapped[int | None]
    added: Mapped[bool]
    anomalies: Mapped[list[Any]]
    anomaly_count: Mapped[int]
    __table_args__ = (
        Index("ix_card_code", "code", sqlite_where=text("code <> ''")),
        Index("ix_card_loop", "loop_id", "number"),
    )


class CardQueueRow(Base):
    """Derived projection `card_queue` (domain.kanban.derived): cards awaiting replenishment and when
    they are due, so the queue is an index walk by due time however many cards the plant has."""

    __tablename__ = "card_queue"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the card
    loop_id: Mapped[str] = mapped_column(String(64))
    due_ms: Mapped[int]
    supplier_location: Mapped[str] = mapped_column(String(120))
    __table_args__ = (
        Index("ix_card_queue_due", "due_ms", "id"),
        Index("ix_card_queue_supplier", "supplier_location", "due_ms", "id"),
        Index("ix_card_queue_loop", "loop_id"),
    )


class LoopStatsRow(Base):
    """Derived projection `loop_stats` (domain.kanban.risk.LoopStats): per loop, its risk apart from the
    clock, so the board's problems-first order sorts every loop in SQL without reading their cards."""

    __tablename__ = "loop_stats"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the loop
    cards: Mapped[int]
    cards_in_use: Mapped[int]
    full: Mapped[int]
    level: Mapped[int]
    late_from_ms: Mapped[int | None]
    stale_from_ms: Mapped[int | None]
    members: Mapped[dict[str, Any]]  # card id -> its CardFacts, so a scan updates the row alone


class ScanLogRow(Base):
    """One scan at this station: what was read, what it did (or why not), and the event it wrote."""

    __tablename__ = "scan_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at_ms: Mapped[int]
    station_id: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))  # serial, wedge, manual, simulator
    text: Mapped[str] = mapped_column(String(80))  # what the scanner sent, made printable and cut short
    result: Mapped[str] = mapped_column(String(24))
    tone: Mapped[str] = mapped_column(String(8))  # success, info, refused
    message: Mapped[str] = mapped_column(Text)  # words as written (rows of older versions have only these)
    card_id: Mapped[str | None] = mapped_column(String(64))
    event_id: Mapped[str | None] = mapped_column(String(36))
    code: Mapped[str | None] = mapped_column(String(64))  # the answer's message code (migration 0007)
    params: Mapped[str | None] = mapped_column(Text)  # its parameters, a JSON object
    __table_args__ = (
        Index("ix_scan_log_station", "station_id", "id"),
        Index("ix_scan_log_card", "card_id", "station_id", "id"),
    )
