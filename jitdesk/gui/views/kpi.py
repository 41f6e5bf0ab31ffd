"""KPI page (simple until the KPI issue): how many events were recorded, by kind and per day."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from jitdesk.gui import theme
from jitdesk.gui.context import AppContext
from jitdesk.gui.widgets import hint, page_title, section_title
from jitdesk.gui.widgets.bars import BarChart
from jitdesk.gui.widgets.page import ReloadingPage
from jitdesk.services.overview import EventOverview, event_overview

STACKED_SCALE = 1.5  # from this ui.font_scale on, the charts sit below the total


def create_view(ctx: AppContext) -> QWidget:
    return KpiPage(ctx)


def kind_words(kind: str) -> str:
    """'master.part.upserted' -> 'Part saved (master data)'; 'kanban.card.emptied' -> 'Kanban card emptied'."""
    parts = kind.replace("_", " ").split(".")
    if parts[0] == "master" and len(parts) == 3 and parts[2] == "upserted":
        return f"{parts[1].capitalize()} saved (master data)"
    return " ".join(parts).capitalize()


class KpiPage(ReloadingPage):
    WATCHES = ()  # every change adds events; hidden, the page only marks itself stale (ReloadingPage)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(36, 24, 36, 24)
        layout.addWidget(page_title("▤  Activity"))
        layout.addWidget(hint("Everything recorded at this station, as events in its log."))
        self.note = hint("")  # shown when the log starts at a server snapshot
        self.note.hide()
        layout.addWidget(self.note)
        total_card = QFrame()
        total_card.setObjectName("card")
        total_layout = QVBoxLayout(total_card)
        total_layout.setContentsMargins(24, 12, 24, 12)
        self.total = QLabel("…")
        self.total.setObjectName("bigNumber")
        total_layout.addWidget(self.total)
        total_layout.addWidget(QLabel("events in the log"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(40)
        grid.addWidget(total_card, 1, 0, Qt.AlignmentFlag.AlignTop)
        # large type: the charts below the total, with the page's width for their labels
        row, column = (2, 0) if theme.font_scale() >= STACKED_SCALE else (0, 1)
        grid.addWidget(section_title("By kind"), row, column)
        self.by_kind = BarChart()
        grid.addWidget(self.by_kind, row + 1, column)
        self.day_title = section_title("Per day")
        grid.addWidget(self.day_title, row + 2, column)
        self.by_day = BarChart()
        grid.addWidget(self.by_day, row + 3, column)
        grid.setColumnStretch(column, 1)
        layout.addLayout(grid)
        layout.addStretch(1)
        self.load()

    def load(self) -> None:
        self.ctx.submit(event_overview, on_done=self.show_overview)

    def show_overview(self, overview: EventOverview) -> None:
        self.total.setText(f"{overview.total:,}")
        self.by_kind.set_rows([(kind_words(kind), n) for kind, n in overview.by_kind])
        self.by_day.set_rows(overview.by_day)
        self.day_title.setText(f"Per day ({overview.zone})")  # the plant's days, in its time zone
        self.note.setText(f"Note: {overview.note}" if overview.note else "")
        self.note.setVisible(bool(overview.note))
