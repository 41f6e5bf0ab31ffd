"""Admin tab "This station": which station this device acts as (stored in the local database)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from jitdesk.domain.master import Station
from jitdesk.gui.context import AppContext
from jitdesk.gui.widgets import big_button, hint, section_title
from jitdesk.gui.widgets.form_message import FormMessage
from jitdesk.gui.widgets.page import ReloadingPage
from jitdesk.services import master, station_identity
from jitdesk.services.master import Record
from jitdesk.services.station_identity import StationIdentity


@dataclass(frozen=True)
class StationChoice:
    stations: list[Record[Station]]
    current: StationIdentity


def load_choice(db: Any) -> StationChoice:
    return StationChoice(master.records(db, Station), station_identity.current(db))


class StationTab(ReloadingPage):
    WATCHES = ("station", station_identity.PROJECTION)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.current = QLabel("…")
        self.current.setObjectName("sectionTitle")
        self.combo = QComboBox()
        self.combo.setMinimumWidth(520)
        self.use_button = big_button("✔ Use this station", primary=True)
        self.use_button.clicked.connect(self.assign)
        self.message = FormMessage()
        form = QFormLayout()
        form.addRow("Acts as", self.current)
        form.addRow("Choose", self.combo)
        buttons = QHBoxLayout()
        buttons.addWidget(self.use_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(section_title("This device's station"))
        layout.addWidget(hint("Scans, andon calls and cycles made here are recorded for this station. "
                              "Only active stations can be chosen."))
        code = ctx.settings.station.code
        if code:
            layout.addWidget(hint(f"Note: the settings file pins this device to station {code}; "
                                  "that choice is applied again at the next start."))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.load()

    def load(self) -> None:
        self.ctx.submit(load_choice, on_done=self.show_choice)

    def show_choice(self, choice: StationChoice) -> None:
        self.current.setText(f"{choice.current.title}  ({choice.current.station_role or 'none'})")
        self.combo.clear()
        for record in choice.stations:
            if record.value.active:
                s = record.value
                self.combo.addItem(f"{s.code}  {s.name}  ({s.role})", record.id)
        index = self.combo.findData(choice.current.station_id)
        self.combo.setCurrentIndex(max(index, 0))

    def assign(self) -> None:
        station = self.combo.currentData()
        if not isinstance(station, str):
            self.message.problem("Add a station first (Stations tab).")
            return
        self.message.clear_message()
        self.ctx.submit(station_identity.assign, station, actor=self.ctx.actor,
                        on_done=lambda _c: self.message.info("This device now acts as the chosen station."),
                        on_error=self.message.problem)
