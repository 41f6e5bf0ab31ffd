"""The view registry: view name -> the module that builds it, imported only when first shown.

Each view module has `create_view(ctx: AppContext) -> QWidget`. A view reloads from
`ctx.changed` (see gui/widgets/page.py) and never talks to another view. A module that is not
installed yet (a later issue adds it) shows a plain "not installed" page instead; any other
import problem is a bug and is raised.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from jitdesk.domain.errors import BadInput
from jitdesk.gui.context import AppContext
from jitdesk.gui.widgets import hint, page_title


@dataclass(frozen=True)
class ViewSpec:
    name: str
    title: str
    module: str
    icon: str  # a text symbol beside the title: shape as well as words, never colour alone


VIEWS: dict[str, ViewSpec] = {spec.name: spec for spec in (
    ViewSpec("station", "Station", "jitdesk.gui.views.station", "▣"),
    ViewSpec("queue", "Queue", "jitdesk.gui.views.queue", "☰"),
    ViewSpec("kanban", "Kanban", "jitdesk.gui.views.kanban_board", "▦"),
    ViewSpec("andon", "Andon", "jitdesk.gui.andon.view", "⚑"),
    ViewSpec("takt", "Takt", "jitdesk.gui.views.takt", "◷"),
    ViewSpec("taktboard", "Lines", "jitdesk.gui.takt.board", "▥"),  # the takt board: every line
    ViewSpec("kpi", "KPI", "jitdesk.gui.views.kpi", "▤"),
    ViewSpec("admin", "Admin", "jitdesk.gui.admin.view", "⚙"),
    ViewSpec("sync", "Sync", "jitdesk.gui.views.quarantine", "⇅"),
)}
ORDER = tuple(VIEWS)


def spec(name: str) -> ViewSpec:
    try:
        return VIEWS[name]
    except KeyError:
        raise BadInput(f"unknown view '{name}' (choose one of: {', '.join(ORDER)})") from None


def create_view(name: str, ctx: AppContext) -> QWidget:
    view = spec(name)
    try:
        module = importlib.import_module(view.module)
    except ModuleNotFoundError as error:
        if error.name != view.module:
            raise
        return NotInstalledPage(view)
    widget: QWidget = module.create_view(ctx)
    widget.setObjectName(f"view_{name}")
    return widget


class NotInstalledPage(QWidget):
    """Stands in for a view whose module is not part of this build yet."""

    def __init__(self, view: ViewSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"view_{view.name}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 30, 40, 30)
        layout.addWidget(page_title(f"{view.icon}  {view.title}"))
        text = QLabel(f"The {view.title} view is not installed in this version of jitdesk.")
        text.setWordWrap(True)
        layout.addWidget(text)
        layout.addWidget(hint(f"(module {view.module} is missing)"))
        layout.addStretch(1)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
