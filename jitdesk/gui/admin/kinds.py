"""What the Admin view knows about each kind of master data: table columns and form fields."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from PySide6.QtWidgets import QWidget

from jitdesk.domain.auth import ROLE_NAMES
from jitdesk.domain.master import (
    STATION_ROLES,
    Demand,
    Line,
    Part,
    Plant,
    ShiftCalendar,
    Station,
    TaktLine,
    User,
)
from jitdesk.gui.admin.calendar_days import DatesEditor, OverridesEditor
from jitdesk.gui.admin.demand_fields import (
    CountEditor,
    DayEditor,
    NeededLineEditor,
    OptionalTextEditor,
    demand_from,
)
from jitdesk.gui.admin.fields import (
    CheckEditor,
    ChoiceEditor,
    DaysEditor,
    Editor,
    PinEditor,
    RefEditor,
    TextEditor,
)
from jitdesk.gui.admin.shifts import ShiftsEditor

Lines = dict[str, str]  # line id -> "L1 Line 1 ..."


@dataclass(frozen=True)
class Column:
    header: str
    text: Callable[[Any, Lines], str]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    make: Callable[[], Editor]


@dataclass(frozen=True)
class KindSpec:
    key: str  # tab name, e.g. "parts"
    title: str
    state_type: type
    columns: tuple[Column, ...]
    fields: tuple[FieldSpec, ...]
    form_share: int = 2  # the form's share of the tab's width, against the table's 3
    extra: Callable[[Any], QWidget] | None = None  # a panel under the form, made with the AppContext

    @property
    def has_active(self) -> bool:
        return any(f.name == "active" for f in fields(self.state_type))

    def build(self, values: dict[str, Any]) -> Any:
        if self.state_type is Demand:  # its key is made from line, day and shift
            return demand_from(values)
        return self.state_type(**values)


def _demand_import(ctx: Any) -> QWidget:
    from jitdesk.gui.admin.demand_import import DemandImport

    return DemandImport(ctx)


def _active(record: Any, _lines: Lines) -> str:
    return "active" if getattr(record, "active", True) else "✕ inactive"


def _line(record: Any, lines: Lines) -> str:
    return lines.get(record.line_id or "", "—")


def _col(header: str, attr: str) -> Column:
    return Column(header, lambda record, _lines: str(getattr(record, attr)))


ACTIVE = FieldSpec("active", lambda: CheckEditor("Active", "Active (in use)"))
STATUS = Column("Status", _active)

KINDS: tuple[KindSpec, ...] = (
    KindSpec("plant", "Plant", Plant, (_col("Code", "code"), _col("Name", "name"), _col("Time zone", "timezone")),
             (FieldSpec("code", lambda: TextEditor("Code", "e.g. RVS")),
              FieldSpec("name", lambda: TextEditor("Name", "plant name")),
              FieldSpec("timezone", lambda: TextEditor("Time zone", "e.g. Europe/Berlin", default="UTC")))),
    KindSpec("lines", "Lines", Line, (_col("Code", "code"), _col("Name", "name"), STATUS),
             (FieldSpec("code", lambda: TextEditor("Code", "e.g. L1")),
              FieldSpec("name", lambda: TextEditor("Name", "line name")), ACTIVE)),
    KindSpec("stations", "Stations", Station,
             (_col("Code", "code"), _col("Name", "name"), _col("Role", "role"), Column("Line", _line),
              Column("Bottleneck", lambda r, _l: "★ bottleneck" if r.bottleneck else ""), STATUS),
             (FieldSpec("code", lambda: TextEditor("Code", "e.g. L1-S1")),
              FieldSpec("name", lambda: TextEditor("Name", "station name")),
              FieldSpec("role", lambda: ChoiceEditor("Role", STATION_ROLES)),
              FieldSpec("line_id", lambda: RefEditor("Line")),
              FieldSpec("bottleneck", lambda: CheckEditor("Bottleneck", "Bottleneck: drawn bigger on the andon board",
                                                          default=False)), ACTIVE)),
    KindSpec("parts", "Parts", Part, (_col("Part number", "number"), _col("Name", "name"), _col("Unit", "unit"),
                                      STATUS),
             (FieldSpec("number", lambda: TextEditor("Part number", "e.g. 100-1001")),
              FieldSpec("name", lambda: TextEditor("Name", "what it is")),
              FieldSpec("unit", lambda: TextEditor("Unit", "pcs, kg, m, l", default="pcs")), ACTIVE)),
    KindSpec("users", "Users", User, (_col("Name", "name"), _col("Badge", "badge"), _col("Role", "role"), STATUS),
             (FieldSpec("name", lambda: TextEditor("Name", "first and last name")),
              FieldSpec("badge", lambda: TextEditor("Badge", "scan or type the badge")),
              FieldSpec("role", lambda: ChoiceEditor("Role", ROLE_NAMES)),
              FieldSpec("pin", lambda: PinEditor("PIN")), ACTIVE)),
    KindSpec("calendars", "Shift calendars", ShiftCalendar,
             (_col("Name", "name"), Column("Line", lambda r, lines: lines.get(r.line_id or "", "every line")),
              Column("Shifts", lambda r, _l: ", ".join(f"{s['name']} {s['start']}-{s['end']}" for s in r.shifts)),
              STATUS),
             (FieldSpec("name", lambda: TextEditor("Name", "e.g. Two shifts Mon-Fri")),
              FieldSpec("days", lambda: DaysEditor("Days")),
              FieldSpec("line_id", lambda: RefEditor("Line", "— every line —")),
              FieldSpec("shifts", lambda: ShiftsEditor("Shifts")),
              FieldSpec("holidays", lambda: DatesEditor("Holidays")),
              FieldSpec("overrides", lambda: OverridesEditor("Special days")), ACTIVE),
             form_share=4),
    KindSpec("demand", "Demand", Demand,
             (Column("Line", _line), _col("Day", "day"), Column("Shift", lambda r, _l: r.shift or "whole day"),
              _col("Parts", "quantity"), _col("Parts per cycle", "parts_per_cycle"), STATUS),
             (FieldSpec("line_id", lambda: NeededLineEditor("Line", "— choose a line —")),
              FieldSpec("day", lambda: DayEditor("Day")),
              FieldSpec("shift", lambda: OptionalTextEditor("Shift", "empty: the whole day, shared by its shifts")),
              FieldSpec("quantity", lambda: CountEditor("Parts", "e.g. 450")),
              FieldSpec("parts_per_cycle", lambda: CountEditor("Parts per cycle", "1", default=1)), ACTIVE),
             extra=_demand_import),
    KindSpec("takt_lines", "Line takt", TaktLine,
             (Column("Line", _line), Column("On target", lambda r, _l: f"± {r.window_percent} %"),
              Column("Andon link", lambda r, _l: f"✓ on, over {r.andon_takts} cycles behind" if r.andon_link
                     else "✕ off"), STATUS),
             (FieldSpec("line_id", lambda: NeededLineEditor("Line", "— choose a line —")),
              FieldSpec("window_percent", lambda: CountEditor("On target ±%", "10", default=10)),
              FieldSpec("andon_link", lambda: CheckEditor("Andon link", "Call when further behind", default=False)),
              FieldSpec("andon_takts", lambda: CountEditor("Cycles behind", "e.g. 3", default=3)),
              ACTIVE),
             form_share=3),
)
