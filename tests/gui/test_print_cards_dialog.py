"""The Print cards dialog on the demo plant: choose a loop, print, see the result; refusals in plain words."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from jitdesk.gui.context import AppContext
from jitdesk.gui.print_cards import PrintCardsDialog
from jitdesk.services import signin
from jitdesk.services.card_printing import PrintReport, printable_loops
from jitdesk.services.changes import Changes

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def dialog(qtbot: QtBot, ctx: AppContext) -> PrintCardsDialog:
    ctx.sign_in(ctx.hub.call(signin.by_name, "Priya Admin", "9001"))
    dlg = PrintCardsDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.open()
    qtbot.waitUntil(lambda: dlg.loop_list.count() > 0 and not ctx.busy)
    return dlg


def _print(qtbot: QtBot, dlg: PrintCardsDialog, ctx: AppContext) -> None:
    qtbot.mouseClick(dlg.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.message.isVisible() and not ctx.busy, timeout=20_000)


def test_print_one_loop_records_and_tells_every_view(qtbot: QtBot, dialog: PrintCardsDialog, ctx: AppContext,
                                                     tmp_path: Path) -> None:
    choices = ctx.hub.call(printable_loops)
    assert dialog.loop_list.count() == len(choices) > 1
    first = choices[0]
    assert dialog.loop_list.item(0).text().startswith(first.code)
    dialog.set_loops_checked([first.loop_id])
    assert not dialog.all_loops.isChecked() and dialog.chosen_loop_ids() == [first.loop_id]
    dialog.out.setText(str(tmp_path / "one-loop"))  # ".pdf" is added
    reports: list[PrintReport] = []
    dialog.printed.connect(reports.append)

    with qtbot.waitSignal(ctx.changed, timeout=20_000) as changed:
        _print(qtbot, dialog, ctx)

    assert dialog.message.property("level") == "info", dialog.message.text()
    expected = f"Printed {first.unprinted} cards of 1 loop on 1 page to {tmp_path / 'one-loop.pdf'}"
    assert expected in dialog.message.text()
    assert (tmp_path / "one-loop.pdf").is_file()
    assert dialog.open_button.isVisible()
    assert len(reports) == 1 and reports[0].cards == first.unprinted
    assert isinstance(changed.args[0], Changes) and changed.args[0].touches("card")
    qtbot.waitUntil(lambda: not ctx.busy)
    assert "all printed" in dialog.loop_list.item(0).text()  # the list reloaded its counts
    assert dialog.chosen_loop_ids() == [first.loop_id]  # and kept the choice

    # The same loop again without reprint: nothing to print, said in the dialog.
    _print(qtbot, dialog, ctx)
    assert dialog.message.property("level") == "problem"
    assert "Nothing to print" in dialog.message.text()

    dialog.reprint.setChecked(True)
    _print(qtbot, dialog, ctx)
    assert "Printed" in dialog.message.text() and dialog.message.property("level") == "info"


def test_refusals_are_shown_in_the_dialog(qtbot: QtBot, dialog: PrintCardsDialog, ctx: AppContext,
                                          tmp_path: Path) -> None:
    dialog.all_loops.setChecked(False)
    dialog.set_loops_checked([])
    dialog.out.setText(str(tmp_path / "x.pdf"))
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert "Tick at least one loop" in dialog.message.text()

    dialog.all_loops.setChecked(True)
    (tmp_path / "a-file").write_text("x")
    dialog.out.setText(str(tmp_path / "a-file" / "cards.pdf"))
    _print(qtbot, dialog, ctx)
    assert dialog.message.property("level") == "problem"
    assert "Cannot write" in dialog.message.text() and "Nothing was recorded" in dialog.message.text()
    assert dialog.print_button.isEnabled()

    ctx.sign_out()
    dialog.out.setText(str(tmp_path / "cards.pdf"))
    _print(qtbot, dialog, ctx)
    assert "Sign in as admin" in dialog.message.text()
    assert not (tmp_path / "cards.pdf").exists()


def test_file_chooser_is_non_blocking_and_fills_the_field(qtbot: QtBot, dialog: PrintCardsDialog,
                                                          tmp_path: Path) -> None:
    chooser = dialog.choose_file()  # returns at once: open(), not exec()
    assert isinstance(chooser, QFileDialog) and chooser.isVisible()
    assert chooser.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    chooser.fileSelected.emit(str(tmp_path / "chosen.pdf"))
    assert dialog.out.text() == str(tmp_path / "chosen.pdf")
    chooser.reject()
    qtbot.waitUntil(lambda: not chooser.isVisible())


def test_preselected_loops_are_ticked(qtbot: QtBot, ctx: AppContext) -> None:
    choices = ctx.hub.call(printable_loops)
    dlg = PrintCardsDialog(ctx, loop_ids=[choices[1].loop_id])
    qtbot.addWidget(dlg)
    dlg.open()
    qtbot.waitUntil(lambda: dlg.loop_list.count() > 0 and not ctx.busy)
    assert not dlg.all_loops.isChecked() and dlg.loop_list.isEnabled()
    assert dlg.chosen_loop_ids() == [choices[1].loop_id]


def test_a_reused_dialog_starts_fresh_and_stays_open_while_printing(
        qtbot: QtBot, dialog: PrintCardsDialog, ctx: AppContext, tmp_path: Path) -> None:
    choices = ctx.hub.call(printable_loops)
    dialog.out.setText(str(tmp_path / "first.pdf"))
    dialog.reprint.setChecked(True)
    _print(qtbot, dialog, ctx)
    assert dialog.open_button.isVisible()

    dialog.prepare([choices[2].loop_id])
    qtbot.waitUntil(lambda: dialog.loop_list.count() > 0 and not ctx.busy)
    assert dialog.chosen_loop_ids() == [choices[2].loop_id] and not dialog.all_loops.isChecked()
    assert not dialog.reprint.isChecked()
    assert not dialog.message.isVisible() and not dialog.open_button.isVisible()
    out = Path(dialog.out.text())
    assert out.parent == tmp_path and out.name.startswith("kanban-cards-") and out.suffix == ".pdf"

    dialog.busy = True  # as while a print runs: Close and Esc do nothing
    dialog.reject()
    assert dialog.isVisible()
    dialog.busy = False
    dialog.reject()
    assert not dialog.isVisible()
