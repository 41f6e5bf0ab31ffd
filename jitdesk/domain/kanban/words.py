"""Plain-words formatting of times and durations for anomaly notes, scan answers and risk reasons.

Deterministic: UTC only, no locale, so a fold gives the same text on every machine.
"""

from __future__ import annotations

from datetime import UTC, datetime


def at(ms: int) -> str:
    """`2026-11-22 05:19:35 UTC` for a Unix time in milliseconds."""
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def duration(ms: int) -> str:
    """`45 s`, `12 min`, `3 h 05 min`, `2 d 4 h` (rounded down)."""
    seconds = max(0, ms) // 1000
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"
