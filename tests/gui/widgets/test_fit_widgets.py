"""The pieces that keep a page inside the window: a label that elides, and a page area that scrolls only
below the page's minimum size."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from jitdesk.gui.widgets.fit import ElidedLabel, FitTitle, fit_area

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
LONG = "▣  Station L1-S2  Gear set line with a very long name that no small screen can hold"


def test_elided_label_keeps_its_text_and_never_asks_for_the_width(qtbot: QtBot, qapp: Any) -> None:
    label = ElidedLabel(LONG)
    qtbot.addWidget(label)
    label.resize(label.sizeHint())
    label.show()
    assert label.shown_text() == LONG and label.toolTip() == ""
    assert label.minimumSizeHint().width() < label.sizeHint().width() // 4
    label.resize(200, label.height())
    qtbot.waitUntil(lambda: label.shown_text().endswith("…"))
    assert label.text() == LONG and label.toolTip() == LONG
    assert label.fontMetrics().horizontalAdvance(label.shown_text()) <= 200


def test_fit_area_fills_the_room_and_scrolls_only_below_the_minimum(qtbot: QtBot, qapp: Any) -> None:
    page = QWidget()
    layout = QVBoxLayout(page)
    tall = QLabel("x")
    tall.setMinimumSize(300, 900)
    layout.addWidget(tall)
    area = fit_area(page)
    qtbot.addWidget(area)
    area.resize(800, 1200)
    area.show()
    qtbot.waitUntil(lambda: page.height() >= 1100 and not area.verticalScrollBar().isVisible())
    assert page.width() == area.viewport().width()
    area.resize(800, 500)  # less room than the page's minimum: it scrolls, the area keeps its size
    qtbot.waitUntil(lambda: area.verticalScrollBar().isVisible())
    assert page.height() >= 900 and area.height() == 500
    assert area.minimumSizeHint().height() < 500  # the page's minimum never reaches the window


def test_a_title_takes_smaller_type_before_it_loses_letters(qtbot: QtBot, qapp: Any) -> None:
    title = FitTitle("Sync and quarantine", 120, 30)
    qtbot.addWidget(title)
    title.resize(2000, 200)
    title.show()
    assert title.pixels == 120 and title.shown_text() == "Sync and quarantine"  # room: full size
    title.resize(500, 200)
    qtbot.waitUntil(lambda: title.pixels < 120)
    assert title.pixels >= 30
    assert title.shown_text() == "Sync and quarantine"  # smaller, but whole
    title.resize(60, 200)
    qtbot.waitUntil(lambda: title.pixels == 30)
    assert title.shown_text() != "Sync and quarantine" and title.toolTip() == "Sync and quarantine"
