"""The Andon page: this station's call panel, the board of every station, and TV mode.

* This station: one large button per call type (colour, symbol and name; no sign-in needed), the answer
  in words, and the station's open calls with live elapsed time and who claimed them. A second press
  of an open call says so and shows that call.
* Board: every station by line (board.py); a tap on a tile lists that station's calls to claim, resolve,
  escalate or shelve (after sign-in: the services check the role and answer in words).
* TV mode: the board alone, full screen, turning its pages itself; Esc leaves it.
Sound: the call type's sound when a call is raised anywhere, the escalation alarm when a call reaches a
new level; mutable here; with no audio device the page says sound is off.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from jitdesk.domain.andon.call import CALL_RAISED
from jitdesk.domain.master import CallType
from jitdesk.gui import theme
from jitdesk.gui.andon.board import AndonBoardView
from jitdesk.gui.andon.calls import CallRow
from jitdesk.gui.andon.model import BoardModel, ink_for
from jitdesk.gui.andon.sound import ESCALATION, AndonSound
from jitdesk.gui.board.type import cap_for, font_with_cap
from jitdesk.gui.context import AppContext
from jitdesk.gui.signin import SignInDialog
from jitdesk.gui.widgets import big_button, page_title, restyle, section_title
from jitdesk.gui.widgets.fit import FitTextButton, fit_dialog
from jitdesk.gui.widgets.page import ReloadingPage
from jitdesk.services.andon.board import (
    AndonBoard,
    StationCalls,
    andon_board,
    set_sound_muted,
    sound_muted,
    station_calls,
)
from jitdesk.services.andon.calls import (
    CallOutcome,
    RaiseOutcome,
    acknowledge,
    cancel,
    escalate,
    raise_call,
    resolve,
    shelve,
)
from jitdesk.services.changes import Changes
from jitdesk.services.uow import wall_clock_ms
from jitdesk.services.words import Words

PANEL, BOARD = 0, 1
SHELVE_MINUTES = 30
CALL_BUTTON_PX = 30  # a call button's type, smaller where its name would not fit
CALL_BUTTON_SIDE_PX = 10  # its border (4 px) and padding (6 px) each side
STACKED_SCALE = 1.5  # from this ui.font_scale on, the mode buttons and the sound note get rows of their own
COLUMN_SCALE = 2.0  # ... from this one, two mode buttons a row
ROW_SCALE = 2.5  # ... and from this one, one a row
TV_SUMMARY_SHARE = 0.5  # the TV header's cap height against the tiles'


def create_view(ctx: AppContext) -> QWidget:
    return AndonView(ctx)


def open_andon_board(ctx: AppContext, parent: QWidget | None = None, *, full_screen: bool = True) -> TvBoard:
    """The andon board in TV mode (`jitdesk --board andon`), fed by the window's Andon page."""
    shower = getattr(parent, "show_view", None)
    page = shower("andon") if shower is not None else AndonView(ctx, parent)
    assert isinstance(page, AndonView)
    return page.open_tv(full_screen)


