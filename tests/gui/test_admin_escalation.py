"""Admin tab "Escalation": a line ladder and a duty typed into the forms reach the master data, bad
numbers and missing rights are said in plain words, and the tab never needs more width than the
smallest screen gives it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from jitdesk.gui.admin.escalation_tab import EscalationTab
from jitdesk.gui.admin.view import AdminView
from jitdesk.gui.context import AppContext
from jitdesk.services import signin
from jitdesk.services.andon.ladders import escalation_data

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def tab(qtbot: QtBot, ctx: AppContext) -> Iterator[EscalationTab]:
    view = AdminView(ctx)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    found = view.findChild(EscalationTab)
    assert found is not None
    view.tabs.setCurrentWidget(found)
    qtbot.waitUntil(lambda: not ctx.busy and found.call_type.count() > 0)
    yield found  # the view stays referenced until the test ends


def _save(qtbot: QtBot, tab: EscalationTab, ctx: AppContext, button: str) -> str:
    tab.message.clear_message()
    getattr(tab, button)()
    qtbot.waitUntil(lambda: tab.message.isVisible() and not ctx.busy)
    return tab.message.text()


def test_ladder_and_duty_through_the_forms(qtbot: QtBot, ctx: AppContext, tab: EscalationTab) -> None:
    tab.call_type.setCurrentIndex(tab.call_type.findText("HELP", Qt.MatchFlag.MatchStartsWith))
    qtbot.keyClicks(tab.minutes, "2, 4")
    qtbot.keyClicks(tab.notify, "team leader, supervisor")
    assert "admin" in _save(qtbot, tab, ctx, "save_plan")  # nobody signed in: refused, nothing saved
    assert ctx.hub.call(escalation_data).plans == ()
    ctx.sign_in(ctx.hub.call(signin.by_name, "Priya Admin", "9001"))
    tab.minutes.setText("4, two")
    assert "whole numbers" in _save(qtbot, tab, ctx, "save_plan")
    tab.minutes.setText("2, 4")
    assert _save(qtbot, tab, ctx, "save_plan").endswith("Escalation ladder saved.")
    qtbot.keyClicks(tab.role, "supervisor")
    qtbot.keyClicks(tab.shift, "Early")
    qtbot.keyClicks(tab.person, "Sam Early")
    assert _save(qtbot, tab, ctx, "save_duty").endswith("Duty saved.")
    data = ctx.hub.call(escalation_data)
    plans = [(p.escalate_minutes, p.escalate_to) for _id, p in data.plans]
    assert plans == [((2, 4), ("team leader", "supervisor"))]
    duties = {(d.role, d.shift, d.line_id): d.person for _id, d in data.duties}
    assert duties[("supervisor", "Early", None)] == "Sam Early"  # replaced the demo's Marco Rossi
    assert len(duties) == 8  # the demo roster, one record per role and shift
    qtbot.waitUntil(lambda: tab.plans.rowCount() == 1
                    and any(tab.duties.item(r, 2).text() == "Sam Early" for r in range(tab.duties.rowCount())))
    row = next(r for r in range(tab.duties.rowCount()) if tab.duties.item(r, 2).text() == "Sam Early")
    assert tab.duties.item(row, 0).text() == "Early · Every line"
    assert tab.plans.item(0, 1).text() == "2, 4 min"
    tab.person.clear()
    tab.duties.selectRow(row)  # picking a row fills its form again
    assert tab.person.text() == "Sam Early"
    # the admin page scrolls down, never sideways: the tab asks for no more width than 1280 px leaves it
    assert tab.minimumSizeHint().width() <= tab.width() <= 1280
