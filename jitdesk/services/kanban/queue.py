"""The replenishment queue: every card awaiting replenishment, late and oldest first, with due times.

Sorted by due time in SQL (a late card's due time has passed, so late cards come first) and cut to
`limit`; the view groups the rows by supplier location, keeping that order inside each group.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jitdesk.services.words import Words, words_in
from jitdesk.storage import kanban_repo
from jitdesk.storage.database import Database
from jitdesk.storage.kanban_repo import QueueRecord

__all__ = ["DEFAULT_LIMIT", "Queue", "QueueRecord", "replenishment_queue"]

DEFAULT_LIMIT = 300


@dataclass(frozen=True)
class Queue:
    items: tuple[QueueRecord, ...]
    total: int  # cards awaiting replenishment in all (items may be fewer)
    late: int
    now_ms: int
    words: Words = field(default_factory=Words)  # the plant's time zone, for due times

    def groups(self) -> list[tuple[str, list[QueueRecord]]]:
        """Items by supplier location; groups in the order of their most urgent card."""
        out: dict[str, list[QueueRecord]] = {}
        for item in self.items:
            out.setdefault(item.supplier_location, []).append(item)
        return list(out.items())


def replenishment_queue(db: Database, *, now_ms: int, limit: int = DEFAULT_LIMIT,
                        supplier_location: str | None = None) -> Queue:
    with db.reading() as session:
        items, total, late = kanban_repo.queue(session, now_ms, max(1, limit), supplier_location)
        words = words_in(session)
    return Queue(tuple(items), total, late, now_ms, words)
