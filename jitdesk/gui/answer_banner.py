"""The scan answer on every view: a slim strip under the header, owned by the main window.

Station and Queue have their own big flash; on every other view (kanban board, andon, takt, KPI,
admin, sync) a worker who scans still sees the answer: colour, symbol, headline and the plain words,
then the calm "EMPTIED · 12 s ago" (see `jitdesk.gui.kanban.flash`). The sound is the pipeline's,
played once per scan whichever view is open.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from jitdesk.gui.context import AppContext
from jitdesk.gui.kanban.flash import BANNER, ScanFlash
from jitdesk.gui.scanning import pipeline_for
from jitdesk.services.kanban.scanning import ScanOutcome


class AnswerBanner(ScanFlash):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, size=BANNER, hint_text="Scan a card: its answer shows here on every view")
        self.setObjectName("scanFlash")
        self.setAccessibleName("scan answer")
        pipeline_for(ctx).scanned.connect(self.on_scanned)
        self.watch(ctx.router)

    def on_scanned(self, outcome: ScanOutcome) -> None:
        self.show_result(outcome.tone, outcome.result, outcome.message, card=outcome.card_code,
                         at_ms=outcome.at_ms)

    def follow(self, page: QWidget) -> None:
        """Hidden on a view that shows the answer in its own big flash."""
        self.setVisible(not isinstance(getattr(page, "flash", None), ScanFlash))
