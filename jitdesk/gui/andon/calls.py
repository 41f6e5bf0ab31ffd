"""One open call as a row the station panel and the board's station detail show: the type's colour and
symbol, when it was raised and how long ago (ticking), who claimed it or who is being called, and the
buttons to claim, resolve, cancel or escalate it. The row asks its owner to do things (signals); the
owner calls the services."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from jitdesk.domain.andon.call import REASONS, Call
from jitdesk.domain.andon.escalation import Escalation
from jitdesk.domain.master import CallType
from jitdesk.gui.andon.model import clock_text, ink_for
from jitdesk.gui.widgets import big_button, hint
from jitdesk.services.words import Words


def status_words(call: Call, esc: Escalation, words: Words) -> str:
    parts = []
    if call.acknowledged:
        parts.append(f"✔ claimed by {call.ack_name or 'someone'} at {words.clock(call.ack_ms or 0)}")
    else:
        parts.append("waiting for a responder")
    if esc.level:
        parts.append(f"▲ level {esc.level}: {esc.who} called")
    if esc.shelved and call.shelved_until_ms:
        parts.append(f"‖ shelved until {words.clock(call.shelved_until_ms)}")
    return "  ·  ".join(parts)


class CallRow(QFrame):
    claim = Signal(str)
    resolve = Signal(str, str, str)  # call id, reason, text
    cancel = Signal(str)
    escalate = Signal(str)
    shelve = Signal(str)

    def __init__(self, call: Call, call_type: CallType | None, words: Words, *, board: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.call = call
        self.words = words
        self.setObjectName("card")
        colour = call_type.color if call_type else "#9E9E9E"
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 12, 0)
        swatch = QLabel(call_type.symbol if call_type else "?")
        swatch.setFixedWidth(56 if board else 84)
        swatch.setStyleSheet(f"background: {colour}; color: {ink_for(colour)}; font-size: 48px; font-weight: bold;"
                             " border-top-left-radius: 10px; border-bottom-left-radius: 10px; qproperty-alignment: "
                             "AlignCenter;")
        row.addWidget(swatch)
        text = QVBoxLayout()
        text.setContentsMargins(10, 8, 0, 8)
        name = call_type.name.upper() if call_type else "?"
        self.title = QLabel(f"{name}  ·  raised {words.clock(call.raised_ms)}")
        self.title.setObjectName("sectionTitle")
        self.elapsed = QLabel()
        self.elapsed.setObjectName("callElapsed")
        self.elapsed.setStyleSheet("#callElapsed { font-size: 34px; font-weight: bold; }")
        self.state = QLabel()
        self.state.setWordWrap(True)
        text.addWidget(self.title)
        text.addWidget(self.elapsed)
        text.addWidget(self.state)
        row.addLayout(text, 1)
        buttons = QVBoxLayout()
        self.title.setWordWrap(True)
        self.claim_button = big_button("✔ Claim", primary=True)
        self.resolve_button = big_button("✓ Resolve…")
        self.cancel_button = big_button("✖ Cancel")
        self.escalate_button = big_button("▲ Escalate")
        self.shelve_button = big_button("‖ Shelve")
        self.claim_button.clicked.connect(lambda: self.claim.emit(call.call_id))
        self.resolve_button.clicked.connect(self._ask_reason)
        self.cancel_button.clicked.connect(lambda: self.cancel.emit(call.call_id))
        self.escalate_button.clicked.connect(lambda: self.escalate.emit(call.call_id))
        self.shelve_button.clicked.connect(lambda: self.shelve.emit(call.call_id))
        self.claim_button.setVisible(not call.acknowledged)
        self.cancel_button.setVisible(not call.acknowledged and not board)
        self.shelve_button.setVisible(board)
        top = QHBoxLayout()
        top.addWidget(self.claim_button)
        top.addWidget(self.resolve_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.escalate_button)
        bottom.addWidget(self.cancel_button)
        bottom.addWidget(self.shelve_button)
        buttons.addLayout(top)
        buttons.addLayout(bottom)
        if board:  # the board's side panel is narrow: the buttons go under the words
            text.addLayout(buttons)
        else:
            row.addLayout(buttons)
        self.dialog: ResolveDialog | None = None

    def tick(self, now_ms: int, esc: Escalation) -> None:
        self.elapsed.setText(f"◷ {clock_text(now_ms - self.call.raised_ms)}")
        self.state.setText(status_words(self.call, esc, self.words))

    def _ask_reason(self) -> None:
        self.dialog = ResolveDialog(self)
        self.dialog.chosen.connect(lambda reason, text: self.resolve.emit(self.call.call_id, reason, text))
        self.dialog.open()


REASON_WORDS = {"fixed": "Fixed", "material_delivered": "Material delivered", "part_replaced": "Part replaced",
                "adjusted": "Adjusted", "instructed": "Instructed", "false_alarm": "False alarm", "other": "Other"}


class ResolveDialog(QDialog):
    """Why the call is resolved: a reason from the list and free text. Opened with open()."""

    chosen = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Resolve the call")
        self.reason = QComboBox()
        for code in REASONS:
            self.reason.addItem(REASON_WORDS.get(code, code), code)
        self.text = QLineEdit()
        self.text.setMaxLength(200)
        self.text.setPlaceholderText("What was done (optional)")
        ok = big_button("✓ Resolve", primary=True)
        cancel = big_button("Back")
        ok.clicked.connect(self._ok)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint("Reason"))
        layout.addWidget(self.reason)
        layout.addWidget(self.text)
        row = QHBoxLayout()
        row.addWidget(cancel)
        row.addWidget(ok)
        layout.addLayout(row)

    def _ok(self) -> None:
        self.chosen.emit(str(self.reason.currentData()), self.text.text().strip())
        self.accept()
