"""Station-side sync state: where the pull cursor stands on the server, and why events were refused.

`SyncPeer` has one row per server this database syncs with (today only "upstream"): the pull cursor,
the server's identity (a changed identity or protocol means resync), the last success, the clock skew
and the last problem in plain words. `QuarantineRow` holds the server's reason for each refused event;
the event itself stays in the log with sync_state QUARANTINED and is never dropped.
"""

from __future__ import annotations

from sqlalchemy import String, Text
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
