"""Admin, the takt parts: a demand CSV is previewed (good rows in a table, each bad row in words with
its line number) and its good rows imported; a line's takt settings (window, andon link) are edited."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from jitdesk.domain.master import Demand, TaktLine
from jitdesk.gui.admin.demand_import import DemandImport
from jitdesk.gui.admin.view import AdminView
from jitdesk.gui.context import AppContext
from jitdesk.services import master, signin

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def admin_view(qtbot: QtBot, ctx: AppContext) -> AdminView:
    view = AdminView(ctx)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    qtbot.waitUntil(lambda: not ctx.busy)
    return view


def _sign_in_admin(ctx: AppContext) -> None:
    ctx.sign_in(ctx.hub.call(signin.by_name, "Priya Admin", "9001"))


def test_demand_csv_preview_names_bad_rows_and_imports_the_good(qtbot: QtBot, admin_view: AdminView,
                                                                 ctx: AppContext, tmp_path: Path) -> None:
    tab = admin_view.show_tab("demand")
    panel = tab.extra
    assert isinstance(panel, DemandImport)
    csv_file = tmp_path / "week.csv"
    csv_file.write_text("line,date,quantity,shift,parts_per_cycle\n"
                        "L1,2027-03-01,900,Early,1\n"
                        "L1,1.3.2027,900,Late,1\n"
                        "L2,2027-03-01,320,,2\n"
                        "L9,2027-03-01,10,,1\n", encoding="utf-8")
    panel.open_file(csv_file)
    qtbot.waitUntil(lambda: panel.checked is not None and not ctx.busy)
    assert [panel.preview.item(i).text() for i in range(panel.preview.count())] == [
        "L1 · 2027-03-01 · Early: 900 parts", "L2 · 2027-03-01 · whole day: 320 parts, 2 per cycle"]
    text = panel.problems.text()
    assert "2 good row(s) to import" in text and "2 row(s) will be left out" in text
    assert "line 3: '1.3.2027' is not a date like 2026-12-02" in text and "line 5: no line has the code 'L9'" in text
    assert "needs admin" in panel.import_button.text()  # nobody signed in yet
    _sign_in_admin(ctx)
    qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.message.isVisible() and not ctx.busy)
    assert panel.message.text().endswith("Imported 2 demand row(s) from week.csv; 2 bad row(s) left out.")
    found = sorted((r.value.day, r.value.shift or "", r.value.quantity) for r in ctx.hub.call(master.records, Demand)
                   if r.value.day == "2027-03-01")
    assert found == [("2027-03-01", "", 320), ("2027-03-01", "Early", 900)]
    qtbot.waitUntil(lambda: any(tab.table.item(r, 1).text() == "2027-03-01" for r in range(tab.table.rowCount())))


def test_unreadable_file_is_said_in_words(qtbot: QtBot, admin_view: AdminView, tmp_path: Path) -> None:
    panel = admin_view.show_tab("demand").extra
    assert isinstance(panel, DemandImport)
    binary = tmp_path / "export.csv"
    binary.write_bytes(b"\xff\xfe\x00l\x00i\x9c")
    panel.open_file(binary)
    assert panel.message.text().endswith("export.csv is not a UTF-8 text file: save it as CSV (UTF-8).")
    assert not panel.import_button.isEnabled()


def test_line_takt_settings_are_edited_in_admin(qtbot: QtBot, admin_view: AdminView, ctx: AppContext) -> None:
    _sign_in_admin(ctx)
    tab = admin_view.show_tab("takt_lines")
    qtbot.waitUntil(lambda: tab.table.rowCount() == 2)  # the demo's L1 and L2
    row = next(r for r in range(tab.table.rowCount()) if tab.table.item(r, 0).text().startswith("L2"))
    assert tab.table.item(row, 2).text() == "✓ on, over 4 cycles behind"
    tab.table.selectRow(row)
    edit = tab.editors["andon_takts"].edit  # type: ignore[attr-defined]
    edit.clear()
    qtbot.keyClicks(edit, "6")
    window = tab.editors["window_percent"].edit  # type: ignore[attr-defined]
    window.clear()
    qtbot.keyClicks(window, "15")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.message.isVisible() and not ctx.busy)
    assert "Saved" in tab.message.text(), tab.message.text()
    settings = [r.value for r in ctx.hub.call(master.records, TaktLine) if r.value.andon_takts == 6]
    assert [(s.window_percent, s.andon_link) for s in settings] == [(15, True)]
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)  # a second record for L2 is refused
    combo = tab.editors["line_id"].combo  # type: ignore[attr-defined]
    combo.setCurrentIndex(combo.findText("L2", Qt.MatchFlag.MatchStartsWith))
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.message.isVisible() and not ctx.busy)
    assert "is already used by another record" in tab.message.text()
