"""The station's takt view offscreen at simulated clock times: countdown readable at 5 m (cap height at
1920x1080), made vs planned, ahead/behind, last cycles, paused in breaks and outside shifts, a touch
completes a cycle; screenshots at both screen sizes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from jitdesk.gui.context import AppContext
from jitdesk.gui.takt.station import TaktStationView
from jitdesk.services.takt.cycles import complete_cycle
from tests.helpers.takt_plant import TaktPlant, at

WAIT_MS = 10_000


class Clock:
    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def _view(qtbot: QtBot, ctx: AppContext, clock: Clock, size: tuple[int, int] = (1920, 1080)) -> TaktStationView:
    view = TaktStationView(ctx, now_ms=clock)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitUntil(lambda: view.shown is not None, timeout=WAIT_MS)
    return view


def test_running_behind_with_countdown_made_planned_and_last_cycles(
        qtbot: QtBot, takt_ctx: tuple[AppContext, TaktPlant], tmp_path: Path) -> None:
    ctx, plant = takt_ctx
    for i in range(100):
        complete_cycle(plant.db, plant.lines["L1"], source="touch", now_ms=at(6, 0, 30) + i * 65_000)
    clock = Clock(at(8))
    view = _view(qtbot, ctx, clock)
    assert view.countdown.cap_height() >= 150  # readable at 5 m on a 1080p screen
    assert view.made.text() == "100 / 120" and view.made_caption is not None
    assert view.made_caption.text() == "Made / planned by now (shift: 450)"
    assert view.ahead.text() == "▼ −20  BEHIND"
    assert view.takt.text() == "60 s per cycle"
    assert view.countdown.text().startswith("−")  # the last cycle ended at 07:47:45: 12 min 15 s ago
    assert view.judgement.text() == "▼  LATE"
    assert view.recent.text().count("65 s ●") == 10  # within ±10 % of 60 s: on target
    assert "Running" in view.phase.text()
    view.grab().save(str(tmp_path / "takt-station-1920.png"))
    view.resize(1280, 800)
    qtbot.wait(50)
    assert view.width() == 1280 and view.height() == 800
    view.grab().save(str(tmp_path / "takt-station-1280.png"))


def test_the_countdown_ticks_and_stands_still_in_a_break(qtbot: QtBot, takt_ctx: tuple[AppContext, TaktPlant]) -> None:
    ctx, plant = takt_ctx
    complete_cycle(plant.db, plant.lines["L1"], source="touch", now_ms=at(8, 59, 30))
    clock = Clock(at(8, 59, 40))
    view = _view(qtbot, ctx, clock)
    assert view.countdown.text() == "0:50"
    clock.ms = at(9, 10)
    view.tick()
    assert view.countdown.text() == "0:30" and "Break until 09:30" in view.phase.text()
    assert view.judgement.text() == "⏸  PAUSED"
    clock.ms = at(9, 30, 10)
    view.tick()
    assert view.countdown.text() == "0:20" and "Running" in view.phase.text()


def test_outside_shifts_it_says_so_and_when_the_next_starts(qtbot: QtBot,
                                                            takt_ctx: tuple[AppContext, TaktPlant]) -> None:
    ctx, _plant = takt_ctx
    view = _view(qtbot, ctx, Clock(at(23)))
    assert "Outside shifts — paused: next shift Thu 06:00" in view.phase.text()
    assert view.countdown.text() == "–:––" and view.judgement.text() == "⏸  PAUSED"


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_a_touch_completes_a_cycle(qtbot: QtBot, takt_ctx: tuple[AppContext, TaktPlant],
                                   size: tuple[int, int]) -> None:
    ctx, _plant = takt_ctx
    view = _view(qtbot, ctx, Clock(at(7)), size)
    before = view.current.status.actual if view.current else -1
    view.done.click()
    qtbot.waitUntil(lambda: view.answer.text().startswith("✓"), timeout=WAIT_MS)
    assert "cycle done on line L1" in view.answer.text()
    assert before == 0


def test_undo_takes_back_the_last_cycle_on_the_view(qtbot: QtBot, takt_ctx: tuple[AppContext, TaktPlant],
                                                    tmp_path: Path) -> None:
    ctx, _plant = takt_ctx
    clock = Clock(at(7, 0, 20))
    ctx.runtime.takt.now_ms = clock
    view = _view(qtbot, ctx, clock, (1280, 800))
    assert not view.undo.isEnabled()  # nothing made this shift yet
    view.done.click()
    qtbot.waitUntil(lambda: view.made.text() == "1 / 60" and view.undo.isEnabled(), timeout=WAIT_MS)
    clock.ms = at(7, 0, 40)
    view.undo.click()
    qtbot.waitUntil(lambda: "undone" in view.answer.text(), timeout=WAIT_MS)
    assert view.answer.text() == "✓  last cycle on line L1 undone (1 part(s))"
    qtbot.waitUntil(lambda: view.made.text() == "0 / 60" and not view.undo.isEnabled(), timeout=WAIT_MS)
    assert view.width() == 1280 and view.height() == 800
    view.grab().save(str(tmp_path / "takt-undone-1280.png"))
