"""Stack lights (signal towers) and buzzers: an output interface, a serial implementation and a simulator.

The station's andon state (`domain.andon.derived.LightState`: colour, steady or flashing, buzzer) is
what a light shows; `show(state)` never blocks and never raises, whatever the light is doing.

Serial protocol (ASCII, one line per state, sent on every change and again every `keepalive_s` so a
light that restarted catches up):

    L <COLOUR> <MODE> <BUZZER>\\n

* COLOUR: GREEN, AMBER or RED (the tower's lamp; OFF switches every lamp off)
* MODE: STEADY or FLASH (about 1 Hz, the light's own timing)
* BUZZER: BUZZ or QUIET
e.g. `L RED FLASH BUZZ` for an unclaimed line stop, `L GREEN STEADY QUIET` when the station is clear,
`L OFF STEADY QUIET` when jitdesk lets go of the light. 9600 baud 8N1; the light may answer anything
(it is not read). A controller that only knows the standard tower can map each line to its relays.

`SerialStackLight` writes on its own daemon thread; when the port vanishes (USB unplugged) it reports
"light disconnected", keeps the newest state and reopens the port with backoff until it is back, then
writes that state at once. `SimulatedLight` keeps what it was shown (for tests and the demo).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import serial

from jitdesk.domain.andon.derived import LightState

log = logging.getLogger("jitdesk.light")

OFF = LightState("off")
# pyserial raises SerialException or OSError; its flush() lets termios.error (EIO, not an OSError) through
_PORT_ERRORS: tuple[type[BaseException], ...] = (serial.SerialException, OSError)
try:
    import termios

    _PORT_ERRORS += (termios.error,)
except ImportError:  # not a POSIX system: pyserial has no termios there
    pass


def frame(state: LightState) -> bytes:
    """The protocol line for a state."""
    colour = state.colour.upper() if state.colour in ("green", "amber", "red", "off") else "AMBER"
    mode = "FLASH" if state.flash else "STEADY"
    buzzer = "BUZZ" if state.buzzer else "QUIET"
    return f"L {colour} {mode} {buzzer}\n".encode("ascii")


class StackLight(Protocol):
    def show(self, state: LightState) -> None:
        """Show `state` as soon as the light can; never blocks, never raises."""

    def close(self) -> None:
        """Switch the light off if it can and let go of it."""


class SimulatedLight:
    """A light that remembers: `state` is what it shows, `shown` every state it was given."""

    def __init__(self) -> None:
        self.state = OFF
        self.shown: list[LightState] = []

    def show(self, state: LightState) -> None:
        self.state = state
        self.shown.append(state)

    def close(self) -> None:
        self.show(OFF)


@dataclass(frozen=True)
class LightStatus:
    state: str  # connected, disconnected, stopped
    port: str
    message: str


class SerialStackLight:
    def __init__(self, port: str, *, baud: int = 9600, keepalive_s: float = 5.0, retry_initial_s: float = 0.5,
                 retry_max_s: float = 5.0, on_status: Callable[[LightStatus], Any] | None = None) -> None:
        self.port = port
        self.baud = baud
        self.keepalive_s = keepalive_s
        self.retry_initial_s = retry_initial_s
        self.retry_max_s = retry_max_s
        self.on_status = on_status
        self._wanted = OFF
        self._changed = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.status: LightStatus | None = None
        self.written = 0  # lines written (for tests and the log)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=f"stack-light {self.port}", daemon=True)
            self._thread.start()

    def show(self, state: LightState) -> None:
        with self._lock:
            self._wanted = state
        self._changed.set()

    def close(self, timeout_s: float = 3.0) -> None:
        self.show(OFF)
        self._stop.set()
        self._changed.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout_s)
            self._thread = None

    # -- writer thread ------------------------------------------------------------------------
    def _report(self, state: str, message: str) -> None:
        if self.status is not None and self.status.state == state:
            return
        self.status = LightStatus(state, self.port, message)
        log.info("%s", message)
        if self.on_status is not None:
            try:
                self.on_status(self.status)
            except Exception:  # a broken listener must not stop the light
                log.exception("stack light status listener failed")

    def _run(self) -> None:
        delay = self.retry_initial_s
        while not self._stop.is_set():
            try:
                port = serial.serial_for_url(self.port, baudrate=self.baud, timeout=0.2, write_timeout=1.0)
            except (serial.SerialException, OSError, ValueError) as error:
                self._report("disconnected", f"light disconnected: {self.port} (trying to reconnect)")
                log.debug("cannot open light %s: %s", self.port, error)
                self._stop.wait(delay)
                delay = min(delay * 2, self.retry_max_s)
                continue
            delay = self.retry_initial_s
            self._report("connected", f"light connected: {self.port}")
            try:
                self._write_until_error(port)
            except _PORT_ERRORS as error:
                self._report("disconnected", f"light disconnected: {self.port} (trying to reconnect)")
                log.debug("light %s lost: %s", self.port, error)
            finally:
                with contextlib.suppress(*_PORT_ERRORS):  # it may be gone already
                    port.close()
        self._report("stopped", f"light stopped: {self.port}")

    def _write_until_error(self, port: Any) -> None:
        while True:
            self._changed.clear()  # before reading: a show() from now on wakes the next round
            with self._lock:
                state = self._wanted
            port.write(frame(state))
            port.flush()
            self.written += 1
            if self._stop.is_set():
                with self._lock:
                    if self._wanted == state:
                        return  # the last state (OFF, from close) went out
                continue
            self._changed.wait(self.keepalive_s)
