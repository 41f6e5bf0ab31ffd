"""WedgeFilter on a real QLineEdit (offscreen): scanner bursts become signals, typing gets through.

Most tests drive the filter's clock by hand so "fast" and "slow" do not depend on how busy the
machine is; one test uses the real monotonic clock with wide margins. tests/conftest.py sets
QT_QPA_PLATFORM=offscreen.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from jitdesk.devices.wedge import WedgeConfig
from jitdesk.gui.wedge_filter import WedgeFilter

WAIT_MS = 5000  # how long to wait for something that should happen, never a speed claim
GS = "\x1d"


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Rig:
    def __init__(
        self, qtbot: QtBot, clock: FakeClock | None = None, config: WedgeConfig | None = None
    ) -> None:
        self.edit = QLineEdit()
        qtbot.addWidget(self.edit)
        self.filter = WedgeFilter(self.edit, config, clock=clock) if clock else WedgeFilter(self.edit, config)
        self.edit.installEventFilter(self.filter)
        self.scans: list[str] = []
        self.filter.scanned.connect(self.scans.append)
        self.returns = 0
        self.edit.returnPressed.connect(self._returned)

    def _returned(self) -> None:
        self.returns += 1


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def rig(qtbot: QtBot, clock: FakeClock) -> Rig:
    return Rig(qtbot, clock)


def type_slowly(rig: Rig, clock: FakeClock, text: str) -> None:
    for ch in text:
        clock.advance(0.25)
        QTest.keyClicks(rig.edit, ch)


def send_key(
    widget: QLineEdit, key: Qt.Key, text: str, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, mods, text))


def test_fast_burst_with_enter_is_a_scan_and_never_reaches_the_field(qtbot: QtBot, rig: Rig) -> None:
    with qtbot.waitSignal(rig.filter.scanned, timeout=WAIT_MS) as blocker:
        QTest.keyClicks(rig.edit, "CARD-0042")
        QTest.keyClick(rig.edit, Qt.Key.Key_Return)
    assert blocker.args == ["CARD-0042"]
    qtbot.wait(100)  # let any (wrong) replay timer fire
    assert rig.edit.text() == ""
    assert rig.returns == 0
    assert rig.filter.decoder.pending == 0


def test_tab_also_ends_a_scan(qtbot: QtBot, rig: Rig) -> None:
    QTest.keyClicks(rig.edit, "LOT77")
    QTest.keyClick(rig.edit, Qt.Key.Key_Tab)
    assert rig.scans == ["LOT77"]
    assert rig.edit.text() == ""


def test_slow_typing_reaches_the_field_and_enter_still_works(
    qtbot: QtBot, rig: Rig, clock: FakeClock
) -> None:
    type_slowly(rig, clock, "qty 5")
    clock.advance(0.25)
    qtbot.waitUntil(lambda: rig.edit.text() == "qty 5", timeout=WAIT_MS)
    with qtbot.waitSignal(rig.edit.returnPressed, timeout=WAIT_MS):
        QTest.keyClick(rig.edit, Qt.Key.Key_Return)
    assert rig.scans == []


def test_held_key_is_delivered_once_the_clock_says_the_burst_is_over(
    qtbot: QtBot, rig: Rig, clock: FakeClock
) -> None:
    QTest.keyClicks(rig.edit, "x")
    qtbot.wait(100)  # real time passes, the filter's clock does not: still undecided
    assert rig.edit.text() == ""
    assert rig.filter.decoder.pending == 1
    clock.advance(0.05)
    qtbot.waitUntil(lambda: rig.edit.text() == "x", timeout=WAIT_MS)


def test_fast_burst_too_short_for_a_scan_is_typing(qtbot: QtBot, rig: Rig, clock: FakeClock) -> None:
    QTest.keyClicks(rig.edit, "ok")
    QTest.keyClick(rig.edit, Qt.Key.Key_Return)
    assert rig.scans == []
    assert rig.edit.text() == "ok"
    assert rig.returns == 1


def test_typing_then_scan_then_typing(qtbot: QtBot, rig: Rig, clock: FakeClock) -> None:
    type_slowly(rig, clock, "ab")
    clock.advance(0.25)
    QTest.keyClicks(rig.edit, "CARD-1")
    QTest.keyClick(rig.edit, Qt.Key.Key_Return)
    type_slowly(rig, clock, "cd")
    clock.advance(0.25)
    qtbot.waitUntil(lambda: rig.edit.text() == "abcd", timeout=WAIT_MS)
    assert rig.scans == ["CARD-1"]


def test_gs_from_ctrl_bracket_is_kept_and_other_controls_dropped(qtbot: QtBot, rig: Rig) -> None:
    QTest.keyClicks(rig.edit, "]C101")
    send_key(rig.edit, Qt.Key.Key_BracketRight, GS, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(rig.edit, "10AB")
    send_key(rig.edit, Qt.Key.Key_D, "\x04", Qt.KeyboardModifier.ControlModifier)  # EOT inside a burst
    send_key(rig.edit, Qt.Key.Key_Return, "\r")
    assert rig.scans == [f"]C101{GS}10AB"]


def test_editing_keys_pass_through_after_the_held_typing(qtbot: QtBot, rig: Rig, clock: FakeClock) -> None:
    type_slowly(rig, clock, "abc")  # "c" is still held when Backspace comes
    clock.advance(0.25)
    QTest.keyClick(rig.edit, Qt.Key.Key_Backspace)
    assert rig.edit.text() == "ab"
    QTest.keyClick(rig.edit, Qt.Key.Key_Home)
    clock.advance(0.25)
    QTest.keyClicks(rig.edit, "X")
    clock.advance(0.25)
    qtbot.waitUntil(lambda: rig.edit.text() == "Xab", timeout=WAIT_MS)


def test_shortcuts_pass_through(qtbot: QtBot, rig: Rig) -> None:
    rig.edit.setText("hello")
    QTest.keyClick(rig.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert rig.edit.selectedText() == "hello"
    assert rig.filter.decoder.pending == 0


def test_auto_repeat_passes_through(qtbot: QtBot, rig: Rig) -> None:
    mods = Qt.KeyboardModifier.NoModifier
    for _ in range(3):
        QApplication.sendEvent(rig.edit, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Z, mods, "z", True))
    assert rig.edit.text() == "zzz"


def test_flush_delivers_held_keys_now(qtbot: QtBot, rig: Rig) -> None:
    QTest.keyClicks(rig.edit, "AB")
    assert rig.edit.text() == ""
    rig.filter.flush()
    assert rig.edit.text() == "AB"


@pytest.fixture
def app_filter(qtbot: QtBot, clock: FakeClock) -> Iterator[tuple[QLineEdit, WedgeFilter, list[str]]]:
    edit = QLineEdit()
    qtbot.addWidget(edit)
    app = QApplication.instance()
    assert app is not None
    wedge = WedgeFilter(None, clock=clock)
    scans: list[str] = []
    wedge.scanned.connect(scans.append)
    app.installEventFilter(wedge)
    yield edit, wedge, scans
    app.removeEventFilter(wedge)


def test_installed_on_the_application(
    qtbot: QtBot, clock: FakeClock, app_filter: tuple[QLineEdit, WedgeFilter, list[str]]
) -> None:
    edit, _wedge, scans = app_filter
    for ch in "hi":
        clock.advance(0.25)
        QTest.keyClicks(edit, ch)
    clock.advance(0.25)
    QTest.keyClicks(edit, "CARD-9")
    QTest.keyClick(edit, Qt.Key.Key_Enter)
    assert scans == ["CARD-9"]
    qtbot.waitUntil(lambda: edit.text() == "hi", timeout=WAIT_MS)


def test_real_clock(qtbot: QtBot) -> None:
    """Real time.monotonic: a synthetic burst is far inside the gap, typing with pauses far outside."""
    rig = Rig(qtbot, config=WedgeConfig(max_gap_ms=250))
    with qtbot.waitSignal(rig.filter.scanned, timeout=WAIT_MS) as blocker:
        QTest.keyClicks(rig.edit, "CARD-5")
        QTest.keyClick(rig.edit, Qt.Key.Key_Return)
    assert blocker.args == ["CARD-5"]
    for ch in "ok":
        QTest.keyClicks(rig.edit, ch)
        qtbot.wait(400)
    qtbot.waitUntil(lambda: rig.edit.text() == "ok", timeout=WAIT_MS)
    assert rig.scans == ["CARD-5"]


def press_like_a_scanner(widget: QLineEdit, code: str, extra: tuple[Qt.Key, ...] = ()) -> None:
    """What a USB scanner sends: Shift down before each capital (with the capital's event carrying
    the Shift modifier), Shift up after; ``extra`` lock keys first; then Enter."""
    shift = Qt.KeyboardModifier.ShiftModifier
    none = Qt.KeyboardModifier.NoModifier
    for key in extra:
        send_key(widget, key, "")
    for ch in code:
        if ch.isupper():
            QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Shift, shift, ""))
            send_key(widget, Qt.Key(ord(ch)), ch, shift)
            QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyRelease, Qt.Key.Key_Shift, none, ""))
        else:
            send_key(widget, Qt.Key(ord(ch.upper())), ch)
    send_key(widget, Qt.Key.Key_Return, "\r")
    QTest.keyRelease(widget, Qt.Key.Key_Shift)  # no Shift left "held" app-wide for the next test


def test_shift_for_every_capital_is_one_scan_not_typing(qtbot: QtBot, rig: Rig) -> None:
    press_like_a_scanner(rig.edit, "K000001W")
    assert rig.scans == ["K000001W"]
    qtbot.wait(100)
    assert rig.edit.text() == ""
    assert rig.returns == 0


def test_capslock_numlock_and_altgr_inside_a_burst_are_part_of_it(qtbot: QtBot, rig: Rig) -> None:
    QTest.keyClicks(rig.edit, "k")
    press_like_a_scanner(rig.edit, "00000Y7", extra=(Qt.Key.Key_CapsLock, Qt.Key.Key_NumLock, Qt.Key.Key_AltGr))
    assert rig.scans == ["k00000Y7"]
    assert rig.edit.text() == ""


def test_a_persons_shift_outside_a_burst_passes_straight_through(
    qtbot: QtBot, rig: Rig, clock: FakeClock
) -> None:
    seen: list[int] = []
    clock.advance(1.0)
    QApplication.sendEvent(rig.edit, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Shift,
                                               Qt.KeyboardModifier.ShiftModifier, ""))
    seen.append(rig.filter.decoder.pending)
    clock.advance(0.25)
    send_key(rig.edit, Qt.Key.Key_H, "H", Qt.KeyboardModifier.ShiftModifier)
    clock.advance(0.25)
    qtbot.waitUntil(lambda: rig.edit.text() == "H", timeout=WAIT_MS)
    # Qt keeps the last key event's modifiers app-wide (a sent release does not reset them): let go of
    # Shift the way QTest does, or the next test's table selections would extend.
    QTest.keyRelease(rig.edit, Qt.Key.Key_Shift)
    assert QApplication.keyboardModifiers() == Qt.KeyboardModifier.NoModifier
    assert seen == [0]
    assert rig.scans == []
