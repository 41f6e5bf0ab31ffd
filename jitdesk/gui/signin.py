"""The sign-in dialog: scan a badge (supervisors and admins add their PIN), or type name and PIN.

Opened with `open()`, never `exec()`; the check runs on the DB worker through the AppContext, and
a refusal is shown in plain words inside the dialog.

While the dialog is open its badge field claims every scan (`ScanClaim` on the scan router): a badge
scanned with a wedge or serial scanner lands in the badge field and is checked at once, instead of
being taken for a kanban card. Closing the dialog gives the scans back.

Enter submits (Sign in is the dialog's one default button; Cancel never takes Enter), a refusal
stays in the dialog, every field is cleared each time it opens, and an on-screen PIN pad with
glove-sized keys types into the PIN field for stations that have no keyboard. `reason` (set by
`open_for`) tells the person why they are asked, e.g. "Printing cards needs an admin".

At any font scale the PIN pad, the message and the buttons are always whole; only the fields beside
the pad scroll when the room is short (a pad inside that scroll area once lost taps: a message shrank
the area and hid its bottom row under the message).
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from jitdesk.gui.context import AppContext
from jitdesk.gui.scan_claim import ScanClaim
from jitdesk.gui.widgets import big_button, hint
from jitdesk.gui.widgets.fit import fit_area
from jitdesk.gui.widgets.form_message import FormMessage
from jitdesk.gui.widgets.pin_pad import ERASE, OK, PinPad
from jitdesk.runtime.scan_router import Scan
from jitdesk.services import signin
from jitdesk.services.signin import SignedIn

BADGE_TAB, NAME_TAB = 0, 1
MESSAGE_LINES = 2  # the room kept for a refusal
MESSAGE_FRAME_PX = 22  # the message's padding and border (floor.qss #formMessage)


class SignInDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("signInDialog")
        self.setWindowTitle("Sign in")
        self.tabs = QTabWidget()
        # Badge tab: a scanner types the badge and Enter.
        self.badge = QLineEdit()
        self.badge.setPlaceholderText("scan or type your badge")
        self.badge_pin = _pin_field()
        badge_page = QWidget()
        form = QFormLayout(badge_page)
        form.addRow("Badge", self.badge)
        form.addRow("PIN", self.badge_pin)
        form.addRow(hint("Operators: the badge is enough. Supervisors and admins: add your PIN."))
        self.tabs.addTab(badge_page, "Scan badge")
        # Name tab.
        self.name = QLineEdit()
        self.name.setPlaceholderText("your name as registered")
        self.name_pin = _pin_field()
        name_page = QWidget()
        form = QFormLayout(name_page)
        form.addRow("Name", self.name)
        form.addRow("PIN", self.name_pin)
        self.tabs.addTab(name_page, "Name + PIN")
        self.reason = QLabel("")
        self.reason.setObjectName("pageHint")
        self.reason.setWordWrap(True)
        self.reason.hide()
        self.message = FormMessage()
        self.sign_in_button = big_button("Sign in", primary=True)
        self.cancel_button = big_button("Cancel")
        self.sign_in_button.setObjectName("signInSubmit")
        self.cancel_button.setObjectName("signInCancel")
        # Enter anywhere in the dialog presses Sign in, and only Sign in.
        self.sign_in_button.setDefault(True)
        self.sign_in_button.setAutoDefault(True)
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.setDefault(False)
        buttons = self.button_row = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.sign_in_button)
        self.pad = PinPad()
        self.pad_buttons: dict[str, QPushButton] = dict(self.pad.keys)
        self.pad.pressed.connect(self.press_pad)
        # The fields scroll when the room is short; the PIN pad beside them is always whole (a key half
        # under the message or the buttons would take a tap for something else), and the message and
        # the buttons below stay in view.
        fields = QWidget()
        column = QVBoxLayout(fields)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.reason)
        column.addWidget(self.tabs)
        column.addStretch(1)
        self.fields = fields
        self.fields_area = fit_area(fields)
        body = QHBoxLayout()
        body.addWidget(self.fields_area, 1)
        body.addWidget(self.pad)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.sign_in_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        self.tabs.currentChanged.connect(lambda _i: self._focus_first())
        self.resize(860, 520)
        self.busy = False
        self.scan_claim = ScanClaim(ctx.router, self, "sign-in badge field", self.take_badge)

    def wanted_size(self) -> QSize:
        """The size that shows every field and the whole PIN pad at its preferred size without scrolling."""
        for widget in (self, self.fields, *self.findChildren(QWidget)):
            widget.ensurePolished()  # the theme's sizes, also before the first show
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        margins = layout.contentsMargins()
        inner = self.fields.layout()
        fields = inner.minimumSize() if inner is not None else self.fields.minimumSizeHint()
        bar = self.fields_area.verticalScrollBar().sizeHint().width()  # a short window
        pad = self.pad.sizeHint()
        width = fields.width() + bar + layout.spacing() + pad.width()
        height = max(fields.height(), pad.height())
        width = max(width, self.button_row.sizeHint().width())
        height += layout.spacing() + self.button_row.sizeHint().height()
        # Room for a message of two lines, shown or not: one coming later must not squeeze the fields.
        shown = self.message.heightForWidth(width) if not self.message.isHidden() else 0
        height += layout.spacing() + max(shown, MESSAGE_LINES * self.message.fontMetrics().height()
                                         + MESSAGE_FRAME_PX)
        return QSize(width + margins.left() + margins.right(), height + margins.top() + margins.bottom())

    def pin_field(self) -> QLineEdit:
        """The PIN field of the tab in use (the PIN pad types into it)."""
        return self.badge_pin if self.tabs.currentIndex() == BADGE_TAB else self.name_pin

    def press_pad(self, key: str) -> None:
        field = self.pin_field()
        if key == ERASE:
            field.backspace()
        elif key == OK:
            self.submit()
            return
        elif len(field.text()) < field.maxLength():
            field.insert(key)
        field.setFocus()

    def clear(self) -> None:
        """A fresh dialog: no fields, no message, the badge tab."""
        for field in (self.badge, self.badge_pin, self.name, self.name_pin):
            field.clear()
        self.message.clear_message()
        self.tabs.setCurrentIndex(BADGE_TAB)

    def open(self) -> None:
        if not self.isVisible():
            self.clear()
            self.set_reason("")
        super().open()
        self._focus_first()

    def set_reason(self, text: str) -> None:
        """Why the person is asked to sign in ("Printing cards needs an admin"), shown on top."""
        self.reason.setText(text)
        self.reason.setVisible(bool(text))

    def take_badge(self, scan: Scan | str, words: str = "") -> None:
        """A scanned badge: into the badge field and checked at once (`words`: a refusal to show)."""
        code = scan.code if isinstance(scan, Scan) else scan
        self.tabs.setCurrentIndex(BADGE_TAB)
        self.badge.setText(code.strip())
        self.badge_pin.clear()
        if words:
            self.message.problem(words)
            self.badge_pin.setFocus()
            return
        self.submit()

    def _focus_first(self) -> None:
        (self.badge if self.tabs.currentIndex() == BADGE_TAB else self.name).setFocus()

    def submit(self) -> None:
        if self.busy:
            return
        self.message.clear_message()
        if self.tabs.currentIndex() == BADGE_TAB:
            badge = self.badge.text().strip()
            if not badge:
                self.message.problem("Scan or type your badge first.")
                return
            pin = self.badge_pin.text().strip() or None
            self._start(signin.by_badge, badge, pin)
        else:
            name, pin_text = self.name.text().strip(), self.name_pin.text().strip()
            if not name or not pin_text:
                self.message.problem("Type your name and your PIN.")
                return
            self._start(signin.by_name, name, pin_text)

    def _start(self, fn: object, *args: object) -> None:
        self.busy = True
        self.sign_in_button.setEnabled(False)
        self.ctx.submit(fn, *args, on_done=self._signed_in, on_error=self._refused)  # type: ignore[arg-type]

    def _signed_in(self, user: SignedIn) -> None:
        self.busy = False
        self.sign_in_button.setEnabled(True)
        self.ctx.sign_in(user)
        for field in (self.badge, self.badge_pin, self.name, self.name_pin):
            field.clear()
        self.accept()

    def _refused(self, text: str) -> None:
        self.busy = False
        self.sign_in_button.setEnabled(True)
        self.message.problem(text)
        if self.tabs.currentIndex() == BADGE_TAB and "PIN" in text:
            self.badge_pin.setFocus()
        for field in (self.badge_pin, self.name_pin):
            field.clear()


def _pin_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(12)
    field.setPlaceholderText("4 to 12 digits")
    return field