class CallList(QScrollArea):
    """Rows of open calls, rebuilt when the calls change, ticked every second."""

    def __init__(self, empty_words: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.host = QWidget()
        self.rows_layout = QVBoxLayout(self.host)
        self.rows_layout.setSpacing(10)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.setWidget(self.host)
        self.empty = QLabel(empty_words)
        self.empty.setObjectName("pageHint")
        self.rows: list[CallRow] = []
        self.rows_layout.addWidget(self.empty)
        self.rows_layout.addStretch(1)

    def show_rows(self, rows: list[CallRow]) -> None:
        for row in self.rows:
            row.deleteLater()
        self.rows = rows
        for i, row in enumerate(rows):
            self.rows_layout.insertWidget(i, row)
        self.empty.setVisible(not rows)

    def highlight(self, call_id: str) -> None:
        for row in self.rows:
            row.setProperty("highlight", row.call.call_id == call_id)
            row.setStyleSheet("#card { border: 5px solid #FFD400; }" if row.call.call_id == call_id else "")
            restyle(row)
            if row.call.call_id == call_id:
                self.ensureWidgetVisible(row)


class StationDetail(QFrame):
    """Beside the board: the chosen station's open calls, to claim, resolve, escalate or shelve."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setFixedWidth(520)
        self.station_id: str | None = None
        self.title = section_title("")
        self.calls = CallList("No open call at this station. ✔")
        self.close_button = big_button("✖ Close")
        self.close_button.clicked.connect(lambda: self.choose(None))
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.close_button)
        layout.addLayout(head)
        layout.addWidget(self.calls, 1)
        self.hide()

    def choose(self, station_id: str | None) -> None:
        self.station_id = station_id
        self.setVisible(station_id is not None)


class TvBoard(QWidget):
    """The board alone on a screen, a tapped station's calls beside it; Esc (or the ✖ button) leaves it."""

    def __init__(self, model: BoardModel, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("jitdesk andon board")
        self.setObjectName("andonTv")
        self.board = AndonBoardView(model, turn_pages=True)
        self.detail = StationDetail()
        self.board.station_chosen.connect(self.detail.choose)
        close = big_button("✖ Leave TV mode")
        close.clicked.connect(self.close)
        self.board.header.addWidget(close)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.board, 1)
        layout.addWidget(self.detail)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # the header (open calls, pages) is read from across the hall too: half the tiles' cap height
        px = font_with_cap(cap_for(event.size().height()) * TV_SUMMARY_SHARE).pixelSize()
        self.board.summary.setStyleSheet(f"#boardSummary {{ font-weight: bold; font-size: {px}px; }}")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)


