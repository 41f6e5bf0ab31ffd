"""Andon history: per station and call type, how many calls, and how long to acknowledge and to resolve;
a Pareto of resolve reasons; CSV of both. Read from the `andon_call` projection (calls raised in a
window), so the figures are the same on every copy of the log.

Time to acknowledge runs from the raise to the first claim (a call resolved without a claim counts its
resolve as the claim); time to resolve from the raise to the close. Cancelled calls are counted apart
and left out of the times.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from dataclasses import dataclass

from jitdesk.domain.andon.call import Call, Status
from jitdesk.domain.fold import PROJECTORS
from jitdesk.domain.master import CallType, Station
from jitdesk.storage import andon_repo, projections
from jitdesk.storage.database import Database


@dataclass(frozen=True)
class HistoryRow:
    station: str  # code
    call_type: str  # name
    calls: int
    cancelled: int
    still_open: int
    ack_median_s: float | None
    ack_max_s: float | None
    resolve_median_s: float | None
    resolve_max_s: float | None


@dataclass(frozen=True)
class ReasonRow:
    reason: str
    count: int
    share: float  # of all resolved calls
    cumulative: float


@dataclass(frozen=True)
class History:
    from_ms: int
    to_ms: int
    rows: tuple[HistoryRow, ...]
    reasons: tuple[ReasonRow, ...]  # most frequent first (the Pareto)


def _seconds(values: list[int], fn: str) -> float | None:
    if not values:
        return None
    return round((statistics.median(values) if fn == "median" else max(values)) / 1000, 1)


def _ack_ms(call: Call) -> int | None:
    times = [t for t in (call.ack_ms, call.end_ms if call.status is Status.RESOLVED else None) if t is not None]
    return min(times) - call.raised_ms if times else None


def history(db: Database, from_ms: int, to_ms: int) -> History:
    with db.reading() as session:
        calls = andon_repo.calls_raised_between(session, from_ms, to_ms)
        stations: dict[str, Station] = projections.all_states(session, PROJECTORS.get("station"))
        types: dict[str, CallType] = projections.all_states(session, PROJECTORS.get("call_type"))
    groups: dict[tuple[str, str], list[Call]] = {}
    for call in calls:
        if call.raised:
            groups.setdefault((call.station_id, call.call_type_id), []).append(call)
    rows = []
    for (sid, tid), group in groups.items():
        acks = [a for a in (_ack_ms(c) for c in group if c.status is not Status.CANCELLED) if a is not None]
        done = [c.end_ms - c.raised_ms for c in group if c.status is Status.RESOLVED and c.end_ms is not None]
        station = stations.get(sid)
        call_type = types.get(tid)
        rows.append(HistoryRow(station.code if station else sid, call_type.name if call_type else tid, len(group),
                               sum(c.status is Status.CANCELLED for c in group), sum(c.is_open for c in group),
                               _seconds(acks, "median"), _seconds(acks, "max"), _seconds(done, "median"),
                               _seconds(done, "max")))
    rows.sort(key=lambda r: (r.station, r.call_type))
    counts = Counter(c.end_reason for c in calls if c.status is Status.RESOLVED and c.end_reason)
    total = sum(counts.values())
    reasons = []
    running = 0
    for reason, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        running += count
        reasons.append(ReasonRow(reason, count, round(count / total, 3), round(running / total, 3)))
    return History(from_ms, to_ms, tuple(rows), tuple(reasons))


ROW_HEADER = ("station", "call_type", "calls", "cancelled", "still_open", "ack_median_s", "ack_max_s",
              "resolve_median_s", "resolve_max_s")
REASON_HEADER = ("reason", "count", "share", "cumulative")


def to_csv(result: History) -> str:
    """Both tables as one CSV: the per-station rows, an empty line, then the reasons' Pareto."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ROW_HEADER)
    for row in result.rows:
        writer.writerow(["" if v is None else v for v in row.__dict__.values()])
    writer.writerow([])
    writer.writerow(REASON_HEADER)
    for reason in result.reasons:
        writer.writerow([reason.reason, reason.count, reason.share, reason.cumulative])
    return out.getvalue()
