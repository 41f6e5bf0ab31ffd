"""The server's tables for snapshots and the archive (on the server MetaData, see models).

`snapshots` holds each packed snapshot of a plant (its meta as JSON, its gzip body, its content
hash). `device_cursors` records, per token, the newest cursor its pulls asked for: how far that
device has come. `archived_events` keeps archived events (the columns of `events`, moved there, never
deleted), and `archive_horizons` the highest server_seq archived per plant: a pull with a cursor
below it cannot be served from `events` and is told to resync from a snapshot.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, LargeBinary, SmallInteger, String, Table, Text

from jitdesk.sync.server.models import S, metadata

snapshots = Table(
    "snapshots", metadata,
    Column("plant_id", String(S), primary_key=True),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("sha256", String(64), nullable=False),
    Column("meta", Text, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("made_at", String(32), nullable=False),
)

device_cursors = Table(
    "device_cursors", metadata,
    Column("token_id", Integer, primary_key=True, autoincrement=False),
    Column("plant_id", String(S), nullable=False),
    Column("device", String(S), nullable=False),
    Column("cursor", BigInteger, nullable=False),
    Column("at", String(32), nullable=False),
)

archived_events = Table(
    "archived_events", metadata,
    Column("server_seq", BigInteger, primary_key=True, autoincrement=False),
    Column("event_id", String(S), nullable=False),
    Column("plant_id", String(S), nullable=False),
    Column("device_id", String(S), nullable=False),
    Column("device_seq", BigInteger, nullable=False),
    Column("hlc", BigInteger, nullable=False),
    Column("wall_time", String(S), nullable=False),
    Column("kind", String(S), nullable=False),
    Column("entity_id", String(S), nullable=False),
    Column("actor", String(S)),
    Column("payload", Text, nullable=False),
    Column("schema_version", Integer, nullable=False),
    Column("received_at", String(32), nullable=False),
    Column("origin", SmallInteger, nullable=False, server_default="0"),
    Column("archived_at", String(32), nullable=False),
    Index("ix_archived_events_plant_seq", "plant_id", "server_seq"),
    # Push admission looks up ids and device_seqs not found in `events` here (exactly-once).
    Index("uq_archived_events_event_id", "event_id", unique=True),
    Index("uq_archived_events_device_seq", "device_id", "device_seq", unique=True),
)

archive_horizons = Table(
    "archive_horizons", metadata,
    Column("plant_id", String(S), primary_key=True),
    Column("horizon", BigInteger, nullable=False),
    Column("at", String(32), nullable=False),
)
