"""Guards against Qt binding releases that break a long-running app.

PySide6 6.12.0 returned True from `Signal.emit()` without taking a reference: every emit dropped one
reference to True, and after some hundreds of emits (a scan, a sync, a view reload each emit) the
interpreter aborted with "bool_dealloc". pyproject.toml excludes it; this test keeps it out.
"""

from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    bare = Signal()
    carrying = Signal(object)


def test_emitting_signals_does_not_leak_references_to_true(qapp) -> None:  # type: ignore[no-untyped-def]
    emitter = _Emitter()
    received: list[object] = []
    emitter.bare.connect(lambda: received.append(None))
    emitter.carrying.connect(received.append)
    before = sys.getrefcount(True)
    for i in range(3000):
        emitter.bare.emit()
        emitter.carrying.emit(i)
    worker = threading.Thread(target=lambda: [emitter.bare.emit() for _ in range(1000)])
    worker.start()
    worker.join()
    qapp.processEvents()
    assert len(received) >= 6000
    assert sys.getrefcount(True) >= before - 50  # a leak would be thousands
