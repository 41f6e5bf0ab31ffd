"""The big scan answer: a panel that flashes the result's colour with its symbol and words.

Read from a metre away with gloves on: a giant symbol (✔ ✖ ◉) and headline (EMPTIED, CARD ON HOLD),
the plain-words message under it. An answer a worker can trust:

* After `HOLD_MS` the colour calms to a dark panel that still shows the last answer and says how long
  ago it came ("EMPTIED · 12 s ago", ticking), so a worker who looks up late reads what happened and
  never takes an old answer for a new one.
* `checking(code)` is shown the moment a scanner's code is handed over (`watch(router)` does it for
  every routed scan): the previous answer goes away at once. If no answer comes within `LOST_MS`, the
  panel says so ("NO ANSWER: scan again"), so a lost scan can never leave the previous answer looking
  like the new one.
* A double scan of the card just shown keeps that first answer (colour and words) and adds
  "scanned twice: nothing more done" under it.

`size` is FULL (the station), COMPACT (the queue) or BANNER (the main window's strip on every other view).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from jitdesk.gui import theme
from jitdesk.gui.kanban.words import IDLE, TONES, Look, headline
from jitdesk.runtime.scan_router import Routed, ScanRouter, shown

HOLD_MS = 4000
LOST_MS = 8000  # a scan handed over with no answer after this long was lost somewhere: say so
TICK_MS = 1000
TWICE = "◉ scanned twice: nothing more done"
CHECKING = Look("…", "#2A3340", "#F4F6F8")
WAITS_FOR_ANSWER = ("kanban", "")  # routes whose answer comes back as a ScanOutcome ("": unknown)


@dataclass(frozen=True)
class FlashSize:
    symbol_px: int
    title_px: int
    detail_px: int
    min_height: int
    symbol_width: int


FULL = FlashSize(120, 76, 30, 200, 170)
COMPACT = FlashSize(66, 42, 17, 110, 94)
BANNER = FlashSize(40, 30, 20, 64, 60)


def ago(seconds: float) -> str:
    """"12 s ago", "3 min ago", "2 h ago"."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s ago"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    return f"{seconds // 3600} h ago"


