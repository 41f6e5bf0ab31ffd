"""The boards a station can show in TV mode, by name (`jitdesk --board kanban`)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from jitdesk.domain.errors import BadInput
from jitdesk.gui.board.shell import BoardShell
from jitdesk.gui.context import AppContext

BOARDS = ("kanban",)  # the andon and takt boards join here


def open_board(name: str, ctx: AppContext, parent: QWidget | None = None, *, full_screen: bool = True) -> BoardShell:
    """Open the board `name` (full screen unless asked otherwise) with its pages turning."""
    if name == "kanban":
        from jitdesk.gui.board.kanban import open_kanban_board

        return open_kanban_board(ctx, parent=parent, full_screen=full_screen)
    raise BadInput(f"unknown board '{name}' (choose one of: {', '.join(BOARDS)})")
