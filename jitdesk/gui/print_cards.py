"""The Print cards dialog: choose loops (or all), reprint or not, where to save the PDF, and print.

Open it with `open()` (never `exec()`): `PrintCardsDialog(ctx, loop_ids=[...], parent=view).open()`;
a view keeps one and calls `prepare(loop_ids)` before each `open()`.
The loop list and the print itself run on the DB worker through the AppContext; the print's
`PrintReport` carries the `Changes`, so every view that shows print state reloads. Known problems
(nothing to print, the folder cannot be written, not signed in as an admin) are shown inside the
dialog in plain words. The file chooser is a non-blocking `QFileDialog.open()` as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jitdesk.gui import theme
from jitdesk.gui.context import AppContext
from jitdesk.gui.widgets import big_button, hint, section_title
from jitdesk.gui.widgets.fit import fit_area, fit_dialog
from jitdesk.gui.widgets.form_message import FormMessage
from jitdesk.resources import resource
from jitdesk.services.card_printing import LoopChoice, PrintReport, print_cards, printable_loops

LOOP_ID_ROLE = Qt.ItemDataRole.UserRole
PREFERRED_SIZE = (900, 860)  # or less: never taller or wider than the window's screen


def default_pdf_path(now: datetime | None = None) -> Path:
    """kanban-cards-<date>-<time>.pdf in the user's documents folder (home when there is none)."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M")
    return Path(folder or Path.home()) / f"kanban-cards-{stamp}.pdf"


def _list_style(ctx: AppContext) -> str:
    """Glove-sized tick boxes in the loop list, drawn like the theme's QCheckBox (the theme styles
    checkboxes, not the indicators of item views)."""
    check = theme.sizes(ctx.settings.ui.font_scale)["check"]
    tick = resource("themes", "check.svg").as_posix()
    return (f"QListWidget::item {{ padding: 6px 4px; min-height: {theme.touch_target()}px; }}"
            f"QListWidget::indicator {{ width: {check}px; height: {check}px; border: 3px solid #C7D0DA;"
            f" border-radius: 6px; background: #1A2029; }}"
            f"QListWidget::indicator:checked {{ background: {theme.ACCENT}; border-color: #FFFFFF;"
            f" image: url({tick}); }}")


