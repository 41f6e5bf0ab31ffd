"""Andon page (simple until the andon issue): the call types, each with its colour, shape and words.

Colour is never the only signal: each card shows the type's name, code, escalation steps and
whether it needs acknowledging, beside a big colour swatch.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from jitdesk.domain.master import CallType
from jitdesk.gui.context import AppContext
from jitdesk.gui.widgets import hint, page_title
from jitdesk.gui.widgets.page import ReloadingPage
from jitdesk.services import master
from jitdesk.services.master import Record

COLUMNS = 2


def create_view(ctx: AppContext) -> QWidget:
    return AndonPage(ctx)


def escalation_words(minutes: tuple[int, ...]) -> str:
    if not minutes:
        return "No escalation"
    return "Escalates after " + " → ".join(f"{m} min" for m in minutes)


class AndonPage(ReloadingPage):
    WATCHES = ("call_type",)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(36, 24, 36, 24)
        layout.addWidget(page_title("⚑  Andon call types"))
        layout.addWidget(hint("Any station can raise these calls without signing in. "
                              "Live calls and timers arrive with the andon board."))
        self._grid_host = QWidget()
        self._grid = QGridLayout(self._grid_host)
        self._grid.setSpacing(18)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._grid_host)
        layout.addWidget(scroll, 1)
        self.cards: list[QFrame] = []
        self.load()

    def load(self) -> None:
        self.ctx.submit(master.records, CallType, on_done=self.show_types)

    def show_types(self, records: list[Record[CallType]]) -> None:
        for card in self.cards:
            card.deleteLater()
        self.cards = []
        active = [r for r in records if r.value.active]
        for i, record in enumerate(active):
            card = _card(record.value)
            self._grid.addWidget(card, i // COLUMNS, i % COLUMNS)
            self.cards.append(card)
        if not active:
            empty = QFrame()
            QVBoxLayout(empty).addWidget(QLabel("No andon call types yet: an admin adds them in Admin."))
            self._grid.addWidget(empty, 0, 0)
            self.cards.append(empty)
        self._grid.setRowStretch(len(active) // COLUMNS + 1, 1)


def _card(call: CallType) -> QFrame:
    card = QFrame()
    card.setObjectName("card")
    row = QHBoxLayout(card)
    row.setContentsMargins(0, 0, 18, 0)
    swatch = QLabel()
    swatch.setFixedWidth(56)
    swatch.setStyleSheet(f"background: {call.color}; border-top-left-radius: 10px;"
                         " border-bottom-left-radius: 10px;")
    row.addWidget(swatch)
    text = QVBoxLayout()
    text.setContentsMargins(8, 14, 0, 14)
    name = QLabel(f"{call.name.upper()}")
    name.setObjectName("sectionTitle")
    text.addWidget(name)
    for line in (f"Code {call.code}  ·  colour {call.color.upper()}", escalation_words(call.escalate_minutes),
                 "Needs acknowledging" if call.needs_ack else "No acknowledgement needed"):
        label = QLabel(line)
        label.setWordWrap(True)
        text.addWidget(label)
    row.addLayout(text, 1)
    return card
