"""The message bar shows its tone in colour and in a symbol: problem red ⚠, success green ✔, info neutral ℹ."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from jitdesk.gui.widgets.message_bar import MessageBar
from tests.helpers.screens import themed

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _colour_at_centre(bar: MessageBar) -> QColor:
    image = bar.grab().toImage()
    return image.pixelColor(image.width() // 2, image.height() - 4)


def test_each_tone_has_its_colour_and_symbol(qtbot: QtBot, qapp: Any) -> None:
    with themed(qapp):
        bar = MessageBar()
        qtbot.addWidget(bar)
        bar.resize(900, 100)
        looks = {}
        for level, symbol in (("problem", "⚠"), ("success", "✔"), ("info", "ℹ")):
            bar.show_message(level, "Something happened.")
            assert bar.text.startswith(symbol) and bar.level == level
            looks[level] = _colour_at_centre(bar)
        problem, success, info = looks["problem"], looks["success"], looks["info"]
        assert problem.red() > problem.green() and problem.red() > problem.blue()  # red
        assert success.green() > success.red() and success.green() > success.blue()  # green
        assert abs(info.red() - info.blue()) < 30 and abs(info.red() - info.green()) < 30  # neutral grey
        assert len({problem.name(), success.name(), info.name()}) == 3


def test_unknown_level_is_shown_as_a_problem_and_problems_stay(qtbot: QtBot, qapp: Any) -> None:
    with themed(qapp):
        bar = MessageBar()
        qtbot.addWidget(bar)
        bar.show_message("weird", "Disk is full.")
        assert bar.level == "problem" and bar.text.startswith("⚠") and bar.isVisible()
        assert not bar._timer.isActive()  # a problem waits for OK
        bar.show_message("success", "Saved.")
        assert bar._timer.isActive()  # a success fades
