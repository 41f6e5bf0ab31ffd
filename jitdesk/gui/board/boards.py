"""The boards a station can show in TV mode, by name (`jitdesk --board kanban`)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from jitdesk.domain.errors import BadInput
from jitdesk.gui.context import AppContext

BOARDS = ("kanban", "andon")  # the takt board joins here


def open_board(name: str, ctx: AppContext, parent: QWidget | None = None, *, full_screen: bool = True) -> QWidget:
    """Open the board `name` (full screen unless asked otherwise) with its pages turning."""
    if name == "kanban":
        from jitdesk.gui.board.kanban import open_kanban_board

        return open_kanban_board(ctx, parent=parent, full_screen=full_screen)
    if name == "andon":
        from jitdesk.gui.andon.view import open_andon_board

        return open_andon_board(ctx, parent=parent, full_screen=full_screen)
    raise BadInput(f"unknown board '{name}' (choose one of: {', '.join(BOARDS)})")
