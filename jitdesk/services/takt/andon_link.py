"""The andon link's hook: which lines are behind by more than N takts right now.

`behind_lines(db, now_ms=..., threshold_takts=N)` answers "line X is behind by N takts" for every
running line (paused lines never are: a break is not a problem). It is the one question the andon
call needs; raising the call is to be wired when the andon calls land (another branch): a background
task calls this every few seconds when `[takt] andon_link` is on, raises one call per line and shift
that crosses the threshold, and leaves it to the andon rules to resolve. Until then the takt board
shows the same lines as BEHIND in words, symbol and colour.
"""

from __future__ import annotations

from jitdesk.domain.takt.status import BehindLine, lines_behind
from jitdesk.services.takt.status import board
from jitdesk.storage.database import Database

__all__ = ["BehindLine", "behind_lines"]


def behind_lines(db: Database, *, now_ms: int, threshold_takts: float) -> list[BehindLine]:
    return lines_behind((line.status for line in board(db, now_ms=now_ms).lines), threshold_takts)
