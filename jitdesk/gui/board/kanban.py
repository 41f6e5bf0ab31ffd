"""The kanban board in TV mode: every loop a tile (its code and part, its risk in symbol, words and
colour, how many of its cards are full), pages turning by themselves, and the plant's loops by risk
level always in view.

Loops keep one order, by loop code, so a tile never jumps between refreshes; the risk is on the tile
and in the totals. It reloads the page on screen when cards or loops change and every half minute
(lateness grows with the clock). A tap on a tile shows the loop's cards and the reasons for its risk.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtWidgets import QWidget

from jitdesk.domain.kanban.risk import RiskLevel
from jitdesk.domain.kanban.status import Supply
from jitdesk.gui.board.shell import BoardShell, show_board
from jitdesk.gui.board.tiles import Tile
from jitdesk.gui.board.totals import Total
from jitdesk.gui.context import AppContext
from jitdesk.gui.kanban.words import RISK
from jitdesk.gui.models.board import BoardModel, short_reasons
from jitdesk.gui.words import qt_words
from jitdesk.services.changes import Changes
from jitdesk.services.kanban.board import BoardPage, BoardQuery, BoardRow, BoardTotals, board_page, board_totals
from jitdesk.services.uow import wall_clock_ms

WATCHES = ("card", "loop", "part", "station", "line")
REFRESH_MS = 30_000


@dataclass(frozen=True)
class KanbanScreen:
    page: BoardPage
    totals: BoardTotals


def kanban_screen(db: Any, query: BoardQuery, *, page: int, page_size: int, now_ms: int) -> KanbanScreen:
    """One board page and the totals over every page, in one trip to the database worker."""
    return KanbanScreen(board_page(db, query, page=page, page_size=page_size, now_ms=now_ms),
                        board_totals(db, query, now_ms=now_ms))


def tile_for(row: BoardRow) -> Tile:
    symbol, words, background, foreground = RISK[row.risk.level]
    full = row.count(Supply.FULL)
    in_use = sum(1 for card in row.cards if card.in_use)
    detail = f"{row.loop.code}  ·  from {row.loop.supplier_location}"
    return Tile(row.part_name or row.part_number, f"{symbol} {words}", f"{full}/{in_use} full",
                background=background, foreground=foreground, detail=detail, figure_short=f"{full}/{in_use}")


def totals_for(totals: BoardTotals) -> list[Total]:
    shown = []
    for level in (RiskLevel.STOCKOUT, RiskLevel.AT_RISK, RiskLevel.WATCH, RiskLevel.OK):
        symbol, words, background, foreground = RISK[level]
        shown.append(Total(symbol, words, totals.count(level), background, foreground))
    return shown


def empty_words(query: BoardQuery) -> str:
    from jitdesk.gui.views.kanban_board import filter_words

    if query.search.strip() or query.line_id or query.station_id or query.supplier_location:
        return f"No loop matches {filter_words(query)}."
    return "No active loop yet: an admin adds loops in Admin, Loops."


class KanbanBoardScreen(BoardShell):
    def __init__(self, ctx: AppContext, query: BoardQuery | None = None, parent: QWidget | None = None) -> None:
        super().__init__("▦  Kanban board", seconds=ctx.settings.ui.board_page_seconds, parent=parent)
        self.ctx = ctx
        # One stable order: by loop code (problems first would move tiles whenever a card moves).
        self.query = replace(query or BoardQuery(), problems_first=False)
        self.screen_data: KanbanScreen | None = None
        self.model = BoardModel()  # its tooltip words are the tap's details
        ctx.changed.connect(self._on_changed)
        self._refresh = self.startTimer(REFRESH_MS)

    def timerEvent(self, event: Any) -> None:
        if event.timerId() == self._refresh and self.isVisible():
            self.load()

    def _on_changed(self, changes: Changes) -> None:
        if self.isVisible() and changes.touches(*WATCHES):
            self.load()

    def load(self) -> None:
        self.ctx.submit(kanban_screen, self.query, page=self.page, page_size=self.grid.capacity(),
                        now_ms=wall_clock_ms(), on_done=self.show_screen)

    def show_screen(self, data: KanbanScreen) -> None:
        self.screen_data = data
        words = qt_words(data.page.words)
        self.model.words = words
        self.model.set_rows(data.page.rows)
        self.set_zone(words.zone)  # the clock in the plant's time zone, like every time on screen
        self.show_page([tile_for(row) for row in data.page.rows], data.page.page, data.page.pages,
                       totals_for(data.totals), empty_words(self.query))

    def details_for(self, index: int) -> str:
        if self.screen_data is None or not 0 <= index < len(self.screen_data.page.rows):
            return ""
        row = self.screen_data.page.rows[index]
        symbol, words, _bg, _fg = RISK[row.risk.level]
        reasons = short_reasons(row, self.model.words)
        head = f"{row.loop.code}  {row.part_number}  {row.part_name}\n{symbol} {words}"
        head += f": {reasons}" if reasons else ""
        where = f"Used at {row.station_code} {row.station_name}, supplied from {row.loop.supplier_location}"
        return "\n".join((head, where, self.model.tooltip(row, 0) or ""))


def open_kanban_board(ctx: AppContext, query: BoardQuery | None = None, parent: QWidget | None = None,
                      *, full_screen: bool = True) -> KanbanBoardScreen:
    """Open the kanban TV board (full screen unless asked otherwise) and start turning its pages."""
    board = KanbanBoardScreen(ctx, query, parent)
    show_board(board, full_screen=full_screen)
    return board
