"""The takt board offscreen at a simulated clock time: every line with planned vs made, efficiency,
ahead/behind and its state in words and symbol; type readable at 10 m at 1080p; pages when lines do
not fit; screenshots at both screen sizes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from jitdesk.domain.master import Line
from jitdesk.gui.context import AppContext
from jitdesk.gui.takt.board import MIN_CAP_PX, TaktBoardView, row_cells
from jitdesk.services import master
from jitdesk.services.takt.cycles import complete_cycle
from tests.helpers.takt_plant import TaktPlant, at

WAIT_MS = 10_000


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 800)])
def test_board_shows_every_line_ahead_or_behind(qtbot: QtBot, takt_ctx: tuple[AppContext, TaktPlant],
                                                 size: tuple[int, int], tmp_path: Path) -> None:
    ctx, plant = takt_ctx
    for i in range(100):
        complete_cycle(plant.db, plant.lines["L1"], source="touch", now_ms=at(6, 0, 30) + i * 65_000)
    for i in range(140):
        complete_cycle(plant.db, plant.lines["L2"], source="touch", now_ms=at(6, 0, 30) + i * 50_000)
    view = TaktBoardView(ctx, now_ms=lambda: at(8))
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitUntil(lambda: view.loaded is not None, timeout=WAIT_MS)
    rows = {cells[0]: cells for cells in (row_cells(line) for line in view.canvas.lines)}
    assert rows["L1"] == ("L1", "120", "100", "83 %", "−20", "▼ BEHIND")
    assert rows["L2"] == ("L2", "120", "140", "117 %", "+20", "▲ AHEAD")
    assert "2 lines, 1 behind" in view.title.text()
    if size == (1920, 1080):
        assert view.canvas.cap_height() >= MIN_CAP_PX
    assert (view.width(), view.height()) == size
    image = view.grab()
    assert (image.width(), image.height()) == size
    image.save(str(tmp_path / f"takt-board-{size[0]}.png"))


def test_lines_that_do_not_fit_are_shown_page_by_page(qtbot: QtBot, takt_ctx: tuple[AppContext, TaktPlant]) -> None:
    ctx, plant = takt_ctx
    for n in range(3, 25):
        master.save(plant.db, Line(code=f"L{n:02d}", name=f"Line {n}"), actor=None)
    view = TaktBoardView(ctx, now_ms=lambda: at(8))
    qtbot.addWidget(view)
    view.resize(1920, 1080)
    view.show()
    qtbot.waitUntil(lambda: view.loaded is not None, timeout=WAIT_MS)
    assert len(view.canvas.lines) == 24 and view.canvas.pages >= 2
    assert "page 1 of" in view.title.text()
    first = view.canvas.page
    view.turn_page()
    assert view.canvas.page == first + 1 and "page 2 of" in view.title.text()
    # Lines with no demand say so in words, not colour alone.
    assert row_cells(view.canvas.lines[-1])[5] == "○ NO DEMAND"
