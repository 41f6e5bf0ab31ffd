"""The header's background-task indicator: in plain words, the supervised tasks that are not running.

Hidden while every task runs. Otherwise it names the first task in trouble and how many more there
are, e.g. "⚠ simulation restarting" or "✖ scanner stopped  +1 more"; the tooltip lists every task
in trouble with its reason ("sync restarting after 4 s: server unreachable"). Words first, colour second.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from jitdesk.gui.widgets import restyle
from jitdesk.runtime.supervise import TaskState, TaskStatus

MAX_WIDTH_PX = 480  # the header must still fit 1280 px beside the clock and the sign-in button
MIN_WIDTH_PX = 140
FINISHED = "finished"  # the supervisor's reason for a task that returned: its work was done, no trouble


def in_trouble(status: TaskStatus) -> bool:
    if status.state is TaskState.RESTARTING:
        return True
    return status.state is TaskState.STOPPED and status.reason != FINISHED


def headline(status: TaskStatus) -> str:
    """The few words the header shows: "⚠ sync restarting", "✖ scanner stopped"."""
    if status.state is TaskState.RESTARTING:
        return f"⚠ {status.name} restarting"
    return f"✖ {status.name} stopped"


def describe(status: TaskStatus) -> str:
    """One task's trouble in full: "⚠ sync restarting after 4 s: server unreachable"."""
    words = headline(status)
    if status.state is TaskState.RESTARTING and status.retry_in_s is not None:
        words += f" after {status.retry_in_s:.0f} s"
    if status.reason:
        words += f": {status.reason}"
    return words


class TaskStatusLabel(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("taskStatus")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setMaximumWidth(MAX_WIDTH_PX)
        self.troubled: list[TaskStatus] = []
        self.show_tasks(())

    def minimumSizeHint(self) -> QSize:
        # Words may be clipped on a small screen (the tooltip has them all); the window must never grow.
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), MIN_WIDTH_PX), hint.height())

    def show_tasks(self, statuses: Iterable[TaskStatus]) -> None:
        """Redraw from every task's status (the supervisor's `all()`)."""
        self.troubled = [s for s in statuses if in_trouble(s)]
        if not self.troubled:
            self.setText("")
            self.setToolTip("")
            self.setVisible(False)
            return
        first = self.troubled[0]
        text = headline(first)
        if len(self.troubled) > 1:
            text += f"  +{len(self.troubled) - 1} more"
        self.setText(text)
        self.setToolTip("\n".join(describe(s) for s in self.troubled))
        worst = "stopped" if any(s.state is TaskState.STOPPED for s in self.troubled) else "restarting"
        self.setProperty("state", worst)
        self.setStyleSheet("#taskStatus { color: #FF6D00; font-weight: bold; border: 2px solid #FF6D00;"
                           " border-radius: 8px; padding: 4px 10px; }")
        self.setVisible(True)
        restyle(self)
