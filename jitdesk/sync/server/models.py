"""The server's tables, on their own MetaData (migrated by migrations/server, not the station chain).

`events.server_seq` is the primary key and follows commit order (see `store`). `origin` marks events
that came down from an upstream server, so a hub never pushes them back up. `devices` binds an
envelope device_id to the (plant, device name) of the token that first wrote it.
`relay_unreadable` is the hub relay's quarantine: what the upstream sent that this hub could not store
as an event (not an envelope, or a device number already used by another event), with its text and
the reason; keyed by a surrogate id and deduplicated by a digest of the text, since such an item may
have no usable event id.
`held_events` are stored events this server will not serve or relay (an admin quarantined them, or
they could not be served), each with the reason every pull shows in their place. `device_clocks`
records, per device, how far ahead of this server's clock its newest event's hybrid clock was.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, MetaData, SmallInteger, String, Table, Text

from jitdesk.storage.schema import NAMING_CONVENTION

metadata = MetaData(naming_convention=NAMING_CONVENTION)

S = 200  # the envelope allows strings of up to 200 characters

events = Table(
    "events", metadata,
    Column("server_seq", BigInteger, primary_key=True, autoincrement=False),
    Column("event_id", String(S), nullable=False, unique=True),
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
    Index("ix_events_plant_seq", "plant_id", "server_seq"),
    Index("uq_events_device_seq", "device_id", "device_seq", unique=True),
)

tokens = Table(
    "tokens", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("plant_id", String(S), nullable=False),
    Column("device", String(S), nullable=False),
    Column("role", String(16), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("revoked_at", String(32)),
)

devices = Table(
    "devices", metadata,
    Column("device_id", String(S), primary_key=True),
    Column("plant_id", String(S), nullable=False),
    Column("device", String(S), nullable=False),
    Column("first_seen", String(32), nullable=False),
    Column("relayed_by", String(S)),  # the hub whose token first relayed it (None: its own token)
    Column("relayed_name", String(S)),  # the device name that hub gave for it (its token's there)
)

meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

relay_rejects = Table(
    "relay_rejects", metadata,
    Column("event_id", String(S), primary_key=True),
    Column("reason", Text, nullable=False),
    Column("at", String(32), nullable=False),
)

relay_unreadable = Table(
    "relay_unreadable", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("event_id", String(S)),
    Column("server_seq", BigInteger),
    Column("raw", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", String(32), nullable=False),
)

held_events = Table(
    "held_events", metadata,
    Column("event_id", String(S), primary_key=True),
    Column("plant_id", String(S)),
    Column("reason", Text, nullable=False),
    Column("by", String(S), nullable=False),
    Column("at", String(32), nullable=False),
    Column("hold_seq", BigInteger, index=True),  # holds in the order made (hubs pull them after)
)

device_clocks = Table(
    "device_clocks", metadata,
    Column("device_id", String(S), primary_key=True),
    Column("plant_id", String(S), nullable=False),
    Column("device", String(S), nullable=False),
    Column("ahead_ms", BigInteger, nullable=False),
    Column("hlc_ms", BigInteger, nullable=False),
    Column("at", String(32), nullable=False),
)

ORIGIN_LOCAL, ORIGIN_UPSTREAM = 0, 1
