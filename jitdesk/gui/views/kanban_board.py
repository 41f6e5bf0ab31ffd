"""Kanban board (supervisors, planners, a big TV on the floor): one row per loop, cards by status, risk.

Risk is colour plus symbol plus words (● OK, ◆ WATCH, ▲ AT RISK, ✖ STOCKOUT) with the reasons in
plain words: late cards, too many cards in replenishment, no full card left, cards that have not moved.
Filters by line, consumer station and supplier; search by part number, name or loop code. The board
is paged (the service reads and assesses only the page shown) and reloads when cards or loops move,
and every half minute, since lateness grows with the clock (only while it is on screen).

Rows are as tall as their font needs and never below a 15 mm touch target; the filters shrink before
the page would widen the window. "▶ TV board" opens the board mode (jitdesk/gui/board/kanban.py): full
screen, pages turning by themselves, plant totals always in view.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jitdesk.domain.kanban.risk import RiskLevel
from jitdesk.gui import theme
from jitdesk.gui.context import AppContext
from jitdesk.gui.kanban.words import RISK
from jitdesk.gui.models.board import PART_COLUMN, SUPPLIER_COLUMN, WHY_COLUMN, BoardModel
from jitdesk.gui.print_cards import PrintCardsDialog
from jitdesk.gui.role_gate import RoleGate
from jitdesk.gui.touch import fit_header, fit_rows
from jitdesk.gui.widgets import big_button, page_title, section_title, shrinkable
from jitdesk.gui.widgets.fit import ElidedLabel, ShrinkingButton
from jitdesk.gui.widgets.page import ReloadingPage
from jitdesk.gui.words import qt_words
from jitdesk.services.card_printing import PRINT_ROLE
from jitdesk.services.kanban.board import BoardChoices, BoardPage, BoardQuery, board_choices, board_page
from jitdesk.services.uow import wall_clock_ms

NARROW_CHARS = 90  # a page fewer characters wide than this puts the filters and pager on four rows
STACK_CHARS = 60  # ... and fewer than this: one filter a row
MIN_PAGE_SIZE = 2  # a very large font on a short screen: fewer rows, never a scrolled page
PART_SHARE = 0.42  # of the width left by the other columns: the part, then the supplier, then the reasons
SUPPLIER_SHARE = 0.2
HEADER_PADDING_PX = 40  # a header section's padding (18 px each side in floor.qss) and its border
REFRESH_MS = 30_000
BUTTON_SIDE_PX = 25  # a button's padding and border each side (floor.qss)
STACKED_SCALE = 2.0  # from this ui.font_scale on, Print and TV board sit one above the other


def create_view(ctx: AppContext) -> QWidget:
    return KanbanBoard(ctx)


def filter_words(query: BoardQuery) -> str:
    """The search and filters in a few words, for "no loop matches ..."."""
    shown = [f'"{query.search.strip()}"'] if query.search.strip() else []
    if query.supplier_location:
        shown.append(f"supplier {query.supplier_location}")
    if query.line_id or query.station_id:
        shown.append("the chosen line and station" if query.line_id and query.station_id
                     else "the chosen line" if query.line_id else "the chosen station")
    return ", ".join(shown) or "these filters"


def summary_words(parts: list[str], total: int, query: BoardQuery) -> str:
    """The page's risk summary; with no loop at all it says so, never "all loops OK"."""
    if total == 0:
        return f"No loop matches {filter_words(query)}"
    return ("On this page: " + "   ".join(parts)) if parts else "On this page: ● all loops OK"