class AndonView(ReloadingPage):
    WATCHES = ("andon_call", "station_andon", "call_type", "station", "line", "local_settings")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, sound: AndonSound | None = None) -> None:
        super().__init__(ctx, parent)
        self.sound = sound or AndonSound(self)
        self.model = BoardModel(ctx.settings.andon.takt_seconds * 1000 or None)
        self.panel_data: StationCalls | None = None
        self.words = Words()
        self.title = page_title("⚑  Andon")
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # long names never widen
        self.station_button = self._mode_button("⚑  This station", PANEL)
        self.board_button = self._mode_button("▦  Board", BOARD)
        self.tv_button = big_button("▭  TV mode")
        self.tv_button.clicked.connect(self.open_tv)
        self.sound_label = QLabel()
        self.sound_label.setObjectName("soundState")
        self.mute_button = big_button("Mute")
        self.mute_button.clicked.connect(self.toggle_mute)
        self.answer = QLabel("Press a button to call for help. No sign-in is needed.")
        self.answer.setObjectName("andonAnswer")
        self.answer.setWordWrap(True)
        self.answer.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._tone("info")

        self.sound_label.setWordWrap(True)  # a large ui.font_scale wraps the note rather than widen the page
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        modes = QGridLayout()  # large type: the mode buttons below the title, two a row or one
        columns = 3 if theme.font_scale() < COLUMN_SCALE else 2 if theme.font_scale() < ROW_SCALE else 1
        for i, widget in enumerate((self.station_button, self.board_button, self.tv_button)):
            if theme.font_scale() < STACKED_SCALE:
                top.addWidget(widget)
            else:
                modes.addWidget(widget, i // columns, i % columns)
        sound_row = QHBoxLayout()
        sound_row.addWidget(self.answer, 1)
        note_row = sound_row
        if theme.font_scale() >= STACKED_SCALE:
            note_row = QHBoxLayout()
        note_row.addWidget(self.sound_label, 1)
        note_row.addWidget(self.mute_button)

        # this station
        self.buttons_host = QWidget()
        self.buttons_grid = QGridLayout(self.buttons_host)
        self.buttons_grid.setSpacing(14)
        self.buttons_grid.setContentsMargins(0, 0, 0, 0)
        self.call_buttons: dict[str, QPushButton] = {}
        self.calls_title = section_title("Open calls here")
        self.calls = CallList("No open call here. ✔")
        panel = QWidget()
        panel_layout = QVBoxLayout(panel)
        panel_layout.setContentsMargins(0, 0, 0, 0)
        panel_layout.addWidget(self.buttons_host)
        panel_layout.addWidget(self.calls_title)
        panel_layout.addWidget(self.calls, 1)

        # the board with a station's calls beside it
        self.board = AndonBoardView(self.model)
        self.detail = StationDetail()
        self.detail_calls = self.detail.calls
        self.board.station_chosen.connect(self.choose_station)
        self.detail.close_button.clicked.connect(lambda: self.choose_station(None))
        board_page = QWidget()
        board_layout = QHBoxLayout(board_page)
        board_layout.setContentsMargins(0, 0, 0, 0)
        board_layout.addWidget(self.board, 1)
        board_layout.addWidget(self.detail)

        self.stack = QStackedWidget()
        self.stack.addWidget(panel)
        self.stack.addWidget(board_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 14, 24, 14)
        layout.setSpacing(10)
        layout.addLayout(top)
        if modes.count():
            layout.addLayout(modes)
        layout.addLayout(sound_row)
        if note_row is not sound_row:
            layout.addLayout(note_row)
        layout.addWidget(self.stack, 1)

        self.tv: TvBoard | None = None
        self.pending: tuple[Callable[..., CallOutcome], tuple[Any, ...]] | None = None  # waits for a sign-in
        self.sign_in_dialog: SignInDialog | None = None
        ctx.user_changed.connect(self._user_changed)
        self.levels: dict[str, int] = {}  # call id -> the level last heard, for the escalation alarm
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self.tick)
        self.ticker.start()
        ctx.changed.connect(self._hear_calls)
        self.show_sound()
        self.set_mode(PANEL)
        self.ctx.submit(sound_muted, on_done=self._muted)  # muted here stays muted after a restart
        self.load()

    # -- data ---------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """A TV board on screen keeps this page's data live, whichever view the window shows."""
        if self.tv is not None and self.tv.isVisible():
            self.load()
        else:
            super().refresh()

    def load(self) -> None:
        self.ctx.submit(station_calls, on_done=self.show_station)
        self.ctx.submit(andon_board, on_done=self.show_board)

    def show_station(self, data: StationCalls) -> None:
        self.panel_data = data
        self.words = data.words
        if data.station_code:
            self.title.setText(f"⚑  Andon  ·  station {data.station_code}  {data.station_name}")
        else:
            self.title.setText("⚑  Andon  ·  no station chosen: an admin picks one in Admin, This station")
        self._show_buttons(data.buttons)
        rows = [self._row(call, data.call_types.get(call.call_type_id), data.words) for call in data.calls]
        self.calls.show_rows(rows)
        self.calls_title.setText(f"Open calls here ({len(rows)})" if rows else "Open calls here")
        self.tick()

    def show_board(self, board: AndonBoard) -> None:
        self.model.set_board(board)
        self.words = board.words
        self.board.refresh()
        if self.tv is not None:
            self.tv.board.refresh()
        for call in board.calls:
            self.levels.setdefault(call.call_id, self.model.escalation_of(call, wall_clock_ms()).level)
        self._show_details()

    def _show_buttons(self, buttons: tuple[tuple[str, CallType], ...]) -> None:
        for button in self.call_buttons.values():
            button.deleteLater()
        self.call_buttons = {}
        columns = max(1, min(5, len(buttons)))
        for i, (type_id, call_type) in enumerate(buttons):
            ink = ink_for(call_type.color)
            style = (f"#callButton {{ background: {call_type.color}; color: {ink}; font-size: {{px}}px;"
                     " font-family: 'DejaVu Sans Condensed', 'Nimbus Sans Narrow';"
                     f" font-weight: bold; border: 4px solid {ink}; border-radius: 14px; padding: 4px 6px; }}"
                     f" #callButton:pressed {{ border: 8px solid #FFFFFF; }}")
            # A long name on a narrow button ("MAINTENANCE" at 1280 px) gets smaller type, never cut.
            words = f"{call_type.symbol}\n{call_type.name.upper()}"
            button = FitTextButton(words, style, round(CALL_BUTTON_PX * theme.font_scale()),
                                   CALL_BUTTON_SIDE_PX)
            button.setObjectName("callButton")
            button.setMinimumHeight(150)
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.setAccessibleName(f"Call {call_type.name}")
            button.clicked.connect(lambda _=False, tid=type_id: self.raise_type(tid))
            self.buttons_grid.addWidget(button, i // columns, i % columns)
            self.call_buttons[call_type.code] = button

    def _row(self, call: Any, call_type: CallType | None, words: Words, board: bool = False) -> CallRow:
        row = CallRow(call, call_type, words, board=board)
        row.claim.connect(lambda cid: self._act(acknowledge, cid, who="Claiming a call"))
        row.resolve.connect(lambda cid, reason, text: self._act(resolve, cid, reason, text,
                                                                who="Resolving a call"))
        row.cancel.connect(lambda cid: self._act(cancel, cid))
        row.escalate.connect(lambda cid: self._act(escalate, cid))
        row.shelve.connect(lambda cid: self._act(shelve, cid, SHELVE_MINUTES, who="Shelving a call"))
        return row

    # -- actions ------------------------------------------------------------------------------------
    def raise_type(self, type_id: str) -> None:
        self.ctx.submit(raise_call, type_id, source="button", on_done=self.show_raised, on_error=self.refused)

    def show_raised(self, outcome: RaiseOutcome) -> None:
        self.ctx.bus.publish(outcome.changes)  # outcomes carry their Changes inside: every view hears them
        self.answer.setText(("⚑  " if outcome.ok else "ℹ  ") + outcome.words)
        self._tone("success" if outcome.ok else "info")
        if outcome.open_call_id:
            self.calls.highlight(outcome.open_call_id)

    def _act(self, fn: Callable[..., CallOutcome], *args: Any, who: str = "") -> None:
        """Do `fn` as the signed-in user; `who` ("Claiming a call") needs one: with nobody signed in the
        sign-in opens (over the TV board too) and the action goes on once someone has signed in."""
        if who and self.ctx.user is None:
            self.pending = (fn, args)
            self.refused(f"{who} needs a signed-in responder: sign in to go on.")
            self._open_sign_in(f"{who} needs a signed-in responder: sign in to go on.")
            return
        self.ctx.submit(fn, *args, actor=self.ctx.actor, on_done=self.done, on_error=self.refused)

    def _open_sign_in(self, reason: str) -> None:
        if self.tv is not None and self.tv.isVisible():  # the main window is under the TV: ask on the TV
            if self.sign_in_dialog is None or self.sign_in_dialog.parentWidget() is not self.tv:
                self.sign_in_dialog = SignInDialog(self.ctx, self.tv)
            dialog = self.sign_in_dialog
            wanted = dialog.wanted_size()
            fit_dialog(dialog, max(860, wanted.width()), max(520, wanted.height()))
            dialog.open()
        else:
            opener = getattr(self.window(), "open_sign_in", None)
            if opener is None:  # not in a main window (a test, an embedding): the words say what to do
                return
            dialog = opener()
        dialog.set_reason(reason)
        dialog.rejected.connect(self._gave_up)

    def _gave_up(self) -> None:
        self.pending = None

    def _user_changed(self, user: object) -> None:
        pending, self.pending = self.pending, None
        if pending is not None and user is not None:
            fn, args = pending
            self.ctx.submit(fn, *args, actor=self.ctx.actor, on_done=self.done, on_error=self.refused)

    def done(self, outcome: CallOutcome) -> None:
        self.ctx.bus.publish(outcome.changes)
        self.answer.setText("✔  " + outcome.words)
        self._tone("success")

    def refused(self, words: str) -> None:
        self.answer.setText("✖  " + words)
        self._tone("refused")

    def _tone(self, tone: str) -> None:
        colour = {"success": "#00C853", "info": "#FFD400", "refused": "#FF6D00"}[tone]
        self.answer.setProperty("tone", tone)
        self.answer.setStyleSheet(f"#andonAnswer {{ font-size: 28px; font-weight: bold; color: {colour};"
                                  f" border: 4px solid {colour}; border-radius: 10px; padding: 8px 14px; }}")

    # -- board ----------------------------------------------------------------------------------------
    def set_mode(self, mode: int) -> None:
        self.stack.setCurrentIndex(mode)
        self.station_button.setProperty("primary", mode == PANEL)
        self.board_button.setProperty("primary", mode == BOARD)
        restyle(self.station_button)
        restyle(self.board_button)

    def _mode_button(self, words: str, mode: int) -> QPushButton:
        button = big_button(words)
        button.clicked.connect(lambda: self.set_mode(mode))
        return button

    @property
    def chosen_station(self) -> str | None:
        return self.detail.station_id

    def choose_station(self, station_id: str | None) -> None:
        self.detail.choose(station_id)
        self._show_details()

    def _details(self) -> list[StationDetail]:
        return [self.detail] + ([self.tv.detail] if self.tv is not None else [])

    def _show_details(self) -> None:
        for detail in self._details():
            if detail.station_id is not None:
                self._show_detail(detail)
        self.tick()

    def _show_detail(self, detail: StationDetail) -> None:
        station = next((s for s in self.model.stations if s.station_id == detail.station_id), None)
        if station is None:
            detail.choose(None)
            return
        detail.title.setText(f"{station.code}  {station.name}")
        calls = self.model.calls_at(station.station_id)
        detail.calls.show_rows([self._row(c, self.model.types.get(c.call_type_id), self.words, board=True)
                                for c in calls])

    def open_tv(self, full_screen: bool = True) -> TvBoard:
        if self.tv is None:
            self.tv = TvBoard(self.model)
            self.tv.destroyed.connect(lambda *_: setattr(self, "tv", None))
            self.tv.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.tv.board.station_chosen.connect(lambda _sid: self._show_details())
        screen = self.screen()
        if full_screen:
            if screen is not None:  # a floor PC often has no window manager to do it
                self.tv.setGeometry(screen.geometry())
            self.tv.showFullScreen()
        else:
            self.tv.show()
        self.tv.board.refresh()
        return self.tv

    # -- time and sound -------------------------------------------------------------------------------
    def tick(self) -> None:
        now = wall_clock_ms()
        for row in [*self.calls.rows, *(r for d in self._details() for r in d.calls.rows)]:
            row.tick(now, self.model.escalation_of(row.call, now))
        for calls in (self.model.calls_at(s.station_id) for s in self.model.stations):
            for call in calls:
                level = self.model.escalation_of(call, now).level
                if level > self.levels.get(call.call_id, 0):
                    self.sound.play(ESCALATION)
                self.levels[call.call_id] = level

    def _hear_calls(self, changes: Changes) -> None:
        for event in changes.events:
            if event.kind == CALL_RAISED:
                call_type = self.model.types.get(str(event.payload.get("call_type_id")))
                self.sound.play(call_type.sound if call_type is not None else "chime")

    def show_sound(self) -> None:
        self.sound_label.setText(self.sound.state_words)
        self.mute_button.setVisible(self.sound.available)
        self.mute_button.setText("Unmute" if self.sound.muted else "Mute")

    def toggle_mute(self) -> None:
        self.ctx.submit(set_sound_muted, not self.sound.muted, on_done=self._muted)

    def _muted(self, muted: bool) -> None:
        self.sound.muted = muted
        self.show_sound()

