"""The Admin view: master-data edits made through the form reach the projections and the event log."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from jitdesk.domain.auth import Role
from jitdesk.domain.master import Demand, Part, ShiftCalendar, User
from jitdesk.gui.admin.editor import MasterTab
from jitdesk.gui.admin.view import AdminView
from jitdesk.gui.context import AppContext
from jitdesk.services import master, signin, station_identity
from jitdesk.services.signin import SignedIn
from jitdesk.storage import eventlog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def admin_view(qtbot: QtBot, ctx: AppContext) -> AdminView:
    view = AdminView(ctx)
    qtbot.addWidget(view)
    view.resize(1600, 900)
    view.show()
    qtbot.waitUntil(lambda: not ctx.busy)
    return view


def _sign_in_admin(ctx: AppContext) -> SignedIn:
    user = ctx.hub.call(signin.by_name, "Priya Admin", "9001")
    ctx.sign_in(user)
    return user


def _type(qtbot: QtBot, tab: MasterTab, field: str, text: str) -> None:
    edit = tab.editors[field].edit  # type: ignore[attr-defined]
    edit.clear()
    qtbot.keyClicks(edit, text)


def _save(qtbot: QtBot, tab: MasterTab, ctx: AppContext) -> None:
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.message.isVisible() and not ctx.busy)


def test_admin_view_lists_the_demo_master_data(admin_view: AdminView) -> None:
    assert admin_view.master_tabs["parts"].table.rowCount() == 50
    assert admin_view.master_tabs["stations"].table.rowCount() == 12
    assert admin_view.master_tabs["users"].table.rowCount() == 11
    assert "sign in first" in admin_view.who.text()
    assert admin_view.station_tab.combo.currentText().startswith("L1-S2")


def test_new_part_through_the_form_reaches_db_and_event_log(
    qtbot: QtBot, admin_view: AdminView, ctx: AppContext
) -> None:
    admin = _sign_in_admin(ctx)
    tab = admin_view.show_tab("parts")
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    _type(qtbot, tab, "number", "999-0001")
    _type(qtbot, tab, "name", "Test spacer 8 mm")
    _type(qtbot, tab, "unit", "pcs")
    _save(qtbot, tab, ctx)
    assert "Saved" in tab.message.text()
    parts = {r.value.number: r for r in ctx.hub.call(master.records, Part)}
    assert parts["999-0001"].value.name == "Test spacer 8 mm"
    with ctx.hub.db.reading() as session:
        event = eventlog.recent(session, 1)[0]
    assert event.kind == "master.part.upserted" and event.entity_id == parts["999-0001"].id
    assert event.actor == admin.user_id
    qtbot.waitUntil(lambda: tab.table.rowCount() == 51)  # the table reloaded from `changed`


def test_edit_is_refused_without_an_admin(qtbot: QtBot, admin_view: AdminView, ctx: AppContext) -> None:
    before = ctx.hub.call(master.records, Part)
    tab = admin_view.show_tab("parts")
    tab.table.selectRow(0)
    _type(qtbot, tab, "name", "Renamed by nobody")
    _save(qtbot, tab, ctx)
    assert "Sign in as admin" in tab.message.text()
    assert ctx.hub.call(master.records, Part) == before
    ctx.sign_in(ctx.hub.call(signin.by_badge, "B-5001", "5001"))  # a supervisor is not enough either
    _save(qtbot, tab, ctx)
    assert "signed in as supervisor" in tab.message.text()
    assert ctx.hub.call(master.records, Part) == before


def test_bad_field_is_named_before_anything_is_sent(qtbot: QtBot, admin_view: AdminView, ctx: AppContext) -> None:
    _sign_in_admin(ctx)
    tab = admin_view.show_tab("call_types")
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    _type(qtbot, tab, "code", "TOOL")
    _type(qtbot, tab, "name", "Tooling")
    _type(qtbot, tab, "color", "orange")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "Colour" in tab.message.text() and "#" in tab.message.text()


def test_new_user_can_then_sign_in(qtbot: QtBot, admin_view: AdminView, ctx: AppContext) -> None:
    _sign_in_admin(ctx)
    tab = admin_view.show_tab("users")
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    _type(qtbot, tab, "name", "Nora Field")
    _type(qtbot, tab, "badge", "B-7777")
    tab.editors["role"].set("supervisor")
    _type(qtbot, tab, "pin", "7777")
    _save(qtbot, tab, ctx)
    assert "Saved" in tab.message.text(), tab.message.text()
    signed = ctx.hub.call(signin.by_badge, "B-7777", "7777")
    assert signed.name == "Nora Field" and signed.role is Role.SUPERVISOR
    # Editing without a new PIN keeps the PIN.
    _type(qtbot, tab, "name", "Nora Field-Smith")
    _save(qtbot, tab, ctx)
    assert ctx.hub.call(signin.by_name, "Nora Field-Smith", "7777").user_id == signed.user_id
    users = {r.value.badge: r.value for r in ctx.hub.call(master.records, User)}
    assert users["B-7777"].name == "Nora Field-Smith"


def test_new_shift_calendar_with_breaks(qtbot: QtBot, admin_view: AdminView, ctx: AppContext) -> None:
    _sign_in_admin(ctx)
    tab = admin_view.show_tab("calendars")
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    _type(qtbot, tab, "name", "Night shift L2")
    shifts: Any = tab.editors["shifts"]
    qtbot.mouseClick(shifts.add_button, Qt.MouseButton.LeftButton)
    shifts.table.item(0, 0).setText("Night")
    shifts.table.item(0, 1).setText("22:00")
    shifts.table.item(0, 2).setText("06:00")
    shifts.table.item(0, 3).setText("01:00-01:30, 04:00 - 04:10")
    line_combo = tab.editors["line_id"].combo  # type: ignore[attr-defined]
    line_combo.setCurrentIndex(line_combo.findText("L2", Qt.MatchFlag.MatchStartsWith))
    _save(qtbot, tab, ctx)
    assert "Saved" in tab.message.text(), tab.message.text()
    calendars = {r.value.name: r.value for r in ctx.hub.call(master.records, ShiftCalendar)}
    night = calendars["Night shift L2"]
    assert night.shifts[0]["breaks"] == [{"start": "01:00", "end": "01:30"}, {"start": "04:00", "end": "04:10"}]
    assert night.days == (0, 1, 2, 3, 4) and night.line_id is not None


def test_calendar_holidays_and_special_days(qtbot: QtBot, admin_view: AdminView, ctx: AppContext) -> None:
    _sign_in_admin(ctx)
    tab = admin_view.show_tab("calendars")
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    _type(qtbot, tab, "name", "Saturday cover")
    shifts: Any = tab.editors["shifts"]
    qtbot.mouseClick(shifts.add_button, Qt.MouseButton.LeftButton)
    tab.editors["holidays"].edit.setText("2026-12-24, 2026-12-25")  # type: ignore[attr-defined]
    tab.editors["overrides"].edit.setPlainText(  # type: ignore[attr-defined]
        "2026-12-05 Extra 06:00-12:00 stop 09:00-09:30\n2026-12-08 none Maintenance day")
    _save(qtbot, tab, ctx)
    assert "Saved" in tab.message.text(), tab.message.text()
    saved = {r.value.name: r.value for r in ctx.hub.call(master.records, ShiftCalendar)}["Saturday cover"]
    assert saved.holidays == ("2026-12-24", "2026-12-25")
    assert saved.overrides == (
        {"date": "2026-12-05", "reason": "", "shifts": [{"name": "Extra", "start": "06:00", "end": "12:00",
                                                         "breaks": [{"start": "09:00", "end": "09:30",
                                                                     "kind": "stop"}]}]},
        {"date": "2026-12-08", "reason": "Maintenance day", "shifts": []})
    tab.editors["holidays"].edit.setText("24.12.2026")  # type: ignore[attr-defined]
    _save(qtbot, tab, ctx)
    assert "'24.12.2026' is not a date like 2026-12-24" in tab.message.text()


def test_enter_demand_for_a_line_and_day(qtbot: QtBot, admin_view: AdminView, ctx: AppContext) -> None:
    _sign_in_admin(ctx)
    tab = admin_view.show_tab("demand")
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    _save(qtbot, tab, ctx)
    assert "Line: choose the line." in tab.message.text()
    line_combo = tab.editors["line_id"].combo  # type: ignore[attr-defined]
    line_combo.setCurrentIndex(line_combo.findText("L2", Qt.MatchFlag.MatchStartsWith))
    _type(qtbot, tab, "day", "2026-12-09")
    _type(qtbot, tab, "shift", "Early")
    _type(qtbot, tab, "quantity", "four hundred")
    _save(qtbot, tab, ctx)
    assert "'four hundred' is not a whole number" in tab.message.text()
    _type(qtbot, tab, "quantity", "400")
    _type(qtbot, tab, "parts_per_cycle", "2")
    _save(qtbot, tab, ctx)
    assert "Saved" in tab.message.text(), tab.message.text()
    [found] = [r.value for r in ctx.hub.call(master.records, Demand) if r.value.day == "2026-12-09"
               and r.value.shift == "Early"]
    assert (found.quantity, found.parts_per_cycle) == (400, 2) and found.key.endswith("|2026-12-09|Early")


def test_choose_this_station(qtbot: QtBot, admin_view: AdminView, ctx: AppContext) -> None:
    _sign_in_admin(ctx)
    admin_view.tabs.setCurrentWidget(admin_view.station_tab)
    combo = admin_view.station_tab.combo
    combo.setCurrentIndex(combo.findText("SM-N", Qt.MatchFlag.MatchStartsWith))
    qtbot.mouseClick(admin_view.station_tab.use_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: admin_view.station_tab.message.isVisible() and not ctx.busy)
    assert ctx.hub.call(station_identity.current).station_code == "SM-N"
    qtbot.waitUntil(lambda: "SM-N" in admin_view.station_tab.current.text())
