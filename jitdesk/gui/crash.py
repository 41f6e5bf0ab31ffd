"""One excepthook for every unexpected error: log it, then show a crash dialog.

The dialog is shown through a queued signal, so it always opens from the Qt event loop itself,
never from inside a coroutine or a worker thread, and it is non-modal (`show()`, never `exec()`):
the station keeps working behind it. A KnownError is not a crash: its plain message goes to the
`known` callback (the main window's message bar) instead.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jitdesk.domain.errors import KnownError

log = logging.getLogger("jitdesk.app")

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class CrashHandler(QObject):
    """Install with `install()`; `crashes` counts the dialogs shown (tests read it)."""

    _report = Signal(str, str)  # kind ("bug" or "known"), text: always delivered queued

    def __init__(self, log_file: str | None = None, known: Callable[[str], None] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_file = log_file
        self.known = known
        self.crashes = 0
        self.dialogs: list[CrashDialog] = []
        self._previous: tuple[Any, Any] | None = None
        self._report.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.hook
        threading.excepthook = self._thread_hook
        if loop is not None:
            loop.set_exception_handler(self._loop_hook)

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None

    def hook(self, etype: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if isinstance(value, KnownError):
            log.warning("%s", value)
            self._report.emit("known", str(value))
            return
        if issubclass(etype, KeyboardInterrupt):
            QGuiApplication.quit()
            return
        log.error("unexpected error", exc_info=(etype, value, tb))
        self._report.emit("bug", "".join(traceback.format_exception(etype, value, tb)))

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self.hook(args.exc_type, args.exc_value, args.exc_traceback)

    def _loop_hook(self, _loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        error = context.get("exception")
        if isinstance(error, BaseException):
            self.hook(type(error), error, error.__traceback__)
        else:
            log.error("asyncio: %s", context.get("message", context))

    def _show(self, kind: str, text: str) -> None:
        if kind == "known":
            if self.known is not None:
                self.known(text)
            return
        self.crashes += 1
        dialog = CrashDialog(text, self.log_file)
        dialog.finished.connect(lambda _code, d=dialog: self._forget(d))
        self.dialogs.append(dialog)
        dialog.show()  # non-modal on purpose: never exec()
        dialog.raise_()

    def _forget(self, dialog: CrashDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
        dialog.deleteLater()


class CrashDialog(QDialog):
    def __init__(self, details: str, log_file: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle("jitdesk: something went wrong")
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        layout = QVBoxLayout(self)
        headline = QLabel("⚠  jitdesk hit a problem it did not expect.")
        headline.setObjectName("crashHeadline")
        layout.addWidget(headline)
        where = f"The details are saved in the log file:\n{log_file}" if log_file else ""
        text = QLabel("Your work so far is saved. You can keep working; if this happens again, "
                      "call your supervisor or IT and show them this message.\n" + where)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(text)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setVisible(False)
        layout.addWidget(self.details, 1)
        buttons = QHBoxLayout()
        show = QPushButton("Show details")
        show.setCheckable(True)
        show.toggled.connect(self.details.setVisible)
        copy = QPushButton("Copy details")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(details))
        close = QPushButton("Close")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        for button in (show, copy, close):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.resize(900, 420)
