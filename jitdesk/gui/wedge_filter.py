"""Qt adapter for keyboard-wedge scanners: an event filter around ``WedgeDecoder``.

Install a ``WedgeFilter`` on the widget that has the keyboard focus at a scanning station (or on
the whole QApplication). Every character, Enter and Tab key press is held back and fed to the
decoder; a decided scan is emitted as ``scanned(code)`` and never reaches the widget, while keys a
person typed are re-sent to the widget they were aimed at, in order, after at most
``max_gap_ms``. Modifier presses (Shift for every capital, CapsLock, AltGr, NumLock, the Ctrl a
scanner holds for GS) inside a burst are part of it and are held with it; outside a burst they pass
straight through, so a person's Shift and shortcuts work as ever. Keys that cannot be part of a scan
(arrows, Backspace, shortcuts, auto-repeat) first release anything held, then pass straight through.

Times come from ``time.monotonic`` (injectable for tests) at the moment the filter sees the key:
Qt's own event timestamps are 0 for synthesised events and have no documented clock.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from jitdesk.devices.framing import GS
from jitdesk.devices.wedge import HumanTyping, KeyKind, WedgeConfig, WedgeDecoder, WedgeScan

__all__ = ["WedgeFilter"]

_ENTER_KEYS = (Qt.Key.Key_Return.value, Qt.Key.Key_Enter.value)
_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
)
_EDITING_KEYS = (Qt.Key.Key_Backspace.value, Qt.Key.Key_Delete.value, Qt.Key.Key_Escape.value)
_ALTGR = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
_MODIFIER_KEYS = frozenset(k.value for k in (
    Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_AltGr, Qt.Key.Key_Meta,
    Qt.Key.Key_CapsLock, Qt.Key.Key_NumLock, Qt.Key.Key_ScrollLock, Qt.Key.Key_Mode_switch,
    Qt.Key.Key_Super_L, Qt.Key.Key_Super_R, Qt.Key.Key_Hyper_L, Qt.Key.Key_Hyper_R,
))


@dataclass
class _Held:
    """A swallowed key press, kept so it can be re-sent exactly if it was typing."""

    target: QObject
    event: QKeyEvent


class WedgeFilter(QObject):
    """Event filter that turns wedge-scanner bursts into ``scanned`` signals."""

    scanned = Signal(str)

    def __init__(
        self,
        parent: QObject | None = None,
        config: WedgeConfig | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self._decoder = WedgeDecoder(config)
        self._clock = clock
        self._held: deque[_Held] = deque()  # mirrors the decoder's pending keys, same order
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timeout)

    @property
    def decoder(self) -> WedgeDecoder:
        return self._decoder

    def flush(self) -> None:
        """Deliver every held key now, as typing."""
        self._timer.stop()
        self._apply(self._decoder.flush())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._replaying or event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        kind = self._classify(event)
        if kind == "modifier" and not self._decoder.absorbs(self._clock()):
            # A person's Shift or Ctrl (no burst is running): straight through, after any stale keys.
            if self._held:
                self.flush()
            return False
        if kind is None:
            # Not scan material: let held typing out first so the order of keys is kept.
            if self._held:
                self.flush()
            return False
        # Copy: Qt reuses and deletes the original event once this handler returns.
        self._held.append(_Held(watched, QKeyEvent(event)))
        self._apply(self._decoder.feed(event.text(), kind, self._clock()))
        self._arm_timer()
        return True

    def _classify(self, event: QKeyEvent) -> KeyKind | None:
        if event.isAutoRepeat():
            return None
        mods = event.modifiers()
        key = event.key()
        if key in _MODIFIER_KEYS:
            return "modifier"
        if key in _ENTER_KEYS and not mods & _COMMAND_MODIFIERS:
            return "enter"
        if key == Qt.Key.Key_Tab.value and not mods & _COMMAND_MODIFIERS:
            return "tab"
        text = event.text()
        if not text:
            return None
        if text.isprintable():
            # AltGr arrives as Ctrl+Alt on some platforms; plain Ctrl/Alt/Meta+letter is a shortcut.
            if not mods & _COMMAND_MODIFIERS or (mods & _ALTGR) == _ALTGR:
                return "char"
            return None
        # A control character. Scanners type them as Ctrl+key inside a code (Ctrl+] is GS); a
        # person's Ctrl+C outside a burst is a shortcut, and Backspace or Escape is editing.
        if text == GS:
            return "char"
        if self._held and mods & Qt.KeyboardModifier.ControlModifier and key not in _EDITING_KEYS:
            return "char"
        return None

    def _apply(self, result: WedgeScan | HumanTyping | None) -> None:
        if result is None:
            return
        held = [self._held.popleft() for _ in range(min(len(result.keys), len(self._held)))]
        if isinstance(result, WedgeScan):
            self.scanned.emit(result.code)
            return
        self._replaying = True
        try:
            for item in held:
                if shiboken6.isValid(item.target):
                    QApplication.sendEvent(item.target, item.event)
        finally:
            self._replaying = False

    def _arm_timer(self) -> None:
        deadline = self._decoder.deadline()
        if deadline is None:
            self._timer.stop()
            return
        # A millisecond past the deadline, so poll() surely sees the burst as over.
        wait_ms = max(1, int((deadline - self._clock()) * 1000) + 1)
        self._timer.start(wait_ms)

    def _on_timeout(self) -> None:
        self._apply(self._decoder.poll(self._clock()))
        self._arm_timer()
