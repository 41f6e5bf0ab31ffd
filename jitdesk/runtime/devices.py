"""Device managers: every floor device (scanners now; stack lights and pedals later) runs under the supervisor.

A ``Device`` has a coroutine, ``run(report)``, that keeps the device going until it is cancelled and
calls ``report(state, message)`` whenever its state changes ("connected", "reconnecting", ... with
plain words for the screen), and ``close()``, which lets go of the hardware at once and synchronously
(a reader thread is stopped and the port closed even when the loop never runs again, as at exit).
``DeviceManager.start(name, device)`` runs it under the ``Supervisor``: a device
whose coroutine fails is logged once and restarted with backoff, and the header shows it. The manager
keeps each device's last state and message and tells its subscribers, so a view can say
"scanner disconnected: /dev/ttyUSB0 (trying to reconnect)" without knowing what kind of device it is.

This module knows no concrete device (runtime sits below ``jitdesk.devices``): the serial scanner's
coroutine comes from ``jitdesk.devices.scanners``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from jitdesk.runtime.listeners import Listeners
from jitdesk.runtime.supervise import Supervisor, TaskState

log = logging.getLogger("jitdesk.devices")

Report = Callable[[str, str], None]  # state, plain-words message


class Device(Protocol):
    def run(self, report: Report) -> Awaitable[None]: ...

    def close(self) -> None: ...


STOPPED = "stopped"


@dataclass(frozen=True)
class DeviceStatus:
    name: str
    state: str
    message: str


def when_running(callback: Callable[[], None]) -> None:
    """Call now if the asyncio loop runs, else as soon as it does (the app wires devices before it starts)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.get_event_loop().call_soon(callback)
        return
    callback()


class DeviceManager:
    """Starts, watches and stops the station's devices; see the module docstring."""

    def __init__(self, supervisor: Supervisor) -> None:
        self.supervisor = supervisor
        self._status: dict[str, DeviceStatus] = {}
        self._running: dict[str, Device] = {}
        self._supervised: set[str] = set()  # started in the supervisor (the loop has run since start())
        self._listeners: Listeners[DeviceStatus] = Listeners("device status")
        self._stopping: set[asyncio.Task[None]] = set()

    def subscribe(self, listener: Callable[[DeviceStatus], object]) -> Callable[[], None]:
        return self._listeners.subscribe(listener)

    def status(self, name: str) -> DeviceStatus | None:
        return self._status.get(name)

    def running(self, name: str) -> bool:
        return name in self._running

    def report(self, name: str, state: str, message: str) -> None:
        """Set a device's state (the device itself calls this through its ``report``)."""
        status = DeviceStatus(name, state, message)
        if self._status.get(name) == status:
            return
        self._status[name] = status
        if name in self._running and name in self._supervised:
            # The supervisor shows the task RUNNING while the device's own loop handles reconnects;
            # the reason carries the device's words for the header and the health page.
            self.supervisor.mark(name, TaskState.RUNNING, message)
        self._listeners.tell(status)

    def start(self, name: str, device: Device, *, state: str = "connecting", message: str = "") -> None:
        """Run ``device`` as ``name`` under the supervisor (now, or once the loop runs)."""
        if name in self._running:
            raise RuntimeError(f"device {name!r} is already running")
        self._running[name] = device
        self.report(name, state, message or f"{name} starting")

        def factory() -> Awaitable[None]:
            return device.run(lambda s, m: self.report(name, s, m))

        def begin() -> None:
            if self._running.get(name) is device:  # not stopped before the loop got going
                self._supervised.add(name)
                self.supervisor.start(name, factory)

        when_running(begin)

    def stop(self, name: str, message: str = "") -> asyncio.Task[None] | None:
        """Stop device ``name`` now (its coroutine is cancelled; its ``finally`` closes the port)."""
        device = self._running.pop(name, None)
        if device is None:
            return None
        device.close()  # the hardware first, synchronously: the loop may never run the task below
        self.report(name, STOPPED, message or f"{name} stopped")
        if name not in self._supervised:
            return None
        self._supervised.discard(name)
        loop = asyncio.get_event_loop()
        if loop.is_closed():
            return None
        task = loop.create_task(self.supervisor.stop(name, reason=message or f"{name} stopped"))
        self._stopping.add(task)
        task.add_done_callback(self._stopping.discard)
        return task

    def stop_all(self) -> list[asyncio.Task[None]]:
        return [task for name in list(self._running) if (task := self.stop(name)) is not None]