def action_button(text: str) -> QPushButton:
    """A title-row button whose type shrinks when the room is short (large ui.font_scale on a small
    screen), so its words stay whole and the page does not scroll sideways."""
    if theme.font_scale() <= 1.0:
        return big_button(text)
    return ShrinkingButton(text, "font-size: {px}px;", theme.sizes(theme.font_scale())["base"], BUTTON_SIDE_PX)


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
        # Two lines a row: a long part name or reasons wrap instead of vanishing behind "…".
        self.row_height = fit_rows(self.table, theme.touch_target(), lines=2)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        # narrower padding than the theme's: ten columns must fit, the reasons column most of all
        self.table.setStyleSheet("QHeaderView::section { padding: 8px 8px; } QTableView::item { padding: 4px 8px; }")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PART_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(SUPPLIER_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(WHY_COLUMN, QHeaderView.ResizeMode.Stretch)
        fit_header(self.table)
        self.page_size = 10  # as many rows as fit the table; set again on every resize
        self.table.installEventFilter(self)
        # Header and two rows at least: a short screen scrolls the page rather than hide every row.
        self.table.setMinimumHeight(self.row_height * (MIN_PAGE_SIZE + 1) + 8)

        self.line = QComboBox()
        self.station = QComboBox()
        self.supplier = QComboBox()
        for combo, everything in ((self.line, "All lines"), (self.station, "All stations"),
                                  (self.supplier, "All suppliers")):
            combo.addItem(everything, None)
            shrinkable(combo)
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
        self._resized.timeout.connect(self.refresh)
        self.previous = big_button("◀")
        self.previous.setToolTip("Previous page")
        self.previous.setAccessibleName("Previous page")
        self.next = big_button("▶")
        self.next.setToolTip("Next page")
        self.next.setAccessibleName("Next page")
        self.previous.clicked.connect(lambda: self.go(self.page - 1))
        self.next.clicked.connect(lambda: self.go(self.page + 1))
        self.print_button = action_button("Print cards…")
        self.print_button.setToolTip("Print the cards of the selected loops (none selected: every active loop)")
        self.print_gate = RoleGate(ctx, self.print_button, PRINT_ROLE, "Printing cards", self.open_print)
        self._print_dialog: PrintCardsDialog | None = None
        self.board_button = action_button("▶  TV board")
        self.board_button.setToolTip("Full screen for a TV on the floor: big type, pages turn by themselves")
        self.board_button.clicked.connect(self.open_board)
        self.board: QWidget | None = None
        self.summary = section_title("")
        self.page_label = ElidedLabel()

        title_row = QHBoxLayout()
        title_row.addWidget(page_title("▦  Kanban board"), 1)
        actions: QBoxLayout = title_row
        if theme.font_scale() > 1.0:  # larger type: the two buttons get a row of their own (no sideways scroll)
            actions = QHBoxLayout() if theme.font_scale() < STACKED_SCALE else QVBoxLayout()
        actions.addWidget(self.print_button, 0 if actions is title_row else 2)
        actions.addWidget(self.board_button, 0 if actions is title_row else 1)
        self.controls = QGridLayout()  # one row each for filters and pager; two each when the type is large
        self.controls.setHorizontalSpacing(10)
        self.controls.setVerticalSpacing(10)
        self._narrow: int | None = None
        self._arrange(0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 14, 24, 14)
        layout.setSpacing(10)
        layout.addLayout(title_row)
        if actions is not title_row:
            layout.addLayout(actions)
        layout.addLayout(self.controls)
        layout.addWidget(self.table, 1)
        legend = ElidedLabel("● OK   ◆ WATCH: cards not moving or anomalies   ▲ AT RISK: late cards or too many "
                             "empty   ✖ STOCKOUT: no full card left.   Columns count the cards in each status; "
                             "· means the loop skips that step; From: where the cards are supplied from.")
        legend.setObjectName("pageHint")  # one line; the tooltip has it all on a narrow screen
        layout.addWidget(legend)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh_if_shown)
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

    def open_board(self) -> QWidget:
        """The TV board of the loops this page's filters choose, full screen."""
        from jitdesk.gui.board.kanban import open_kanban_board

        if self.board is not None:  # one board at a time: the last one goes
            self.board.close()
            self.board.deleteLater()
        self.board = open_kanban_board(self.ctx, self.query(), parent=self)
        return self.board

    def query(self) -> BoardQuery:
        return BoardQuery(line_id=self.line.currentData(), station_id=self.station.currentData(),
                          supplier_location=self.supplier.currentData(), search=self.search.text(),
                          problems_first=self.problems_first.isChecked())

    def load(self) -> None:
        self.ctx.submit(board_page, self.query(), page=self.page, page_size=self.page_size, now_ms=wall_clock_ms(),
                        on_done=self.show_page)

    def _arrange(self, narrow: int) -> None:
        """Filters and pager on two rows; narrow for the type (a large ui.font_scale): on four (1) or one
        filter a row (2)."""
        if narrow == self._narrow:
            return
        self._narrow = narrow
        for widget in (self.line, self.station, self.supplier, self.search, self.problems_first, self.summary,
                       self.previous, self.page_label, self.next):
            self.controls.removeWidget(widget)
        if narrow == 2:  # (widget, row, column, column span) on a 6-column grid
            cells = ((self.line, 0, 0, 6), (self.station, 1, 0, 6), (self.supplier, 2, 0, 6), (self.search, 3, 0, 6),
                     (self.problems_first, 4, 0, 6), (self.summary, 5, 0, 6),
                     (self.previous, 6, 0, 1), (self.page_label, 6, 1, 4), (self.next, 6, 5, 1))
        elif narrow:
            cells = ((self.line, 0, 0, 3), (self.station, 0, 3, 3), (self.supplier, 1, 0, 3), (self.search, 1, 3, 3),
                     (self.problems_first, 2, 0, 2), (self.summary, 2, 2, 4),
                     (self.previous, 3, 0, 1), (self.page_label, 3, 1, 4), (self.next, 3, 5, 1))
        else:
            cells = ((self.line, 0, 0, 1), (self.station, 0, 1, 1), (self.supplier, 0, 2, 1), (self.search, 0, 3, 3),
                     (self.problems_first, 1, 0, 1), (self.summary, 1, 1, 2), (self.previous, 1, 3, 1),
                     (self.page_label, 1, 4, 1), (self.next, 1, 5, 1))
        for widget, row, column, span in cells:
            self.controls.addWidget(widget, row, column, 1, span)
        fixed = {0: (3, 5), 1: (), 2: (0, 5)}[narrow]  # columns of the pager's arrows and the search box
        for column in range(6):
            self.controls.setColumnStretch(column, 0 if column in fixed else 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        em = self.fontMetrics().averageCharWidth()
        width = event.size().width()
        self._arrange(2 if width < STACK_CHARS * em else 1 if width < NARROW_CHARS * em else 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.Resize:
            self._table_resized()
        return False

    def _table_resized(self) -> None:
        """As many rows a page as the table shows without scrolling; the columns share its width."""
        self._fit_columns()
        header = self.table.horizontalHeader().height() or self.row_height
        room = self.table.height() - header - 2 * self.table.frameWidth()
        if self.table.horizontalScrollBar().isVisible():
            room -= self.table.horizontalScrollBar().height()
        fits = max(MIN_PAGE_SIZE, room // self.row_height)
        if fits != self.page_size:
            first = self.page * self.page_size
            self.page_size = fits
            self.page = first // fits
            self._resized.start()

    def _fit_columns(self) -> None:
        """Share the width the short columns leave between part, supplier and reasons (all elide), so
        the table needs no sideways scrolling."""
        header = self.table.horizontalHeader()
        fixed = sum(header.sectionSize(c) for c in range(self.model.columnCount())
                    if c not in (PART_COLUMN, SUPPLIER_COLUMN, WHY_COLUMN))
        room = max(0, self.table.viewport().width() - fixed)
        # The supplier column's own title ("From") is never cut: what it needs comes off the reasons.
        title = str(self.model.headerData(SUPPLIER_COLUMN, Qt.Orientation.Horizontal))
        bold = QFont(header.font())
        bold.setBold(True)  # floor.qss draws the titles bold
        least = QFontMetrics(bold).horizontalAdvance(title) + HEADER_PADDING_PX
        supplier = max(int(room * SUPPLIER_SHARE), least)
        self.table.setColumnWidth(PART_COLUMN, int(room * PART_SHARE))
        self.table.setColumnWidth(SUPPLIER_COLUMN, supplier)

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
        self._fit_columns()
        levels = [r.risk.level for r in result.rows]
        parts = [f"{RISK[level][0]} {levels.count(level)} {RISK[level][1].lower()}"
                 for level in (RiskLevel.STOCKOUT, RiskLevel.AT_RISK, RiskLevel.WATCH) if level in levels]
        self.summary.setText(summary_words(parts, result.total, self.query()))
        self.page_label.setText(f"Page {result.page + 1} of {result.pages}  ·  {result.total} loops")
        self.previous.setEnabled(result.page > 0)
        self.next.setEnabled(result.page + 1 < result.pages)
