"""The Demand tab's CSV import: choose a file, see what it holds (the good rows in a table, each bad row
in plain words with its line number), then import the good rows. The check is the one `jitdesk takt
demand --csv` makes (services.takt.demand.check_csv); importing checks the file again as it is then."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QListWidget, QSizePolicy, QVBoxLayout, QWidget

from jitdesk.domain.auth import Role
from jitdesk.domain.errors import BadInput
from jitdesk.gui.context import AppContext
from jitdesk.gui.role_gate import RoleGate
from jitdesk.gui.widgets import big_button, section_title
from jitdesk.gui.widgets.form_message import FormMessage
from jitdesk.services.changes import Changes
from jitdesk.services.takt.demand import CsvCheck, check_csv, import_csv

PREVIEW_ROWS = 200  # rows shown in the preview (all are imported)
MAX_BYTES = 5_000_000


def read_csv(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise BadInput(f"{path.name} is larger than 5 MB: split the file.")
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise BadInput(f"{path.name} is not a UTF-8 text file: save it as CSV (UTF-8).") from None
    except OSError as error:
        raise BadInput(f"Cannot read {path.name}: {error.strerror or error}.") from None


class DemandImport(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path: Path | None = None
        self.text = ""
        self.checked: CsvCheck | None = None
        self.file_label = QLabel("Columns: line, date, quantity, and optionally shift, parts_per_cycle.")
        self.file_label.setWordWrap(True)
        self.choose_button = big_button("▤  Choose CSV file…")
        self.choose_button.clicked.connect(self.choose)
        # One line per good row, wrapped: the form column may be narrow (1280 px screens).
        self.preview = QListWidget()
        self.preview.setWordWrap(True)
        self.preview.setMaximumHeight(160)
        self.preview.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.preview.setVisible(False)
        self.problems = QLabel()
        self.problems.setObjectName("demandCsvProblems")
        self.problems.setWordWrap(True)
        self.message = FormMessage()
        self.import_button = big_button("⇪  Import", primary=True)
        self.import_button.setToolTip("Imports the good rows; the rows named below are left out")
        self.import_gate = RoleGate(ctx, self.import_button, Role.ADMIN, "Importing demand", self.run_import)
        self.import_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.addWidget(section_title("Import from CSV"))
        layout.addWidget(self.file_label)
        layout.addLayout(buttons)
        layout.addWidget(self.preview)
        layout.addWidget(self.problems)
        layout.addWidget(self.message)
        layout.addWidget(self.import_button)

    def choose(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, "Demand CSV file", "", "CSV files (*.csv);;All files (*)")
        if name:
            self.open_file(Path(name))

    def open_file(self, path: Path) -> None:
        """Read and check `path` and show the preview (also what tests call instead of the dialog)."""
        self.message.clear_message()
        self._show(None)
        try:
            self.text = read_csv(path)
        except BadInput as error:
            self.message.problem(str(error))
            return
        self.path = path
        self.file_label.setText(f"File: {path.name}")
        self.ctx.submit(check_csv, self.text, on_done=self._show, on_error=self.message.problem)

    def _show(self, checked: CsvCheck | None) -> None:
        self.checked = checked
        rows = checked.rows if checked is not None else ()
        self.preview.clear()
        for row in rows[:PREVIEW_ROWS]:
            per = f", {row.parts_per_cycle} per cycle" if row.parts_per_cycle > 1 else ""
            self.preview.addItem(f"{row.line_code} · {row.day.isoformat()} · {row.shift or 'whole day'}: "
                                 f"{row.quantity} parts{per}")
        self.preview.setVisible(checked is not None)
        self.import_button.setEnabled(bool(rows))
        if checked is None:
            self.problems.setText("")
            return
        more = f" (the first {PREVIEW_ROWS} shown)" if len(rows) > PREVIEW_ROWS else ""
        lines = [f"✓ {len(rows)} good row(s) to import{more}."]
        if checked.problems:
            lines.append(f"⚠ {len(checked.problems)} row(s) will be left out:")
            lines += [f"   • {p.words}" for p in checked.problems[:20]]
            if len(checked.problems) > 20:
                lines.append(f"   … and {len(checked.problems) - 20} more")
        self.problems.setText("\n".join(lines))

    def run_import(self) -> None:
        if not self.text or self.checked is None or not self.checked.rows:
            return
        self.ctx.submit(import_csv, self.text, actor=self.ctx.actor, on_done=self._imported,
                        on_error=self.message.problem)

    def _imported(self, result: tuple[CsvCheck, Changes]) -> None:
        checked = result[0]
        left = f"; {len(checked.problems)} bad row(s) left out" if checked.problems else ""
        name = self.path.name if self.path else "the file"
        self.message.info(f"Imported {len(checked.rows)} demand row(s) from {name}{left}.")
        self.import_button.setEnabled(False)
