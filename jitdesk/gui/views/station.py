"""Station view: scan answers read from a metre away, the last scans, and this station's loops.

Every scan (serial scanner, keyboard wedge, or a code typed in the box at the bottom) goes through the
app's `ScanPipeline`; its answer flashes full width in colour with a symbol and words, and the sound
plays. The scanner's state is always in words under the flash ("scanner disconnected: /dev/ttyUSB0
(trying to reconnect)"). The lists reload from `ctx.changed` when cards, loops or the scan log moved.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jitdesk.gui import theme
from jitdesk.gui.context import AppContext
from jitdesk.gui.kanban.flash import ScanFlash
from jitdesk.gui.models.scans import ScanListModel
from jitdesk.gui.models.station_loops import StationLoopsModel
from jitdesk.gui.scanning import pipeline_for
from jitdesk.gui.touch import fit_header, fit_rows
from jitdesk.gui.widgets import big_button, page_title, restyle, section_title
from jitdesk.gui.widgets.page import ReloadingPage
from jitdesk.gui.words import answer, qt_words
from jitdesk.services.kanban.scanning import ScanOutcome
from jitdesk.services.kanban.station import ScanLogRecord, StationPanel, station_panel
from jitdesk.services.uow import wall_clock_ms

SCANS_SHOWN = 12
STACKED_SCALE = 2.0  # from this ui.font_scale on, the scans and the loops sit one above the other
FLASH_FULL_WIDTH = 1500  # the scan answer's type is full size on a page this wide, smaller below
FLASH_SMALLEST = 0.6
_STATUS_STYLE = {
    "connected": ("●", "#00C853"), "wedge": ("●", "#00C853"), "off": ("○", "#8A97A6"),
    "connecting": ("◌", "#FFD600"), "reconnecting": ("⚠", "#FF6D00"), "disconnected": ("⚠", "#FF6D00"),
    "stopped": ("○", "#8A97A6"),
}


def create_view(ctx: AppContext) -> QWidget:
    return StationView(ctx)


def table(model: ScanListModel | StationLoopsModel, stretch: int) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    rows = fit_rows(view, theme.touch_target())  # from the font (ui.font_scale), at least a touch target
    view.setMinimumHeight(rows * 2)  # two rows and the header show on the smallest screen; more scroll
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setStyleSheet("QHeaderView::section { padding: 8px 8px; } QTableView::item { padding: 4px 8px; }")
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    fit_header(view)
    return view


class StationView(ReloadingPage):
    WATCHES = ("card", "loop", "scan_log", "station", "part", "local_settings")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.pipeline = pipeline_for(ctx)
        self.title = page_title("▣  Station")
        self.flash = ScanFlash()
        self.scanner = QLabel()
        self.scanner.setObjectName("scannerStatus")
        self.scanner.setWordWrap(True)
        self.scans = ScanListModel()
        self.loops = StationLoopsModel()
        self.scan_table = table(self.scans, 3)
        self.loop_table = table(self.loops, 0)
        for widget in (self.scan_table, self.loop_table):
            # The two lists share the width evenly, whatever their columns would like.
            widget.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        self.entry = QLineEdit()
        self.entry.setPlaceholderText("Type a card code, e.g. K000001W, if the scanner cannot read it")
        self.entry.setMaxLength(64)
        self.entry.returnPressed.connect(self.record_typed)
        self.record_button = big_button("✔  Record", primary=True)
        self.record_button.clicked.connect(self.record_typed)

        # large type: the two lists one above the other, each with the page's width
        lists: QBoxLayout = QHBoxLayout() if theme.font_scale() < STACKED_SCALE else QVBoxLayout()
        left = QVBoxLayout()
        left.addWidget(section_title("Last scans here"))
        left.addWidget(self.scan_table, 1)
        right = QVBoxLayout()
        self.loops_title = section_title("Loops at this station")
        right.addWidget(self.loops_title)
        right.addWidget(self.loop_table, 1)
        lists.addLayout(left, 1)
        lists.addSpacing(18)
        lists.addLayout(right, 1)
        typed = QHBoxLayout()
        typed.addWidget(self.entry, 1)
        typed.addWidget(self.record_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 16, 28, 16)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(self.flash)
        layout.addWidget(self.scanner)
        layout.addLayout(lists, 1)
        layout.addLayout(typed)

        self.pipeline.scanned.connect(self.on_scanned)
        self.flash.watch(ctx.router)  # "checking" from the moment a scanner's code is handed over
        self.pipeline.scanner_status.connect(self.show_scanner)
        self.show_scanner(self.pipeline.state, self.pipeline.status_message)
        self._loading = False
        self._dirty = False
        self.panel: StationPanel | None = None
        self.load()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # The answer's giant type shrinks with a narrow page, so "EMPTIED" stays on one line.
        self.flash.set_scale(max(FLASH_SMALLEST, min(1.0, event.size().width() / FLASH_FULL_WIDTH)))

    # -- data ---------------------------------------------------------------------------------------
    def load(self) -> None:
        if self._loading:  # a burst of scans: one more load after the running one, not one per scan
            self._dirty = True
            return
        self._loading = True
        self.ctx.submit(station_panel, now_ms=wall_clock_ms(), scans=SCANS_SHOWN, on_done=self.show_panel,
                        on_error=self._load_failed)

    def _load_failed(self, message: str) -> None:
        self._loading = False
        self.ctx.notify(message)

    def show_panel(self, panel: StationPanel) -> None:
        self._loading = False
        self.panel = panel
        self.scans.words = qt_words(panel.words)
        if panel.station_id is None or not panel.station_code:
            self.title.setText("▣  No station chosen: an admin picks one in Admin, This station")
        else:
            self.title.setText(f"▣  Station {panel.station_code}  {panel.station_name}  ({panel.role})")
        self.scans.set_rows(panel.scans)
        self.loops.set_rows(panel.loops)
        short = sum(1 for loop in panel.loops if loop.full == 0 and loop.cards)
        words = f"Loops at this station ({len(panel.loops)})"
        if short:
            words += f": ✖ {short} with no full card"
        self.loops_title.setText(words)
        if self._dirty:
            self._dirty = False
            self.load()

    # -- scans --------------------------------------------------------------------------------------
    def on_scanned(self, outcome: ScanOutcome) -> None:
        self.flash.show_result(outcome.tone, outcome.result, answer(self.scans.words, outcome.note, outcome.message),
                               card=outcome.card_code, at_ms=outcome.at_ms)
        if outcome.log_id and (not self.scans.rows or self.scans.rows[0].id < outcome.log_id):
            # show it at once; the reload that follows brings the committed list
            record = ScanLogRecord(outcome.log_id, outcome.at_ms, outcome.station_id, outcome.source, outcome.text,
                                   outcome.result, outcome.tone, outcome.message, outcome.card_id, outcome.event_id,
                                   outcome.note)
            self.scans.set_rows([record, *self.scans.rows][:SCANS_SHOWN])

    def record_typed(self) -> None:
        text = self.entry.text().strip()
        if text:
            self.entry.clear()
            self.pipeline.submit(text, "manual")

    def show_scanner(self, state: str, message: str) -> None:
        symbol, colour = _STATUS_STYLE.get(state, ("○", "#8A97A6"))
        self.scanner.setText(f"{symbol}  {message}")
        self.scanner.setProperty("state", state)
        self.scanner.setStyleSheet(f"#scannerStatus {{ color: {colour}; font-weight: bold; border: 3px solid {colour};"
                                   " border-radius: 8px; padding: 6px 14px; }")
        restyle(self.scanner)
