"""Admin, Andon calls: a new call type and an edit go through the form to the master-data events; bad
fields are named in plain words and nothing is sent; an edit keeps the type's escalation."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from jitdesk.domain.master import CallType
from jitdesk.gui.admin.call_types_tab import CallTypesTab, sound_names
from jitdesk.gui.admin.view import AdminView
from jitdesk.gui.context import AppContext
from jitdesk.services import master, signin
from jitdesk.storage import eventlog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def admin_view(qtbot: QtBot, ctx: AppContext) -> AdminView:
    view = AdminView(ctx)
    qtbot.addWidget(view)
    view.resize(1280, 800)  # the form fits the small station screen
    view.show()
    qtbot.waitUntil(lambda: not ctx.busy)
    return view


@pytest.fixture
def tab(qtbot: QtBot, admin_view: AdminView, ctx: AppContext) -> CallTypesTab:
    found = admin_view.show_tab("call_types")
    assert isinstance(found, CallTypesTab)
    ctx.sign_in(ctx.hub.call(signin.by_name, "Priya Admin", "9001"))
    qtbot.waitUntil(lambda: found.table.rowCount() == len(_types(ctx)))
    return found


def _type(qtbot: QtBot, tab: CallTypesTab, field: str, text: str) -> None:
    edit = tab.editors[field].edit  # type: ignore[attr-defined]
    edit.clear()
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:  # QTest types ASCII only: a symbol is pasted, as a person would from a character picker
        edit.insert(text)


def _save(qtbot: QtBot, tab: CallTypesTab, ctx: AppContext) -> None:
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.message.isVisible() and not ctx.busy)


def _types(ctx: AppContext) -> dict[str, CallType]:
    return {r.value.code: r.value for r in ctx.hub.call(master.records, CallType)}


def test_a_new_call_type_with_every_field(qtbot: QtBot, tab: CallTypesTab, ctx: AppContext) -> None:
    assert set(sound_names()) >= {"chime", "material", "safety"} and "escalation" not in sound_names()
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    assert tab.editors["severity"].get() == "medium" and tab.editors["responder_role"].get() == "supervisor"
    _type(qtbot, tab, "code", "TOOL")
    _type(qtbot, tab, "name", "Tooling")
    _type(qtbot, tab, "color", "#ff6d00")
    _type(qtbot, tab, "symbol", "⚙")
    tab.editors["sound"].set("maintenance")
    tab.editors["severity"].set("high")
    tab.editors["responder_role"].set("operator")
    tab.editors["stops_line"].set(True)
    before = len(_types(ctx))
    _save(qtbot, tab, ctx)
    assert "Saved" in tab.message.text(), tab.message.text()
    tool = _types(ctx)["TOOL"]
    assert (tool.name, tool.color, tool.symbol, tool.sound, tool.severity, tool.responder_role, tool.stops_line) \
        == ("Tooling", "#FF6D00", "⚙", "maintenance", "high", "operator", True)
    with ctx.hub.db.reading() as session:
        event = eventlog.recent(session, 1)[0]
    assert event.kind == "master.call_type.upserted" and event.payload["code"] == "TOOL"
    qtbot.waitUntil(lambda: tab.table.rowCount() == before + 1)


def test_an_edit_keeps_the_escalation(qtbot: QtBot, tab: CallTypesTab, ctx: AppContext) -> None:
    before = _types(ctx)["QUAL"]
    row = next(r for r in range(tab.table.rowCount()) if tab.table.item(r, 0).text() == "QUAL")
    tab.table.selectRow(row)
    assert tab.editors["name"].get() == "Quality" and tab.editors["stops_line"].get() is True
    _type(qtbot, tab, "name", "Quality alert")
    tab.editors["severity"].set("critical")
    _save(qtbot, tab, ctx)
    assert "Saved" in tab.message.text(), tab.message.text()
    after = _types(ctx)["QUAL"]
    assert after.name == "Quality alert" and after.severity == "critical"
    assert (after.escalate_minutes, after.escalate_takts, after.escalate_to) == \
        (before.escalate_minutes, before.escalate_takts, before.escalate_to)


@pytest.mark.parametrize(("field", "text", "words"), [
    ("code", "MAINTENANCE", "Code: the code 'MAINTENANCE' must be 1 to 8 letters"),
    ("code", "MAT CALL", "Code: the code 'MAT CALL' must be 1 to 8 letters"),
    ("symbol", "", "Symbol: the symbol must be one or two characters"),
    ("symbol", "TOOL", "Symbol: the symbol must be one or two characters"),
    ("color", "#1B5E21", "Colour: the colour #1B5E21 is too close to the board's green"),
    ("color", "orange", "Colour: write a colour as # and six hex digits"),
    ("name", "", "Name: the name may not be empty"),
])
def test_bad_fields_are_named_and_nothing_is_sent(qtbot: QtBot, tab: CallTypesTab, ctx: AppContext,
                                                  field: str, text: str, words: str) -> None:
    before = _types(ctx)
    with ctx.hub.db.reading() as session:
        last = eventlog.recent(session, 1)[0].event_id
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    _type(qtbot, tab, "code", "TOOL")
    _type(qtbot, tab, "name", "Tooling")
    _type(qtbot, tab, "color", "#FF6D00")
    _type(qtbot, tab, "symbol", "⚙")
    _type(qtbot, tab, field, text)
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert words in tab.message.text(), tab.message.text()
    assert not ctx.busy and _types(ctx) == before
    with ctx.hub.db.reading() as session:
        assert eventlog.recent(session, 1)[0].event_id == last


def test_the_service_refuses_a_bad_type_too(ctx: AppContext) -> None:
    admin = ctx.hub.call(signin.by_name, "Priya Admin", "9001")
    from jitdesk.domain.errors import BadInput

    with pytest.raises(BadInput, match="symbol must be one or two characters"):
        ctx.hub.call(master.save, CallType(code="TOOL", name="Tooling", color="#FF6D00", symbol=""),
                     actor=admin.user_id)
