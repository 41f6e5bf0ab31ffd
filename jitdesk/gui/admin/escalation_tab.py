"""Admin tab "Escalation": a line's own escalation ladder per call type, and who is on shift.

Above: the ladders (call type, line, minutes, takts for line-stopping types, who each level notifies);
below: the duty roster (who holds a role on a shift, on one line or every line). Picking a row fills
its form; saving the same type and line (or role, shift and line) again replaces that record. Saving
needs an admin; every save goes through `services.andon.ladders` on the DB worker.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLineEdit,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jitdesk.gui.context import AppContext
from jitdesk.gui.widgets import big_button, hint, section_title
from jitdesk.gui.widgets.form_message import FormMessage
from jitdesk.gui.widgets.page import ReloadingPage
from jitdesk.services.andon.ladders import EscalationData, escalation_data, save_duty, save_line_ladder

EVERY_LINE = "Every line"


def numbers(text: str, label: str) -> list[int]:
    """'5, 15, 30' as [5, 15, 30]; a ValueError in plain words for anything else."""
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    if not all(p.isdigit() for p in parts):
        raise ValueError(f"{label}: write whole numbers separated by commas, like 5, 15, 30.")
    return [int(p) for p in parts]


def names(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip()]


def _table(headers: list[str]) -> QTableWidget:
    """A read-only table whose columns share its width, long words wrapping onto a second line."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.setWordWrap(True)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)  # never widens the page
    table.setMinimumHeight(160)
    return table


def _combo() -> QComboBox:
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    return combo


def _hint(text: str) -> QWidget:
    label = hint(text)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeRowsToContents()