class PrintCardsDialog(QDialog):
    printed = Signal(object)  # PrintReport, after a print was written and recorded

    def __init__(self, ctx: AppContext, loop_ids: Sequence[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("printCardsDialog")
        self.setWindowTitle("Print kanban cards")
        self._preselected = set(loop_ids)
        self.busy = False
        self.last_report: PrintReport | None = None
        self._file_dialog: QFileDialog | None = None

        self.all_loops = QCheckBox("All active loops")
        self.all_loops.setChecked(not self._preselected)
        self.loop_list = QListWidget()
        self.loop_list.setObjectName("printLoopList")
        self.loop_list.setMinimumHeight(180)
        self.loop_list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.loop_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.loop_list.setStyleSheet(_list_style(ctx))
        self.reprint = QCheckBox("Reprint every card")
        self.reprint.setToolTip("Print every card again, not only the never-printed ones")
        self.out = QLineEdit(str(default_pdf_path()))
        self.out.setObjectName("printOutFile")
        self.choose_button = big_button("Choose…")
        self.message = FormMessage()
        self.print_button = big_button("Print cards", primary=True)
        self.open_button = big_button("Open the PDF")
        self.open_button.hide()
        self.close_button = big_button("Close")

        out_row = QHBoxLayout()
        out_row.addWidget(self.out, 1)
        out_row.addWidget(self.choose_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.print_button)
        body = QWidget()
        form = QVBoxLayout(body)
        form.setContentsMargins(0, 0, 0, 0)
        form.addWidget(section_title("Which loops"))
        form.addWidget(self.all_loops)
        form.addWidget(self.loop_list, 1)
        form.addWidget(self.reprint)
        form.addWidget(hint("Only never-printed cards, unless reprint: a reprint is marked \"REPRINT n\". "
                            "8 cards to an A4 page; cut along the marks."))
        form.addWidget(section_title("Save the PDF as"))
        form.addLayout(out_row)
        form.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.addWidget(fit_area(body), 1)  # a large font_scale on a small screen: the form scrolls
        layout.addLayout(buttons)  # the buttons stay in view

        self.all_loops.toggled.connect(self._all_toggled)
        self.choose_button.clicked.connect(self.choose_file)
        self.print_button.clicked.connect(self.submit)
        self.open_button.clicked.connect(self.open_pdf)
        self.close_button.clicked.connect(self.reject)
        fit_dialog(self, *PREFERRED_SIZE)
        self._all_toggled(self.all_loops.isChecked())
        self.load()

    def prepare(self, loop_ids: Sequence[str] = ()) -> None:
        """Make a reused dialog fresh before `open()`: tick `loop_ids` (none: all active loops), new
        file name in the same folder, no old message; the loop list reloads."""
        if self.busy:
            return
        self._preselected = set(loop_ids)
        self.all_loops.setChecked(not self._preselected)
        self.reprint.setChecked(False)
        folder = Path(self.out.text().strip() or default_pdf_path()).expanduser().parent
        self.out.setText(str(folder / default_pdf_path().name))
        self.message.clear_message()
        self.open_button.hide()
        self.loop_list.clear()
        self.load()

    def showEvent(self, event: QShowEvent) -> None:
        fit_dialog(self, *PREFERRED_SIZE)  # the parent window is on screen now: fit its size
        super().showEvent(event)

    def reject(self) -> None:
        # Not while a print runs: its result must land in a living dialog (and be seen).
        if not self.busy:
            super().reject()

    # -- the loop list --------------------------------------------------------------------------
    def load(self) -> None:
        self.ctx.submit(printable_loops, on_done=self._show_loops, on_error=self.message.problem)

    def _show_loops(self, choices: list[LoopChoice]) -> None:
        keep = self.chosen_loop_ids() if self.loop_list.count() else self._preselected
        self.loop_list.clear()
        for choice in choices:
            fresh = f"{choice.unprinted} never printed" if choice.unprinted else "all printed"
            name = f" {choice.part_name}" if choice.part_name else ""
            text = f"{choice.code}  ·  {choice.part_number}{name}  ·  {choice.cards} cards, {fresh}"
            item = QListWidgetItem(text)
            item.setData(LOOP_ID_ROLE, choice.loop_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if choice.loop_id in keep else Qt.CheckState.Unchecked)
            self.loop_list.addItem(item)
        if not choices:
            self.message.problem("There is no active loop to print cards for.")

    def _all_toggled(self, checked: bool) -> None:
        self.loop_list.setEnabled(not checked)

    def chosen_loop_ids(self) -> list[str]:
        return [str(item.data(LOOP_ID_ROLE)) for item in map(self.loop_list.item, range(self.loop_list.count()))
                if item.checkState() == Qt.CheckState.Checked]

    def set_loops_checked(self, loop_ids: Sequence[str]) -> None:
        wanted = set(loop_ids)
        self.all_loops.setChecked(False)
        for item in map(self.loop_list.item, range(self.loop_list.count())):
            checked = item.data(LOOP_ID_ROLE) in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    # -- the output file ------------------------------------------------------------------------
    def choose_file(self) -> QFileDialog:
        """A non-blocking save dialog; the chosen file lands in the file field."""
        dialog = QFileDialog(self, "Save kanban cards as", self.out.text().strip() or str(default_pdf_path()))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter("PDF files (*.pdf)")
        dialog.setDefaultSuffix("pdf")
        dialog.fileSelected.connect(self.set_out_file)
        dialog.finished.connect(dialog.deleteLater)
        self._file_dialog = dialog
        dialog.open()
        return dialog

    def set_out_file(self, path: str) -> None:
        if path:
            self.out.setText(path)

    # -- printing -------------------------------------------------------------------------------
    def submit(self) -> None:
        if self.busy:
            return
        self.message.clear_message()
        self.open_button.hide()
        text = self.out.text().strip()
        if not text:
            self.message.problem("Choose where to save the PDF first.")
            return
        out = Path(text).expanduser()
        if out.suffix.lower() != ".pdf":
            out = out.with_name(out.name + ".pdf")
            self.out.setText(str(out))
        loop_ids: list[str] | None = None
        if not self.all_loops.isChecked():
            loop_ids = self.chosen_loop_ids()
            if not loop_ids:
                self.message.problem("Tick at least one loop, or choose all active loops.")
                return
        self.busy = True
        self.print_button.setEnabled(False)
        self.close_button.setEnabled(False)
        self.ctx.submit(print_cards, loop_ids=loop_ids, reprint=self.reprint.isChecked(), out=out,
                        actor=self.ctx.actor, on_done=self._done, on_error=self._refused)

    def _idle(self) -> None:
        self.busy = False
        self.print_button.setEnabled(True)
        self.close_button.setEnabled(True)

    def _done(self, report: PrintReport) -> None:
        self._idle()
        self.last_report = report
        cards = f"{report.cards} card{'s' * (report.cards != 1)} of {report.loops} loop{'s' * (report.loops != 1)}"
        pages = f"{report.pages} page{'s' * (report.pages != 1)}"
        self.message.info(f"Printed {cards} on {pages} to {report.out}. Open it to send it to the printer.")
        self.open_button.show()
        self.printed.emit(report)
        self.load()  # the never-printed counts changed

    def _refused(self, text: str) -> None:
        self._idle()
        self.message.problem(text)

    def open_pdf(self) -> None:
        """Hand the PDF to the desktop's viewer, from which it is sent to the printer."""
        if self.last_report is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_report.out)))
