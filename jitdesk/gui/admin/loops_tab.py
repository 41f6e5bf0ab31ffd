"""Admin tab "Loops": define and edit kanban loops, resize them, hold and release cards, and size them
from measured demand and lead times.

Saving a loop, adding and retiring cards need an admin; holding and releasing a supervisor. Every
button goes through a service (kanban.loops, kanban.sizing) on the DB worker; the tab reloads on
`ctx.changed` when loops or cards moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jitdesk.domain.kanban.loop import MAX_LEAD_TIME_MINUTES, SUPPLIER_KINDS, Loop
from jitdesk.domain.kanban.status import ADMIN_LABELS, LABELS, Rule
from jitdesk.domain.master import Part, Station
from jitdesk.gui.context import AppContext
from jitdesk.gui.widgets import big_button, hint, section_title
from jitdesk.gui.widgets.form_message import FormMessage
from jitdesk.gui.widgets.page import ReloadingPage
from jitdesk.services import master
from jitdesk.services.kanban import loops
from jitdesk.services.kanban.loops import LoopDetail, LoopSummary
from jitdesk.services.kanban.sizing import SizingSuggestion, suggest_size
from jitdesk.services.master import Record
from jitdesk.services.uow import wall_clock_ms

RULES = tuple(r.value for r in Rule)


@dataclass(frozen=True)
class LoopChoices:
    loops: list[LoopSummary]
    parts: list[Record[Part]]
    stations: list[Record[Station]]


def load_choices(db: Any, search: str = "") -> LoopChoices:
    return LoopChoices(loops.loop_list(db, search), master.records(db, Part), master.records(db, Station))


class LoopsTab(ReloadingPage):
    WATCHES = ("loop", "card", "part", "station")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.loop_id: str | None = None
        self.detail: LoopDetail | None = None
        self.suggestion: SizingSuggestion | None = None
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search loop or part")
        self.search.textChanged.connect(lambda _t: self.load())
        self.list = QListWidget()
        self.list.currentItemChanged.connect(self._picked)
        new = big_button("＋ New loop")
        new.clicked.connect(self.new_loop)

        self.code = QLineEdit()
        self.part = QComboBox()
        self.kind = QComboBox()
        self.kind.addItems(list(SUPPLIER_KINDS))
        self.location = QLineEdit()
        self.supplier = QComboBox()
        self.consumer = QComboBox()
        self.qty = QSpinBox()
        self.qty.setRange(1, 1_000_000)
        self.lead = QSpinBox()
        self.lead.setRange(1, MAX_LEAD_TIME_MINUTES)
        self.lead.setSuffix(" min")
        self.safety = QDoubleSpinBox()
        self.safety.setRange(0, 10)
        self.safety.setSingleStep(0.05)
        self.rules = {name: QComboBox() for name in ("wait_rule", "picking_rule", "in_transit_rule")}
        for combo in self.rules.values():
            combo.addItems(list(RULES))
        self.active = QCheckBox("In use")
        self.material_call = QCheckBox("Andon material call when no full card is left")
        save = big_button("✔ Save loop", primary=True)
        save.clicked.connect(self.save)
        self.message = FormMessage()

        form = QFormLayout()
        form.addRow("Code", self.code)
        form.addRow("Part", self.part)
        form.addRow("Supplier kind", self.kind)
        form.addRow("Supplier location", self.location)
        form.addRow("Supplier station", self.supplier)
        form.addRow("Used at (consumer)", self.consumer)
        form.addRow("Quantity per card", self.qty)
        form.addRow("Lead time", self.lead)
        form.addRow("Safety factor", self.safety)
        form.addRow("Wait (batch) step", self.rules["wait_rule"])
        form.addRow("Picking step", self.rules["picking_rule"])
        form.addRow("In transit step", self.rules["in_transit_rule"])
        form.addRow("", self.active)
        form.addRow("", self.material_call)

        self.cards = QTableWidget(0, 5)
        self.cards.setHorizontalHeaderLabels(["#", "Code", "Supply", "Admin", "Print"])
        self.cards.verticalHeader().setVisible(False)
        self.cards.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cards.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cards.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.cards.horizontalHeader().setStretchLastSection(True)
        self.count = QSpinBox()
        self.count.setRange(1, loops.MAX_CARDS_PER_LOOP)
        resize = big_button("Resize to")
        resize.clicked.connect(self.resize_loop)
        hold = big_button("Hold")
        hold.clicked.connect(lambda: self._selected(loops.hold_cards))
        release = big_button("Release")
        release.clicked.connect(lambda: self._selected(loops.release_cards))
        retire = big_button("Retire", danger=True)
        retire.clicked.connect(lambda: self._selected(loops.retire_cards))
        suggest = big_button("Suggest size")
        suggest.clicked.connect(self.suggest)
        self.apply_button = big_button("Apply suggestion")
        self.apply_button.clicked.connect(self.apply_suggestion)
        self.apply_button.setEnabled(False)
        self.sizing = hint("Sizing uses the last week's card history: demand, and lead time when cycles "
                           "were measured.")

        card_buttons = QHBoxLayout()
        for widget in (self.count, resize, hold, release, retire):
            card_buttons.addWidget(widget)
        card_buttons.addStretch(1)
        sizing_buttons = QHBoxLayout()
        sizing_buttons.addWidget(suggest)
        sizing_buttons.addWidget(self.apply_button)
        sizing_buttons.addStretch(1)

        left = QVBoxLayout()
        left.addWidget(self.search)
        left.addWidget(self.list, 1)
        left.addWidget(new)
        middle = QVBoxLayout()
        middle.addWidget(section_title("Loop"))
        middle.addLayout(form)
        middle.addWidget(self.message)
        middle.addWidget(save)
        middle.addStretch(1)
        right = QVBoxLayout()
        self.cards_title = section_title("Cards")
        right.addWidget(self.cards_title)
        right.addWidget(self.cards, 1)
        right.addLayout(card_buttons)
        right.addWidget(section_title("Sizing"))
        right.addWidget(self.sizing)
        right.addLayout(sizing_buttons)
        # In a scroll area: the form is tall, and the tab must never force the window to grow.
        inner = QWidget()
        layout = QHBoxLayout(inner)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.addLayout(left, 2)
        layout.addSpacing(14)
        layout.addLayout(middle, 3)
        layout.addSpacing(14)
        layout.addLayout(right, 3)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.load()

    # -- loading ------------------------------------------------------------------------------------
    def load(self) -> None:
        self.ctx.submit(load_choices, self.search.text(), on_done=self.show_choices)
        if self.loop_id is not None:
            self.ctx.submit(loops.loop_detail, self.loop_id, on_done=self.show_detail)

    def show_choices(self, choices: LoopChoices) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for summary in choices.loops:
            state = "" if summary.active else "  (not in use)"
            item = QListWidgetItem(f"{summary.code}  ·  {summary.part_label}{state}")
            item.setData(256, summary.loop_id)
            self.list.addItem(item)
            if summary.loop_id == self.loop_id:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        keep = {combo: combo.currentData() for combo in (self.part, self.supplier, self.consumer)}
        self.part.clear()
        for part in choices.parts:
            self.part.addItem(f"{part.value.number}  {part.value.name}", part.id)
        self.supplier.clear()
        self.supplier.addItem("(none: any supermarket, or outside)", None)
        self.consumer.clear()
        for station in choices.stations:
            label = f"{station.value.code}  {station.value.name}"
            if station.value.role == "supermarket":
                self.supplier.addItem(label, station.id)
            if station.value.role in ("line", "supermarket"):
                self.consumer.addItem(label, station.id)
        for combo, value in keep.items():
            index = combo.findData(value)
            if index >= 0:
                combo.setCurrentIndex(index)

    def _picked(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is None:
            return
        self.loop_id = item.data(256)
        self.suggestion = None
        self.apply_button.setEnabled(False)
        self.ctx.submit(loops.loop_detail, self.loop_id, on_done=self.show_detail)

    def show_detail(self, detail: LoopDetail) -> None:
        self.detail = detail
        loop = detail.loop
        self.code.setText(loop.code)
        for combo, value in ((self.part, loop.part_id), (self.supplier, loop.supplier_station_id),
                             (self.consumer, loop.consumer_station_id)):
            combo.setCurrentIndex(max(0, combo.findData(value)))
        self.kind.setCurrentText(loop.supplier_kind)
        self.location.setText(loop.supplier_location)
        self.qty.setValue(loop.qty_per_card)
        self.lead.setValue(loop.lead_time_minutes)
        self.safety.setValue(loop.safety_factor)
        for name, combo in self.rules.items():
            combo.setCurrentText(getattr(loop, name).value)
        self.active.setChecked(loop.active)
        self.material_call.setChecked(loop.material_call)
        self.cards.setRowCount(len(detail.cards))
        for row, card in enumerate(detail.cards):
            values = (str(card.number), card.code, LABELS[card.supply], ADMIN_LABELS[card.admin], card.print_state)
            for column, text in enumerate(values):
                cell = QTableWidgetItem(text)
                cell.setData(256, card.card_id)
                self.cards.setItem(row, column, cell)
        self.cards_title.setText(f"Cards of {loop.code}: {detail.in_use} in circulation")
        self.count.setValue(max(1, detail.in_use))

    def new_loop(self) -> None:
        self.loop_id = None
        self.detail = None
        self.list.clearSelection()
        self.code.clear()
        self.location.clear()
        self.qty.setValue(10)
        self.lead.setValue(60)
        self.safety.setValue(0.1)
        self.rules["wait_rule"].setCurrentText(Rule.NOT_ALLOWED.value)
        self.rules["picking_rule"].setCurrentText(Rule.OPTIONAL.value)
        self.rules["in_transit_rule"].setCurrentText(Rule.REQUIRED.value)
        self.active.setChecked(True)
        self.material_call.setChecked(True)
        self.cards.setRowCount(0)
        self.cards_title.setText("Cards: save the loop first, then add cards")
        self.message.info("New loop: fill in the form and save.")

    # -- actions ------------------------------------------------------------------------------------
    def form_loop(self) -> Loop:
        return Loop(code=self.code.text(), part_id=self.part.currentData() or "",
                    supplier_kind=self.kind.currentText(),
                    supplier_location=self.location.text(), consumer_station_id=self.consumer.currentData() or "",
                    qty_per_card=self.qty.value(), lead_time_minutes=self.lead.value(),
                    safety_factor=round(self.safety.value(), 2), supplier_station_id=self.supplier.currentData(),
                    wait_rule=Rule(self.rules["wait_rule"].currentText()),
                    picking_rule=Rule(self.rules["picking_rule"].currentText()),
                    in_transit_rule=Rule(self.rules["in_transit_rule"].currentText()), active=self.active.isChecked(),
                    material_call=self.material_call.isChecked())

    def save(self) -> None:
        self.message.clear_message()

        def saved(result: tuple[str, object]) -> None:
            self.loop_id = result[0]
            self.message.info("Loop saved.")
            self.load()

        self.ctx.submit(loops.save_loop, self.form_loop(), actor=self.ctx.actor, loop_id=self.loop_id,
                        on_done=saved, on_error=self.message.problem)

    def resize_loop(self) -> None:
        if self.loop_id is None:
            self.message.problem("Choose or save a loop first.")
            return
        self.ctx.submit(loops.resize_loop, self.loop_id, self.count.value(), actor=self.ctx.actor,
                        on_done=lambda _c: self.message.info(f"The loop now has {self.count.value()} cards."),
                        on_error=self.message.problem)

    def _selected(self, action: Any) -> None:
        rows = {i.row() for i in self.cards.selectionModel().selectedRows()}
        ids = sorted(cell.data(256) for r in rows if (cell := self.cards.item(r, 0)) is not None)
        if not ids:
            self.message.problem("Select one or more cards in the list first.")
            return
        self.ctx.submit(action, ids, actor=self.ctx.actor, on_done=lambda _c: self.message.info("Done."),
                        on_error=self.message.problem)

    def suggest(self) -> None:
        if self.loop_id is None:
            self.message.problem("Choose a loop first.")
            return
        self.ctx.submit(suggest_size, self.loop_id, now_ms=wall_clock_ms(), on_done=self.show_suggestion,
                        on_error=self.message.problem)

    def show_suggestion(self, suggestion: SizingSuggestion) -> None:
        self.suggestion = suggestion
        self.sizing.setText(suggestion.words)
        self.apply_button.setEnabled(suggestion.suggested != suggestion.cards_now)

    def apply_suggestion(self) -> None:
        if self.suggestion is not None:
            self.count.setValue(self.suggestion.suggested)
            self.resize_loop()