class EscalationTab(ReloadingPage):
    WATCHES = ("escalation_plan", "duty", "call_type", "line")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.data: EscalationData | None = None
        self.message = FormMessage()

        # a line's own ladder
        self.plans = _table(["Type · line", "Levels", "Notifies"])
        self.plans.itemSelectionChanged.connect(self._plan_picked)
        self.call_type = _combo()
        self.plan_line = _combo()
        self.minutes = QLineEdit()
        self.minutes.setPlaceholderText("5, 15, 30")
        self.takts = QLineEdit()
        self.takts.setPlaceholderText("1, 3 (line-stopping types)")
        self.notify = QLineEdit()
        self.notify.setPlaceholderText("team leader, supervisor, manager")
        self.plan_active = QCheckBox("In use")
        self.plan_active.setChecked(True)
        save_plan = big_button("✔ Save ladder", primary=True)
        save_plan.clicked.connect(self.save_plan)
        plan_form = QFormLayout()
        plan_form.addRow("Call type", self.call_type)
        plan_form.addRow("Line", self.plan_line)
        plan_form.addRow("Minutes", self.minutes)
        plan_form.addRow("Takts", self.takts)
        plan_form.addRow("Notifies", self.notify)
        plan_form.addRow("", self.plan_active)
        left = QVBoxLayout()
        left.addWidget(section_title("Line escalation"))
        left.addWidget(_hint("Levels at minutes after raising, and for line-stopping types after takts of "
                            "the line's plan; each level notifies a role or a person. A ladder not in use leaves "
                            "the line on the call type's own ladder."))
        left.addWidget(self.plans, 1)
        left.addLayout(plan_form)
        left.addWidget(save_plan)

        # who is on shift
        self.duties = _table(["Shift · line", "Role", "Person"])
        self.duties.itemSelectionChanged.connect(self._duty_picked)
        self.role = QLineEdit()
        self.role.setPlaceholderText("team leader")
        self.shift = QLineEdit()
        self.shift.setPlaceholderText("Early (as the shift calendar names it)")
        self.duty_line = _combo()
        self.person = QLineEdit()
        self.duty_active = QCheckBox("In use")
        self.duty_active.setChecked(True)
        save_duty_button = big_button("✔ Save duty", primary=True)
        save_duty_button.clicked.connect(self.save_duty)
        duty_form = QFormLayout()
        duty_form.addRow("Role", self.role)
        duty_form.addRow("Shift", self.shift)
        duty_form.addRow("Line", self.duty_line)
        duty_form.addRow("Person", self.person)
        duty_form.addRow("", self.duty_active)
        right = QVBoxLayout()
        right.addWidget(section_title("Who is on shift"))
        right.addWidget(_hint("The person a level names: who holds that role on the shift the level is "
                             "reached in (the line's own entry first, then every line's)."))
        right.addWidget(self.duties, 1)
        right.addLayout(duty_form)
        right.addWidget(save_duty_button)

        for form in (plan_form, duty_form):
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # labels above fields at large type
        layout = QVBoxLayout(self)  # one above the other, each the page's full width (the page scrolls down)
        layout.addLayout(left, 1)
        layout.addSpacing(24)
        layout.addLayout(right, 1)
        layout.addWidget(self.message)
        self.load()

    # -- loading --------------------------------------------------------------------------------------
    def load(self) -> None:
        self.ctx.submit(escalation_data, on_done=self.show_data)

    def show_data(self, data: EscalationData) -> None:
        self.data = data
        lines = sorted(data.lines.items(), key=lambda it: it[1].code)
        types = sorted(data.call_types.items(), key=lambda it: it[1].code)
        for combo, items, every in ((self.call_type, [(i, f"{t.code}  {t.name}") for i, t in types], False),
                                    (self.plan_line, [(i, f"{ln.code}  {ln.name}") for i, ln in lines], False),
                                    (self.duty_line, [(i, f"{ln.code}  {ln.name}") for i, ln in lines], True)):
            chosen = combo.currentData()
            combo.clear()
            if every:
                combo.addItem(EVERY_LINE, None)
            for item_id, text in items:
                combo.addItem(text, item_id)
            if chosen is not None and combo.findData(chosen) >= 0:
                combo.setCurrentIndex(combo.findData(chosen))

        def line_code(line_id: str | None) -> str:
            return data.lines[line_id].code if line_id in data.lines else EVERY_LINE

        def levels(minutes: tuple[int, ...], takts: tuple[int, ...]) -> str:
            text = f"{', '.join(map(str, minutes))} min" if minutes else ""
            return f"{text} · {', '.join(map(str, takts))} takts" if takts else text

        def in_use(text: str, active: bool) -> str:
            return text if active else f"{text} (not in use)"

        _fill(self.plans, [[f"{data.call_types[p.call_type_id].code if p.call_type_id in data.call_types else '?'}"
                            f" · {line_code(p.line_id)}", levels(p.escalate_minutes, p.escalate_takts),
                            in_use(", ".join(p.escalate_to) or "the usual ladder", p.active)]
                           for _id, p in data.plans])
        _fill(self.duties, [[f"{d.shift} · {line_code(d.line_id)}", d.role, in_use(d.person, d.active)]
                            for _id, d in data.duties])

    def _plan_picked(self) -> None:
        row = self.plans.currentRow()
        if self.data is None or not 0 <= row < len(self.data.plans):
            return
        plan = self.data.plans[row][1]
        self.call_type.setCurrentIndex(max(0, self.call_type.findData(plan.call_type_id)))
        self.plan_line.setCurrentIndex(max(0, self.plan_line.findData(plan.line_id)))
        self.minutes.setText(", ".join(map(str, plan.escalate_minutes)))
        self.takts.setText(", ".join(map(str, plan.escalate_takts)))
        self.notify.setText(", ".join(plan.escalate_to))
        self.plan_active.setChecked(plan.active)

    def _duty_picked(self) -> None:
        row = self.duties.currentRow()
        if self.data is None or not 0 <= row < len(self.data.duties):
            return
        duty = self.data.duties[row][1]
        self.role.setText(duty.role)
        self.shift.setText(duty.shift)
        self.duty_line.setCurrentIndex(max(0, self.duty_line.findData(duty.line_id)))
        self.person.setText(duty.person)
        self.duty_active.setChecked(duty.active)

    # -- saving ---------------------------------------------------------------------------------------
    def save_plan(self) -> None:
        self.message.clear_message()
        if self.call_type.currentData() is None or self.plan_line.currentData() is None:
            self.message.problem("Choose a call type and a line first.")
            return
        try:
            minutes, takts = numbers(self.minutes.text(), "Minutes"), numbers(self.takts.text(), "Takts")
        except ValueError as error:
            self.message.problem(str(error))
            return
        self.ctx.submit(save_line_ladder, actor=self.ctx.actor, call_type_id=self.call_type.currentData(),
                        line_id=self.plan_line.currentData(), minutes=minutes, takts=takts,
                        notify=names(self.notify.text()), active=self.plan_active.isChecked(),
                        on_done=lambda _r: self.message.info("Escalation ladder saved."),
                        on_error=self.message.problem)

    def save_duty(self) -> None:
        self.message.clear_message()
        self.ctx.submit(save_duty, actor=self.ctx.actor, role=self.role.text(), shift=self.shift.text(),
                        person=self.person.text(), line_id=self.duty_line.currentData(),
                        active=self.duty_active.isChecked(),
                        on_done=lambda _r: self.message.info("Duty saved."), on_error=self.message.problem)
