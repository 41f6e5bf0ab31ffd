"""The kanban board's read: one row per loop with its cards by status and its risk, a page at a time.

Loops are ordered and paged in SQL (problems first from the derived per-loop risk stats, or by code,
with the filters); cards are read and risk is assessed in words for the visible page only, so the
first screen stays fast on a plant of fifty loops or fifty thousand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jitdesk.domain.kanban.card import Card
from jitdesk.domain.kanban.loop import Loop
from jitdesk.domain.kanban.risk import LoopRisk, RiskLevel, assess_loop
from jitdesk.domain.kanban.status import Admin, Supply
from jitdesk.services.words import Words, stations_named, words_in
from jitdesk.storage import kanban_repo
from jitdesk.storage.database import Database
from jitdesk.storage.kanban_repo import BoardQuery

__all__ = ["BoardChoices", "BoardPage", "BoardQuery", "BoardRow", "BoardTotals", "board_choices", "board_page",
           "board_totals"]

DEFAULT_PAGE_SIZE = 30


@dataclass(frozen=True)
class BoardRow:
    loop_id: str
    loop: Loop
    part_number: str
    part_name: str
    station_code: str
    station_name: str
    line_code: str
    cards: tuple[Card, ...]  # cards not retired, by number
    risk: LoopRisk

    def count(self, supply: Supply) -> int:
        return sum(1 for c in self.cards if c.in_use and c.supply is supply)

    @property
    def held(self) -> int:
        return sum(1 for c in self.cards if c.admin is Admin.ON_HOLD)


@dataclass(frozen=True)
class BoardPage:
    rows: tuple[BoardRow, ...]
    total: int  # loops matching the filters
    page: int
    page_size: int
    now_ms: int
    words: Words = field(default_factory=Words)  # the plant's time zone and the stations the notes name

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True)
class BoardChoices:
    lines: tuple[tuple[str, str], ...]  # (id, label)
    stations: tuple[tuple[str, str], ...]
    suppliers: tuple[str, ...]


def board_page(db: Database, query: BoardQuery | None = None, *, page: int = 0, page_size: int = DEFAULT_PAGE_SIZE,
               now_ms: int) -> BoardPage:
    query = query or BoardQuery()
    page_size = max(1, min(page_size, 200))
    page = max(0, page)

    def one_page(number: int) -> tuple[list[kanban_repo.BoardLoopRow], int]:
        return kanban_repo.board_loops(session, query, number * page_size, page_size, now_ms=now_ms)

    with db.reading() as session:
        loops, total = one_page(page)
        if not loops and total and page:
            page = (total - 1) // page_size  # the filter shrank the list under the current page
            loops, total = one_page(page)
        cards = kanban_repo.cards_of_loops(session, [r.loop_id for r in loops])
        words = words_in(session, stations_named(note for found in cards.values() for card in found
                                                 for note in card.anomalies))
    rows = []
    for r in loops:
        live = tuple(c for c in cards[r.loop_id] if c.admin is not Admin.RETIRED)
        risk = assess_loop(r.loop, live, now_ms)  # the default thresholds, as the derived loop_stats
        rows.append(BoardRow(r.loop_id, r.loop, r.part_number, r.part_name, r.station_code, r.station_name,
                             r.line_code, live, risk))
    return BoardPage(tuple(rows), total, page, page_size, now_ms, words)


def board_choices(db: Database) -> BoardChoices:
    with db.reading() as session:
        lines, stations, suppliers = kanban_repo.board_choices(session)
    return BoardChoices(tuple(lines), tuple(stations), tuple(suppliers))


@dataclass(frozen=True)
class BoardTotals:
    """The plant's (or the filters') loops by risk level, over every page: a TV board's totals strip."""

    counts: tuple[tuple[RiskLevel, int], ...]  # every level, worst first

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)

    def count(self, level: RiskLevel) -> int:
        return dict(self.counts).get(level, 0)


def board_totals(db: Database, query: BoardQuery | None = None, *, now_ms: int) -> BoardTotals:
    with db.reading() as session:
        found = kanban_repo.board_risk_counts(session, query or BoardQuery(), now_ms=now_ms)
    return BoardTotals(tuple((level, found.get(level.value, 0)) for level in sorted(RiskLevel, reverse=True)))
