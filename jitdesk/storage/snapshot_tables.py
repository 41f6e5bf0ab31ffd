"""The snapshot a station started from (at most one row): what it covers, and its packed content.

A station that started from a server snapshot has no events before the snapshot's `seq` in its own
log; the snapshot's projection rows are its base. A rebuild starts from them (see services.rebuild)
and folds only the events the snapshot does not cover. `covered` names, per device, the ranges of
device numbers folded into it; `body` is the packed snapshot as downloaded (gzip), checked by `sha256`.
"""

from __future__ import annotations

from sqlalchemy import LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jitdesk.storage.schema import Base


class SnapshotBaseRow(Base):
    __tablename__ = "snapshot_base"
    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    seq: Mapped[int]
    server_id: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    header: Mapped[str] = mapped_column(Text)  # the snapshot's first line (JSON), fingerprint and coverage
    body: Mapped[bytes] = mapped_column(LargeBinary)
    installed_at: Mapped[str] = mapped_column(String(32))
