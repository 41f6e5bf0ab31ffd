"""Station-side sync state: where the pull cursor stands on the server, and why events were refused.

`SyncPeer` has one row per server this database syncs with (today only "upstream"): the pull cursor,
the server's identity (a changed identity or protocol means resync), the last success, the clock skew
and the last problem in plain words. `QuarantineRow` holds the server's reason for each refused event;
the event itself stays in the log with sync_state QUARANTINED and is never dropped.

`UnreadableRow` holds what a pull brought that this station could not read as an event (not an
object, a missing or mistyped envelope field...). Such an item may have no usable event id, so it is
keyed by a surrogate id and deduplicated by a digest of its text (a resync that pulls it again does
not make a second row); `raw` keeps the text as the server sent it, `event_id` and `server_seq` are
copied from it only where they were usable. It is stored in the same transaction as the page's good
events and the cursor that passes it.
"""

from __future__ import annotations

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jitdesk.storage.schema import Base

UPSTREAM = "upstream"


class SyncPeer(Base):
    __tablename__ = "sync_peer"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    server_id: Mapped[str | None] = mapped_column(String(64))
    protocol: Mapped[int | None]
    cursor: Mapped[int] = mapped_column(default=0)
    last_success: Mapped[str | None] = mapped_column(String(32))
    skew_ms: Mapped[int | None]
    message: Mapped[str | None] = mapped_column(Text)


class QuarantineRow(Base):
    __tablename__ = "sync_quarantine"
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[str] = mapped_column(String(32))


class UnreadableRow(Base):
    __tablename__ = "sync_unreadable"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    peer: Mapped[str] = mapped_column(String(32))
    digest: Mapped[str] = mapped_column(String(64))  # sha256 of `raw`
    event_id: Mapped[str | None] = mapped_column(String(200))
    server_seq: Mapped[int | None]
    raw: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[str] = mapped_column(String(32))
    __table_args__ = (UniqueConstraint("peer", "digest", name="uq_sync_unreadable_peer_digest"),)
