"""Kanban board (supervisors, planners, a big TV on the floor): one row per loop, cards by status, risk.

Risk is colour plus symbol plus words (● OK, ◆ WATCH, ▲ AT RISK, ✖ STOCKOUT) with the reasons in
plain words: late cards, too many cards in replenishment, no full card left, cards that have not moved.
Filters by line, consumer station and supplier; search by part number, name or loop code. The board
is paged (the service reads and assesses only the page shown) and reloads when cards or loops move,
and every half minute, since lateness grows with the clock.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jitdesk.domain.kanban.risk import RiskLevel
from jitdesk.gui.context import AppContext
from jitdesk.gui.kanban.words import RISK
from jitdesk.gui.models.board import PART_COLUMN, WHY_COLUMN, BoardModel
from jitdesk.gui.print_cards import PrintCardsDialog
from jitdesk.gui.role_gate import RoleGate
from jitdesk.gui.widgets import big_button, hint, page_title
from jitdesk.gui.widgets.page import ReloadingPage
from jitdesk.gui.words import qt_words
from jitdesk.services.card_printing import PRINT_ROLE
from jitdesk.services.kanban.board import BoardChoices, BoardPage, BoardQuery, board_choices, board_page
from jitdesk.services.uow import wall_clock_ms

ROW_HEIGHT = 56
MIN_PAGE_SIZE = 5
PART_WIDTH = 380
REFRESH_MS = 30_000


def create_view(ctx: AppContext) -> QWidget:
    return KanbanBoard(ctx)


class KanbanBoard(ReloadingPage):
    WATCHES = ("card", "loop", "part", "station", "line")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.page = 0
        self.result: BoardPage | None = None
        self.model = BoardModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        # narrower padding than the theme's: ten columns must fit, the reasons column most of all
        self.table.setStyleSheet("QHeaderView::section { padding: 8px 8px; } QTableView::item { padding: 4px 8px; }")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PART_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(WHY_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(PART_COLUMN, PART_WIDTH)
        self.page_size = 10  # as many rows as fit the table; set again on every resize

        self.line = QComboBox()
        self.station = QComboBox()
        self.supplier = QComboBox()
        for combo, everything in ((self.line, "All lines"), (self.station, "All stations"),
                                  (self.supplier, "All suppliers")):
            combo.addItem(everything, None)
            combo.setMinimumWidth(220)
            combo.currentIndexChanged.connect(self._filters_changed)
        self.problems_first = big_button("▲ Problems first")
        self.problems_first.setCheckable(True)
        self.problems_first.setChecked(True)
        self.problems_first.setToolTip("On: stockouts, then late or short loops, then ones to watch. "
                                       "Off: by loop code.")
        self.problems_first.toggled.connect(self._order_changed)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search part or loop")
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self._filters_changed)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self._resized = QTimer(self)
        self._resized.setSingleShot(True)
        self._resized.setInterval(100)
        self._resized.timeout.connect(self.load)
        self.previous = big_button("◀  Previous")
        self.next = big_button("Next  ▶")
        self.previous.clicked.connect(lambda: self.go(self.page - 1))
        self.next.clicked.connect(lambda: self.go(self.page + 1))
        self.print_button = big_button("Print cards…")
        self.print_button.setToolTip("Print the cards of the selected loops (none selected: every active loop)")
        self.print_gate = RoleGate(ctx, self.print_button, PRINT_ROLE, "Printing cards", self.open_print)
        self._print_dialog: PrintCardsDialog | None = None
        self.summary = QLabel()
        self.summary.setObjectName("sectionTitle")
        self.page_label = QLabel()

        filters = QHBoxLayout()
        for widget in (self.line, self.station, self.supplier):
            filters.addWidget(widget)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.problems_first)
        pager = QHBoxLayout()
        pager.addWidget(self.summary, 1)
        pager.addWidget(self.page_label)
        pager.addWidget(self.print_button)
        pager.addWidget(self.previous)
        pager.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 14, 24, 14)
        layout.setSpacing(10)
        layout.addWidget(page_title("▦  Kanban board"))
        layout.addLayout(filters)
        layout.addLayout(pager)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint("● OK   ◆ WATCH: cards not moving or anomalies   ▲ AT RISK: late cards or too many "
                              "empty   ✖ STOCKOUT: no full card left.   Columns count the cards in each status; "
                              "· means the loop skips that step."))
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.load)
        self._timer.start()
        self.ctx.submit(board_choices, on_done=self.show_choices)
        self.load()

    def open_print(self) -> PrintCardsDialog:
        """The print dialog for the selected loops; none selected: every active loop."""
        picked = self.table.selectionModel().selectedRows()
        loop_ids = [self.model.rows[i.row()].loop_id for i in picked]
        if self._print_dialog is None:
            self._print_dialog = PrintCardsDialog(self.ctx, parent=self)
        self._print_dialog.prepare(loop_ids)
        self._print_dialog.open()  # never exec(): the app keeps running while it is open
        return self._print_dialog

    def query(self) -> BoardQuery:
        return BoardQuery(line_id=self.line.currentData(), station_id=self.station.currentData(),
                          supplier_location=self.supplier.currentData(), search=self.search.text(),
                          problems_first=self.problems_first.isChecked())

    def load(self) -> None:
        self.ctx.submit(board_page, self.query(), page=self.page, page_size=self.page_size, now_ms=wall_clock_ms(),
                        on_done=self.show_page)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        header = self.table.horizontalHeader().height() or ROW_HEIGHT
        fits = max(MIN_PAGE_SIZE, (self.table.height() - header - 4) // ROW_HEIGHT)
        if fits != self.page_size:
            first = self.page * self.page_size
            self.page_size = fits
            self.page = first // fits
            self._resized.start()

    def _order_changed(self, on: bool) -> None:
        self.problems_first.setText("▲ Problems first" if on else "A–Z  By loop code")
        self.go(0)

    def go(self, page: int) -> None:
        pages = self.result.pages if self.result else 1
        self.page = max(0, min(page, pages - 1))
        self.load()

    def _filters_changed(self, *_args: object) -> None:
        self.page = 0
        self.load()

    def show_choices(self, choices: BoardChoices) -> None:
        for combo, items in ((self.line, choices.lines), (self.station, choices.stations)):
            combo.blockSignals(True)
            for value, label in items:
                combo.addItem(label, value)
            combo.blockSignals(False)
        self.supplier.blockSignals(True)
        for location in choices.suppliers:
            self.supplier.addItem(location, location)
        self.supplier.blockSignals(False)

    def show_page(self, result: BoardPage) -> None:
        self.result = result
        self.page = result.page
        self.model.words = qt_words(result.words)
        self.model.set_rows(result.rows)
        levels = [r.risk.level for r in result.rows]
        parts = [f"{RISK[level][0]} {levels.count(level)} {RISK[level][1].lower()}"
                 for level in (RiskLevel.STOCKOUT, RiskLevel.AT_RISK, RiskLevel.WATCH) if level in levels]
        self.summary.setText(("On this page: " + "   ".join(parts)) if parts else "On this page: all loops OK")
        self.page_label.setText(f"Page {result.page + 1} of {result.pages}  ·  {result.total} loops")
        self.previous.setEnabled(result.page > 0)
        self.next.setEnabled(result.page + 1 < result.pages)