class ScanFlash(QFrame):
    def __init__(self, parent: QWidget | None = None, *, compact: bool = False, hint_text: str = "",
                 size: FlashSize | None = None, clock: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self.setObjectName("scanFlash")
        self.size_spec = size or (COMPACT if compact else FULL)
        self.compact = self.size_spec is not FULL
        self.clock = clock
        self.tone = "idle"
        self.result = ""
        self.card: str | None = None
        self.at_s: float | None = None  # when the answer shown came (clock seconds)
        self.twice = 0
        self.waiting: str | None = None  # the code handed over whose answer has not come
        self.symbol = QLabel()
        self.title = QLabel()
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.title.setWordWrap(True)  # a long headline takes two lines, never the window's width
        for label in (self.symbol, self.title, self.detail):
            label.setStyleSheet("background: transparent;")
        self.symbol.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The slim sizes grow with ui.font_scale as far as the header does; the full one is big already.
        self.type_scale = 1.0 if self.size_spec is FULL else min(theme.font_scale(), theme.HEADER_MAX_SCALE)
        self.symbol.setMinimumWidth(round(self.size_spec.symbol_width * self.type_scale))
        self._fonts()
        text = QVBoxLayout()
        text.setSpacing(2 if self.size_spec is BANNER else 4)
        text.addWidget(self.title)
        text.addWidget(self.detail)
        row = QHBoxLayout(self)
        margin = 6 if self.size_spec is BANNER else 12
        row.setContentsMargins(24, margin, 24, margin)
        row.addWidget(self.symbol)
        row.addLayout(text, 1)
        self.setMinimumHeight(self.size_spec.min_height)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.calm)
        self._lost = QTimer(self)
        self._lost.setSingleShot(True)
        self._lost.timeout.connect(self._no_answer)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._show_age)
        self._unwatch: Callable[[], None] | None = None
        self.idle(hint_text or "Scan a kanban card")

    def set_scale(self, scale: float) -> None:
        """Smaller type for a narrow page (the station view calls it as the window's width changes)."""
        self._fonts(scale)

    def _fonts(self, scale: float = 1.0) -> None:
        size = self.size_spec
        scale *= self.type_scale
        self.symbol.setStyleSheet(f"background: transparent; font-size: {int(size.symbol_px * scale)}px; "
                                  "font-weight: bold;")
        self.title.setStyleSheet(f"background: transparent; font-size: {int(size.title_px * scale)}px; "
                                 "font-weight: bold;")
        self.detail.setStyleSheet(f"background: transparent; font-size: {int(size.detail_px * scale)}px;")

    def _paint(self, look: Look, border: str | None = None) -> None:
        edge = border or look.background
        width = 4 if self.size_spec is BANNER else 6
        if self.size_spec is BANNER:  # the idle strip is one slim line: an empty detail takes no room
            self.detail.setVisible(bool(self.detail.text()))
        self.setStyleSheet(f"#scanFlash {{ background: {look.background}; border: {width}px solid {edge};"
                           f" border-radius: 14px; }} #scanFlash QLabel {{ color: {look.foreground}; }}")

    # -- what the pipeline and the router call -----------------------------------------------------
    def watch(self, router: ScanRouter) -> None:
        """Show "checking" for every code a scanner hands over, until its answer comes."""
        if self._unwatch is None:
            unwatch = router.subscribe(self._routed)
            self._unwatch = unwatch
            self.destroyed.connect(lambda *_: unwatch())

    def _routed(self, routed: Routed) -> None:
        if routed.kind == "claim":
            return  # a dialog took it (the sign-in badge field): it answers there
        if routed.kind == "route" and routed.to not in WAITS_FOR_ANSWER:
            self._show(TONES["info"], "info", "BADGE" if routed.to == "badge" else routed.to.upper(),
                       f"{shown(routed.scan.code)} read: {routed.to}")
            return
        self.checking(routed.scan.code)

    def idle(self, text: str) -> None:
        self.tone = "idle"
        self.result = ""
        self.card = None
        self.at_s = None
        self._tick.stop()
        self.symbol.setText(IDLE.symbol)
        self.title.setText(text)
        self.detail.setText("")
        self._paint(IDLE, "#3A4656")

    def checking(self, code: str) -> None:
        """A code was handed over: the previous answer goes, this one is awaited."""
        if self.result and self.card and code.strip().upper().startswith(self.card) and self.flashing:
            self.waiting = code  # likely the same card again: keep the first answer until we know
            self._lost.start(LOST_MS)
            return
        self.waiting = code
        self.tone = "checking"
        self.result = ""
        self.card = None
        self.at_s = None
        self._tick.stop()
        self._timer.stop()
        self.symbol.setText(CHECKING.symbol)
        self.title.setText("CHECKING…")
        self.detail.setText(f"reading {shown(code)}")
        self._paint(CHECKING, "#5A6676")
        self._lost.start(LOST_MS)

    def show_result(self, tone: str, result: str, message: str, *, card: str | None = None,
                    at_ms: int | None = None) -> None:
        """Flash one scan's answer (tone: success, info or refused); `card`: the card's code."""
        self.waiting = None
        self._lost.stop()
        if result == "double_scan" and self.result and self.result != "double_scan" \
                and (card is None or card == self.card):
            # The same card again: the first answer stays, with a word that it was scanned twice.
            self.twice += 1
            base = self.detail.text().split("\n" + TWICE)[0]
            times = "" if self.twice == 1 else f" ({self.twice + 1} times)"
            self.detail.setText(f"{base}\n{TWICE}{times}")
            self.at_s = self.clock() if at_ms is None else at_ms / 1000
            self.title.setText(self.title.text().split(" · ")[0])
            self._paint(TONES.get(self.tone, TONES["info"]))
            self._tick.stop()
            self._timer.start(HOLD_MS)
            return
        look = TONES.get(tone, TONES["refused"])
        self.twice = 0
        self.card = card
        self.at_s = self.clock() if at_ms is None else at_ms / 1000
        self._show(look, tone, headline(result), message)
        self.result = result

    def _show(self, look: Look, tone: str, title: str, message: str) -> None:
        self.tone = tone
        self.result = tone
        self._tick.stop()
        self.symbol.setText(look.symbol)
        self.title.setText(title)
        self.detail.setText(message)
        self._paint(look)
        self._timer.start(HOLD_MS)

    def _no_answer(self) -> None:
        code = self.waiting
        self.waiting = None
        if code is None:
            return
        self.card = None
        self.twice = 0
        self.at_s = self.clock()
        self._show(TONES["refused"], "refused", "NO ANSWER",
                   f"the scan {shown(code)} got no answer (see the scan list): scan the card again")
        self.result = "no_answer"

    def calm(self) -> None:
        """Keep the words, drop the bright colour (the border keeps a hint of it), and say how long ago."""
        if self.tone in TONES:
            self._paint(IDLE, TONES[self.tone].background)
            self._show_age()
            self._tick.start()

    def _show_age(self) -> None:
        if self.at_s is None or not self.result:
            return
        head = self.title.text().split(" · ")[0]
        self.title.setText(f"{head} · {ago(self.clock() - self.at_s)}")

    @property
    def flashing(self) -> bool:
        return self._timer.isActive()
