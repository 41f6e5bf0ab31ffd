"""Screenshots of the andon board in TV mode at 1920x1080: 60 stations (one page) and 500 (pages), kept in docs/.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. .venv/bin/python scripts/andon_board_shots.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from jitdesk.gui import theme
from jitdesk.gui.andon.model import BoardModel
from jitdesk.gui.andon.view import TvBoard
from jitdesk.services.andon.sample import sample_board
from jitdesk.services.uow import wall_clock_ms

DOCS = Path(__file__).resolve().parent.parent / "docs"


def shot(app: QApplication, lines: int, per_line: int, calls: int, name: str) -> None:
    now = wall_clock_ms()
    model = BoardModel()
    model.set_board(sample_board(lines, per_line, calls, now))
    tv = TvBoard(model)
    tv.resize(1920, 1080)
    tv.show()
    tv.board.canvas.now_ms = lambda: now + 6 * 60_000  # some calls have escalated by then
    tv.board.refresh()
    app.processEvents()
    path = DOCS / name
    tv.grab().save(str(path))
    print(path, tv.board.summary.text())
    tv.close()


def main() -> None:
    app = QApplication(sys.argv)
    theme.apply(app)
    DOCS.mkdir(exist_ok=True)
    shot(app, 5, 12, 9, "andon_board_60.png")
    shot(app, 25, 20, 100, "andon_board_500.png")


if __name__ == "__main__":
    main()
