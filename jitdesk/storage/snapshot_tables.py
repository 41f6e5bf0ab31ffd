"""The snapshot a station started from (at most one row), and its entity projection rows.

A station that started from a server snapshot has no events before the snapshot's `seq` in its own
log; the snapshot's entity rows (`snapshot_rows`, one per projector and entity, as the snapshot
packed them) are its base. A rebuild, or the re-fold of an entity that meets a late event, starts
from them and folds only the events the snapshot does not cover: `header.covered` names, per device,
the ranges of device numbers folded into it (see services.snapshot_pack).
"""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jitdesk.storage.schema import Base


class SnapshotBaseRow(Base):
    __tablename__ = "snapshot_base"
    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    seq: Mapped[int]
    server_id: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))  # of the snapshot's unpacked content
    header: Mapped[str] = mapped_column(Text)  # the snapshot's first line (JSON): fingerprint and coverage
    installed_at: Mapped[str] = mapped_column(String(32))


class SnapshotEntityRow(Base):
    __tablename__ = "snapshot_rows"
    projector: Mapped[str] = mapped_column(String(64), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    row: Mapped[str] = mapped_column(Text)  # the projection row as packed (canonical JSON)
