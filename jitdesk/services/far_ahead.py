"""Events from other devices whose clock ran far ahead: stamped more than the clock bound
(`clock.MAX_AHEAD_MS`) after the server's time when it received them.

Such an event is kept as it is (every copy folds the same events), but it may not drag this
station's clock forward past the bound (`HybridClock.observe`), and its times may read in the future.
The list is derived from the log (the stamp against the server's `received_at`), so every copy
flags the same events; it is read incrementally, only rows added since the last look, because the
log is append-only.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from jitdesk.domain.clock import COUNTER_BITS, MAX_AHEAD_MS
from jitdesk.storage import projections
from jitdesk.storage.database import Database

# The stamp's milliseconds against received_at (an ISO UTC text) in milliseconds since 1970.
_SQL = (
    "SELECT id, event_id, device_id, kind, entity_id, wall_time, received_at, ahead FROM ("
    " SELECT id, event_id, device_id, kind, entity_id, wall_time, received_at,"
    f" (hlc >> {COUNTER_BITS}) - CAST(round((julianday(received_at) - 2440587.5) * 86400000) AS INTEGER) AS ahead"
    " FROM events WHERE id > ? AND received_at IS NOT NULL AND device_id != ?)"
    " WHERE ahead > ? ORDER BY id"
)
KEEP = 500  # newest flagged events kept for the list (the count covers all)


@dataclass(frozen=True)
class FarAhead:
    event_id: str
    device_id: str
    kind: str
    entity_id: str
    made_at: str  # the device's own (fast) wall time
    received_at: str  # the server's time when it arrived
    ahead_ms: int


@dataclass
class _Seen:
    last_id: int = 0
    count: int = 0
    items: list[FarAhead] | None = None


_SEEN: dict[str, _Seen] = {}
_LOCK = threading.Lock()


def far_ahead(db: Database) -> tuple[int, list[FarAhead]]:
    """(how many events here were stamped beyond the bound, the newest of them first)."""
    with _LOCK:
        seen = _SEEN.setdefault(str(db.path), _Seen())
        with db.reading() as session:
            rows = projections.raw(session).execute(_SQL, (seen.last_id, db.device_id, MAX_AHEAD_MS)).fetchall()
            top = projections.raw(session).execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]
        items = seen.items or []
        items.extend(FarAhead(r[1], r[2], r[3], r[4], r[5], r[6], r[7]) for r in rows)
        seen.items, seen.count, seen.last_id = items[-KEEP:], seen.count + len(rows), max(seen.last_id, top)
        return seen.count, list(reversed(seen.items))


def describe(count: int, items: list[FarAhead]) -> str:
    """Plain words for the Sync view ('' when there is nothing to say)."""
    if not count:
        return ""
    devices: dict[str, int] = {}
    for item in items:
        devices[item.device_id] = max(devices.get(item.device_id, 0), item.ahead_ms)
    lines = [f"◷ {count} event(s) from other devices carry a clock time more than {MAX_AHEAD_MS // 1000} s "
             "ahead of the server's clock when it received them: that device's clock runs fast. They are "
             "kept, but did not move this station's clock more than that; their times may read in the future."]
    for device, ahead in sorted(devices.items(), key=lambda d: -d[1])[:5]:
        lines.append(f"  ⚠ device {device[:8]}…: its clock was up to {_span(ahead)} ahead; set its clock right")
    for item in items[:5]:
        lines.append(f"  • {item.kind} of {item.entity_id[:12]}: made at {_utc(item.made_at)} by its clock, "
                     f"received at {_utc(item.received_at)}, {_span(item.ahead_ms)} ahead")
    return "\n".join(lines)


def _utc(stamp: str) -> str:
    return stamp[:19].replace("T", " ") + " UTC" if len(stamp) >= 19 else stamp


def _span(ms: int) -> str:
    seconds = ms // 1000
    if seconds < 120:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 120:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"
