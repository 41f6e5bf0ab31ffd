"""The station's takt view, read from 5 m: the running cycle's countdown (negative when late), early /
on target / late, made versus planned this shift, ahead or behind in parts, the last ten cycle times,
the rate needed to catch up by the shift's end, one big button to complete a cycle by touch and one
to undo the last cycle pressed by mistake (within two minutes by anyone here; later by a supervisor).

In a break, a planned stop or outside shifts it says so and stands still (working time does not run).
It loads the line's status when cycles, demand or calendars change (and every `RELOAD_MS` as a safety
net), and moves it on with the clock four times a second without touching the database.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QHideEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from jitdesk.domain.takt.status import OFF, LineStatus, at_time, stale
from jitdesk.gui import theme
from jitdesk.gui.context import AppContext
from jitdesk.gui.takt.look import GREY, JUDGEMENT, PHASE, STANDING, clock, countdown, seconds, signed
from jitdesk.gui.widgets import big_button, page_title
from jitdesk.gui.widgets.page import ReloadingPage
from jitdesk.gui.words import answer, qt_words
from jitdesk.services.takt.cycles import CycleOutcome
from jitdesk.services.takt.status import LineTakt, StationLines, line_takt, station_lines
from jitdesk.services.uow import wall_clock_ms
from jitdesk.services.words import zone_named

TICK_MS = 250
RELOAD_MS = 30_000
CAP_SHARE = 0.62  # of the countdown's height its capitals take (the rest: ascenders, minus sign, air)
MIN_PX = 24  # the countdown's smallest type, for a very narrow page
STACKED_SCALE = 2.0  # from this ui.font_scale on, the line picker sits below the title
PICKER_MAX_PX = 460  # the line picker's widest: the page title gives way up to this, then the name is cut


class Countdown(QLabel):
    """The big number: its font grows with its height and shrinks to fit its width."""

    SAMPLE = "−88:88"

    def __init__(self) -> None:
        super().__init__("–:––")
        self.setObjectName("taktCountdown")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Its size comes from the page, never from its own (huge) text, so the window never grows.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumHeight(120)
        self.colour = GREY
        self.pixels = 120

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def setText(self, text: str) -> None:
        refit = len(text) != len(self.text())  # "−4:50:23" needs smaller type than "−0:12"
        super().setText(text)
        if refit:
            self.fit()

    def fit(self) -> None:
        """The largest type whose capitals fit the height and whose text (at least "−88:88") the width."""
        font = QFont(self.font())
        font.setBold(True)
        room = self.contentsRect()
        pixels = max(MIN_PX, int(room.height() * 0.9))
        while pixels > MIN_PX:
            font.setPixelSize(pixels)
            metrics = QFontMetrics(font)
            wide = max(metrics.horizontalAdvance(self.SAMPLE), metrics.horizontalAdvance(self.text()))
            if metrics.capHeight() <= room.height() * CAP_SHARE and wide <= room.width() * 0.96:
                break
            pixels -= max(1, pixels // 40)
        self.pixels = pixels
        self._style()

    def set_colour(self, colour: str) -> None:
        self.colour = colour
        self._style()

    def _style(self) -> None:
        # Through the style sheet: the app's theme sets label fonts there, and would win over setFont.
        self.setStyleSheet(f"color: {self.colour}; font-size: {self.pixels}px; font-weight: bold;")

    def cap_height(self) -> int:
        self.ensurePolished()
        return QFontMetrics(self.font()).capHeight()


def _tile(title: str) -> tuple[QFrame, QLabel]:
    frame = QFrame()
    frame.setObjectName("taktTile")
    frame.setStyleSheet("#taktTile { border: 2px solid #33414f; border-radius: 10px; }")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(14, 4, 14, 4)
    layout.setSpacing(0)
    caption = QLabel(title)
    caption.setStyleSheet("font-size: 20px; color: #B0BEC5;")
    value = QLabel("—")
    value.setStyleSheet("font-size: 36px; font-weight: bold;")
    value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    layout.addWidget(caption)
    layout.addWidget(value)
    return frame, value


class TaktStationView(ReloadingPage):
    WATCHES = ("takt_cycle", "takt_minutes", "takt_line", "demand", "calendar", "line", "station", "plant",
               "local_settings")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 now_ms: Callable[[], int] = wall_clock_ms) -> None:
        super().__init__(ctx, parent)
        self.now_ms = now_ms  # the clock (tests and screenshots give a fixed one)
        self.words = qt_words()
        self.zone = zone_named("UTC")
        self.line_id: str | None = None
        self.current: LineTakt | None = None
        self.shown: LineStatus | None = None
        self.title = page_title("◷  Takt")
        self.picker = QComboBox()
        self.picker.setMinimumHeight(56)
        self.picker.setMinimumWidth(280)
        # As wide as its longest line name (up to a cap), so "L1  Line 1 Gear pumps" is not cut.
        self.picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.picker.setMaximumWidth(PICKER_MAX_PX)
        self.picker.setStyleSheet("font-size: 24px;")
        self.picker.activated.connect(self._picked)
        self.phase = QLabel()
        self.phase.setObjectName("taktPhase")
        self.phase.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown = Countdown()
        self.judgement = QLabel()
        self.judgement.setObjectName("taktJudgement")
        self.judgement.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.judgement.setStyleSheet("font-size: 44px; font-weight: bold;")
        made_tile, self.made = _tile("Made / planned by now")
        self.made_caption = made_tile.findChild(QLabel)
        ahead_tile, self.ahead = _tile("Ahead / behind plan, parts")
        takt_tile, self.takt = _tile("Takt")
        rate_tile, self.rate = _tile("Needed to catch up by shift end")
        self.recent = QLabel()
        self.recent.setObjectName("taktRecent")
        self.recent.setTextFormat(Qt.TextFormat.RichText)
        self.recent.setStyleSheet("font-size: 22px;")
        self.done = big_button("✓  Cycle done", primary=True)
        self.done.setObjectName("taktDone")
        self.done.setMinimumHeight(90)
        self.done.setStyleSheet("font-size: 36px; font-weight: bold;")
        self.done.clicked.connect(self.complete)
        self.undo = big_button("↶  Undo last cycle")
        self.undo.setObjectName("taktUndo")
        self.undo.setMinimumHeight(90)
        self.undo.setStyleSheet("font-size: 24px;")
        self.undo.setToolTip("Takes back the last Cycle done of this shift (a supervisor for one older than "
                             "two minutes or from another station)")
        self.undo.clicked.connect(self.undo_last)
        self.answer = QLabel()
        self.answer.setObjectName("taktAnswer")
        self.answer.setStyleSheet("font-size: 22px;")
        self.answer.setWordWrap(True)  # two lines beside the buttons rather than cut

        for label in (self.title, self.recent, self.phase, self.answer, self.judgement):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # never widen the page
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        picker_row = top
        if theme.font_scale() >= STACKED_SCALE:  # large type: the picker below, the title gets the width
            picker_row = QHBoxLayout()
        picker_row.addWidget(self.picker)
        tiles = QGridLayout()
        tiles.setSpacing(6)
        for i, tile in enumerate((made_tile, ahead_tile, takt_tile, rate_tile)):
            tiles.addWidget(tile, i, 0)
        middle = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.countdown, 1)
        left.addWidget(self.judgement)
        middle.addLayout(left, 3)
        middle.addLayout(tiles, 2)
        bottom = QHBoxLayout()
        bottom.addWidget(self.answer, 1)
        bottom.addWidget(self.undo)
        bottom.addWidget(self.done, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 12, 28, 12)
        layout.setSpacing(8)
        layout.addLayout(top)
        if picker_row is not top:
            layout.addLayout(picker_row)
        layout.addWidget(self.phase)
        layout.addLayout(middle, 1)
        layout.addWidget(self.recent)
        layout.addLayout(bottom)

        self._unsubscribe = ctx.runtime.takt.subscribe(self._answered)
        self.destroyed.connect(lambda *_: self._unsubscribe())
        self.ticker = QTimer(self)
        self.ticker.setInterval(TICK_MS)
        self.ticker.timeout.connect(self.tick)
        self.reloader = QTimer(self)
        self.reloader.setInterval(RELOAD_MS)
        self.reloader.timeout.connect(self.load)
        self.load()

    # -- data -----------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        for timer in (self.ticker, self.reloader):  # timers run only while on screen
            timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        for timer in (self.ticker, self.reloader):
            timer.stop()

    def load(self) -> None:
        self.ctx.submit(station_lines, on_done=self._lines)

    def _lines(self, found: StationLines) -> None:
        self.zone = zone_named(found.timezone)
        self.picker.blockSignals(True)
        self.picker.clear()
        for line_id, code, name in found.lines:
            self.picker.addItem(f"{code}  {name}", line_id)
        self.picker.blockSignals(False)
        ids = [lid for lid, _c, _n in found.lines]
        if self.line_id not in ids:
            self.line_id = found.own if found.own in ids else (ids[0] if ids else None)
        if self.line_id is not None:
            self.picker.setCurrentIndex(ids.index(self.line_id))
            self.ctx.submit(line_takt, self.line_id, now_ms=self.now_ms(), on_done=self.show_line)
        else:
            self.current = self.shown = None
            self.phase.setText("No lines yet: an admin adds lines and shift calendars in Admin.")
        self.done.setEnabled(self.line_id is not None)
        self.undo.setEnabled(False)  # until the line's status says it has a cycle this shift

    def _picked(self, index: int) -> None:
        self.line_id = self.picker.itemData(index)
        self.load()

    def show_line(self, line: LineTakt) -> None:
        if line.line_id != self.line_id:
            return
        self.current = line
        self.show_status(line.status)

    def tick(self) -> None:
        if self.current is None:
            return
        now = self.now_ms()
        if stale(self.current.status, now):
            self.current = None
            self.load()
            return
        self.show_status(at_time(self.current.status, now))

    def complete(self) -> None:
        if self.line_id is not None:
            self.ctx.runtime.takt.complete(self.line_id, "touch")

    def undo_last(self) -> None:
        if self.line_id is not None:
            self.ctx.runtime.takt.undo(self.line_id)

    def _answered(self, outcome: CycleOutcome) -> None:
        text = answer(self.words, outcome.note, "")
        self.answer.setText(("✓  " if outcome.recorded else "⚠  ") + text)

    # -- drawing --------------------------------------------------------------------------------
    def show_status(self, status: LineStatus) -> None:
        self.shown = status
        self.undo.setEnabled(bool(status.recent))
        line = self.current
        plan = status.plan
        name = f"{line.code}  {line.name}" if line else ""
        if plan is None:
            self.title.setText(f"◷  Takt · {name}")
        else:
            span = f"{clock(plan.shift.start_ms, self.zone)}–{clock(plan.shift.end_ms, self.zone)}"
            self.title.setText(f"◷  Takt · {line.code if line else ''} · {plan.shift.name} shift {span}")
        symbol, word, colour = PHASE[status.phase]
        phase = f"{symbol}  {word}"
        if status.phase == OFF:
            phase += " — paused" + (f": next shift {clock(status.resumes_ms, self.zone, True)}"
                                    if status.resumes_ms else "")
        elif status.resumes_ms is not None:
            phase += f" until {clock(status.resumes_ms, self.zone)} — countdown paused"
        elif plan is not None and plan.demand <= 0:
            phase += " — no demand set for this shift"
        self.phase.setText(phase)
        self.phase.setStyleSheet(f"font-size: 30px; font-weight: bold; padding: 6px; border-radius: 8px;"
                                 f"color: #0B1117; background: {colour};")
        if status.countdown_ms is None or plan is None:
            self.countdown.setText("–:––")
            self.countdown.set_colour(GREY)
            self.judgement.setText("⏸  PAUSED" if status.phase == OFF else "")
        else:
            self.countdown.setText(countdown(status.countdown_ms))
            j_symbol, j_word, j_colour = JUDGEMENT[status.judgement or "on_target"]
            paused = status.phase != "running"
            colour = GREY if paused else j_colour
            self.countdown.set_colour(colour)
            self.judgement.setText("⏸  PAUSED" if paused else f"{j_symbol}  {j_word}")
            self.judgement.setStyleSheet(f"font-size: 44px; font-weight: bold; color: {colour};")
        if plan is None:
            for label in (self.made, self.ahead, self.takt, self.rate):
                label.setText("—")
                label.setStyleSheet("font-size: 36px; font-weight: bold;")
            self.recent.setText("")
            return
        self.made.setText(f"{status.actual} / {status.planned}")
        if self.made_caption is not None:
            self.made_caption.setText(f"Made / planned by now (shift: {plan.demand})")
        s_symbol, s_word, s_colour = STANDING[status.standing]
        self.ahead.setText(f"{s_symbol} {signed(status.ahead)}  {s_word}")
        self.ahead.setStyleSheet(f"font-size: 36px; font-weight: bold; color: {s_colour};")
        cycle = plan.cycle_ms
        per = f" · {plan.parts_per_cycle} parts/cycle" if plan.parts_per_cycle > 1 else ""
        self.takt.setText("no demand" if cycle is None else f"{seconds(cycle)} per cycle{per}")
        rate = status.rate_needed_per_hour
        self.rate.setText("—" if rate is None else f"{rate:.0f} parts / h")
        cells = []
        for c in status.recent:
            c_symbol, _word, c_colour = JUDGEMENT[c.judgement]
            cells.append(f"<span style='color:{c_colour}'>{seconds(c.working_ms)} {c_symbol}</span>")
        self.recent.setText("Last cycles:&nbsp; " + ("&nbsp; ".join(cells) if cells else "none yet this shift"))
