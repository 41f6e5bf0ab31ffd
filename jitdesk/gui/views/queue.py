"""Replenishment queue (material handlers): every card awaiting replenishment, late and oldest first,
grouped by supplier location, with due times. Scanning here moves cards along: scans go through the
same pipeline as at the station view, and their answer flashes at the top of this page.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from jitdesk.gui import theme, touch
from jitdesk.gui.context import AppContext
from jitdesk.gui.kanban.flash import BANNER, ScanFlash
from jitdesk.gui.models.queue import QueueModel
from jitdesk.gui.scanning import pipeline_for
from jitdesk.gui.widgets import big_button, page_title, shrinkable
from jitdesk.gui.widgets.fit import ElidedLabel
from jitdesk.gui.widgets.page import ReloadingPage
from jitdesk.gui.words import answer
from jitdesk.services.kanban.board import BoardChoices, board_choices
from jitdesk.services.kanban.queue import DEFAULT_LIMIT, Queue, replenishment_queue
from jitdesk.services.kanban.scanning import ScanOutcome
from jitdesk.services.uow import wall_clock_ms

REFRESH_MS = 30_000
ALL_SUPPLIERS = "All suppliers"  # as on the kanban board
STACKED_SCALE = 2.0  # from this ui.font_scale on, the supplier filter and the typed entry get rows of their own
RECORD_FRAME_PX = 22  # the theme's button padding and border, above and below its text


def create_view(ctx: AppContext) -> QWidget:
    return QueueView(ctx)


class QueueView(ReloadingPage):
    WATCHES = ("card", "loop", "part", "station")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.pipeline = pipeline_for(ctx)
        self.model = QueueModel()
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setIndentation(28)
        rows = touch.row_height(self.tree.fontMetrics(), theme.touch_target())  # from the font, >= 15 mm
        self.tree.setStyleSheet("QTreeView { alternate-background-color: #171D27; }"
                                f" QTreeView::item {{ min-height: {rows}px; padding: 0 12px; }}")
        header = self.tree.header()
        # The header and two rows on the smallest screen at the largest type: the page scrolls for the rest.
        self.tree.setMinimumHeight(header.sizeHint().height() + rows * 2 + 2 * self.tree.frameWidth())
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        touch.fit_header(self.tree)
        # as wide as the longest due text, from the font (a fixed 360 px squeezed the part off a small screen)
        due_font = QFont(self.tree.font())
        due_font.setBold(True)  # the due cell is bold
        self.tree.setColumnWidth(0, QFontMetrics(due_font).horizontalAdvance("▲ LATE 23 h 59 min")
                                 + self.tree.indentation() + 48)
        # As many rows as the screen allows (8 and more at 1280x800): the title, the count and the
        # supplier filter share one row, the scan answer and the typed entry the next.
        self.flash = ScanFlash(size=BANNER, hint_text="Scan a card")
        large = theme.font_scale() > 1.0  # larger type: the count gets a row of its own and wraps
        self.summary: QLabel = QLabel("") if large else ElidedLabel("")
        self.summary.setWordWrap(large)
        self.summary.setStyleSheet("font-weight: bold;")
        self.supplier = QComboBox()
        self.supplier.addItem(ALL_SUPPLIERS, None)
        shrinkable(self.supplier, len(ALL_SUPPLIERS))  # its first choice whole
        self.supplier.currentIndexChanged.connect(lambda _i: self.load())
        self.entry = QLineEdit()
        self.entry.setPlaceholderText("Type a card code if the scanner cannot read it")
        self.entry.returnPressed.connect(self.record_typed)
        record = big_button("✔  Record")
        record.clicked.connect(self.record_typed)
        # a whole touch target and no more (the theme's buttons are taller at 1.0: rows are worth more here)
        record.setStyleSheet(f"min-height: {max(0, theme.touch_target() - RECORD_FRAME_PX)}px;")
        top = QHBoxLayout()
        top.addWidget(page_title("☰  Queue"))
        counts = top
        if large:  # never "10…"
            counts = QHBoxLayout()
            top.addStretch(1)
        counts.addWidget(self.summary, 1)
        huge = theme.font_scale() >= STACKED_SCALE  # the supplier filter and the entry get rows of their own
        filters = QHBoxLayout() if huge else top
        filters.addWidget(self.supplier, 1 if huge else 0)
        scan = QHBoxLayout()
        scan.addWidget(self.flash, 3)
        typing = QHBoxLayout() if huge else scan
        typing.addWidget(self.entry, 2)
        scan.addWidget(record)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 4, 24, 4)
        layout.setSpacing(6)
        layout.addLayout(top)
        if counts is not top:
            layout.addLayout(counts)
        if filters is not top:
            layout.addLayout(filters)
        layout.addLayout(scan)
        if typing is not scan:
            layout.addLayout(typing)
        layout.addWidget(self.tree, 1)
        self.pipeline.scanned.connect(self.on_scanned)
        self.flash.watch(ctx.router)  # "checking" from the moment a scanner's code is handed over
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh_if_shown)
        self._timer.start()
        self.ctx.submit(board_choices, on_done=self.show_choices)
        self.load()

    def load(self) -> None:
        self.ctx.submit(replenishment_queue, now_ms=wall_clock_ms(), limit=DEFAULT_LIMIT,
                        supplier_location=self.supplier.currentData(), on_done=self.show_queue)

    def show_choices(self, choices: BoardChoices) -> None:
        self.supplier.blockSignals(True)
        for location in choices.suppliers:
            self.supplier.addItem(location, location)
        self.supplier.blockSignals(False)

    def show_queue(self, queue: Queue) -> None:
        self.model.set_queue(queue)
        root = self.tree.rootIndex()
        for row in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(row, root, True)  # the group's header runs across the page
        self.tree.expandAll()
        shown = self.model.card_rows()
        more = f" (the first {shown} shown)" if shown < queue.total else ""
        late = f", ▲ {queue.late} late" if queue.late else ""
        self.summary.setText(f"{queue.total} card(s) awaiting replenishment{late}{more}")

    def on_scanned(self, outcome: ScanOutcome) -> None:
        self.flash.show_result(outcome.tone, outcome.result, answer(self.model.words, outcome.note, outcome.message),
                               card=outcome.card_code, at_ms=outcome.at_ms)

    def record_typed(self) -> None:
        text = self.entry.text().strip()
        if text:
            self.entry.clear()
            self.pipeline.submit(text, "manual")
