"""The change bus: the one place every ``Changes`` is published, and every view or part hears it.

Services return ``Changes``; whoever ran the service (the app context, the scan routes, the sync
client, the simulator) publishes them here, once. Subscribers are plain callables, called in the order
they subscribed, on the publisher's thread (in the app that is the asyncio/Qt thread; the GUI's adapter
marshals to the Qt thread all the same). One subscriber that raises is logged and reported and does not
stop the others: a broken view must not stop the header or the sync push from hearing a change.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from jitdesk.services.changes import Changes

log = logging.getLogger("jitdesk.runtime")

Subscriber = Callable[[Changes], object]


def changes_in(result: object) -> Changes | None:
    """The Changes a use case returned: itself, or the one inside a tuple such as (id, Changes)."""
    if isinstance(result, Changes):
        return result
    if isinstance(result, tuple):
        return next((item for item in result if isinstance(item, Changes)), None)
    return None


class ChangeBus:
    """``publish(changes)`` calls every subscriber; ``subscribe(cb)`` returns the function that unsubscribes."""

    def __init__(self, on_error: Callable[[BaseException], None] | None = None) -> None:
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()  # subscribe/unsubscribe may come from another thread than publish
        self._on_error = on_error
        self.published = 0  # how many non-empty Changes went out (tests and the log read it)

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    def publish(self, changes: Changes | None) -> None:
        """Tell every subscriber; empty or missing Changes are not news."""
        if not changes:
            return
        self.published += 1
        with self._lock:
            subscribers = list(self._subscribers)
        for callback in subscribers:
            try:
                callback(changes)
            except Exception as error:  # one broken listener must not keep the change from the others
                log.exception("change listener %r failed", callback)
                if self._on_error is not None:
                    self._on_error(error)

    def publish_result(self, result: object) -> Changes | None:
        """Publish the Changes inside a use case's result (see ``changes_in``); returns them."""
        found = changes_in(result)
        self.publish(found)
        return found
