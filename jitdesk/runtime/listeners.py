"""Listeners[T]: who hears a runtime part's news (answers, device states, task states).

``subscribe(listener)`` returns the function that unsubscribes; ``tell(value)`` calls each listener in
turn, logs one that raises and goes on, so a broken sound or view never stops the others or the sender.
With ``report=True`` the fault also goes to ``sys.excepthook`` (the GUI's crash dialog).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)


class Listeners(Generic[T]):
    def __init__(self, what: str, *, report: bool = False) -> None:
        self._what = what
        self._report = report
        self._listeners: list[Callable[[T], object]] = []

    def subscribe(self, listener: Callable[[T], object]) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def __len__(self) -> int:
        return len(self._listeners)

    def tell(self, value: T) -> None:
        for listener in list(self._listeners):
            try:
                listener(value)
            except Exception:  # one listener's fault must not stop the others or the sender
                log.exception("%s listener %r failed", self._what, listener)
                if self._report:
                    sys.excepthook(*sys.exc_info())
