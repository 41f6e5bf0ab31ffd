"""Words are never cut at 1280x800: every navigation button shows whole and beside (never under) the
navigation's scroll bar, the takt countdown's text fits its box however late the cycle, and every andon
call button's name fits the button (font_scale 1.0 and 2.0)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from jitdesk.gui.context import AppContext
from jitdesk.gui.main_window import MainWindow
from jitdesk.gui.takt.station import Countdown
from tests.helpers.screens import settle, themed

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
SMALL = (1280, 800)


def _window(qtbot: QtBot, ctx: AppContext, view: str, size: tuple[int, int] = SMALL) -> MainWindow:
    window = MainWindow(ctx, view)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    settle(qtbot, ctx)
    return window


def _text_width(button: QPushButton) -> int:
    metrics = QFontMetrics(button.font())
    return max(metrics.horizontalAdvance(line) for line in button.text().split("\n"))


@pytest.mark.parametrize("font_scale", (1.0, 3.0))
def test_nav_buttons_are_never_under_the_scroll_bar(qtbot: QtBot, qapp: Any, ctx: AppContext,
                                                    font_scale: float) -> None:
    with themed(qapp, font_scale):
        window = _window(qtbot, ctx, "andon")  # a view under the answer banner: the least room
        area = window.nav_area
        viewport = area.viewport()
        bar = area.verticalScrollBar()
        if font_scale == 1.0:
            assert not bar.isVisible(), "the navigation scrolls at 1280x800"
        for name, button in window.nav_buttons.items():
            top_left = button.mapTo(viewport, QPoint(0, 0))
            right = top_left.x() + button.width()
            assert right <= viewport.width(), f"nav {name} runs under the scroll bar ({right} > {viewport.width()})"
            assert _text_width(button) <= button.contentsRect().width(), f"nav {name}'s words are cut"
            if font_scale == 1.0:
                assert top_left.y() + button.height() <= viewport.height(), f"nav {name} is below the fold"


def test_takt_countdown_fits_however_late(qtbot: QtBot, qapp: Any, ctx: AppContext) -> None:
    with themed(qapp):
        window = _window(qtbot, ctx, "takt")
        countdown = window.pages["takt"].findChild(Countdown, "taktCountdown")
        assert countdown is not None
        for text in ("−0:12", "−59:59", "−4:50:23", "−123:59:59"):
            countdown.setText(text)
            countdown.ensurePolished()
            width = QFontMetrics(countdown.font()).horizontalAdvance(text)
            assert width <= countdown.contentsRect().width(), f"{text}: {width} > {countdown.width()}"


@pytest.mark.parametrize("font_scale", (1.0, 2.0))
def test_andon_call_buttons_words_fit(qtbot: QtBot, qapp: Any, ctx: AppContext, font_scale: float) -> None:
    with themed(qapp, font_scale):
        window = _window(qtbot, ctx, "andon")
        buttons = window.pages["andon"].call_buttons  # type: ignore[attr-defined]
        assert buttons
        for code, button in buttons.items():
            assert button.isVisible()
            room = button.contentsRect().width() - 2 * 10  # its border and padding each side
            assert _text_width(button) <= room, f"{code}: {button.text()!r} is cut"
