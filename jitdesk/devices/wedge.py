"""Tell a keyboard-wedge scanner from a person typing, by the timing between keys.

A wedge scanner "types" a whole code in a few milliseconds and ends it with Enter or Tab; a person
leaves tens to hundreds of milliseconds between keys. ``WedgeDecoder`` is pure: the caller (the Qt
event filter in ``jitdesk.gui.wedge_filter``) feeds it every key press with a timestamp in seconds
from a monotonic clock, holds the keys back while the decoder makes up its mind, and then either
takes the scan or lets the keys through to the widget that was typed into.

The decision rule (``gap`` is the time since the previous held key):

1. A character key with ``gap <= max_gap_ms`` joins the current burst. Otherwise the current
   burst (if any) is given back as human typing and the key starts a new burst. A burst therefore
   only ever holds keys that followed each other quickly.
2. Enter or Tab with ``gap <= max_gap_ms`` ends the burst. If the burst, with control characters
   stripped (GS, 0x1D, is kept: it is FNC1 in GS1 codes) and surrounding spaces trimmed, is at
   least ``min_length`` characters long, it is a scan and the Enter/Tab is consumed with it.
   Otherwise the burst and the Enter/Tab are given back as typing.
3. Enter or Tab with no burst, or after a longer gap, is given back (with any burst before it):
   a person pressed it.
4. Silence: ``poll(now)`` gives back a burst whose last key is more than ``max_gap_ms`` old. A
   burst that never got its Enter/Tab is not a scan (it may be a fast typist's roll-over).
5. A burst longer than ``max_length`` keys is not a scanner's (a held-down key repeats this
   fast); it is given back at once.
6. Modifier presses (Shift, CapsLock, AltGr, NumLock: ``key="modifier"``, no text) are part of
   the scan. A USB scanner presses Shift around every capital letter and some toggle CapsLock or
   NumLock around a code, all in the burst's rhythm. Inside a burst (``gap <= max_gap_ms``) a
   modifier press joins it, adds no character and keeps the burst alive; the gap to the next key
   is measured from it. Outside a burst it is not held: any stale burst is given back and the
   press itself passes straight on (``absorbs`` tells the caller which, before it feeds).
   Only character keys count toward ``max_length``.

So nothing a person types is lost, it is only delayed by at most ``max_gap_ms`` (unnoticeable at
30 ms), and one call never yields both a scan and typing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from jitdesk.devices.framing import strip_controls

__all__ = ["HumanTyping", "KeyKind", "Keystroke", "WedgeConfig", "WedgeDecoder", "WedgeResult", "WedgeScan"]

KeyKind = Literal["char", "enter", "tab", "modifier"]


@dataclass(frozen=True)
class WedgeConfig:
    """Timing and length rules; see the module docstring."""

    max_gap_ms: float = 30.0
    min_length: int = 4
    max_length: int = 128

    def __post_init__(self) -> None:
        if self.max_gap_ms <= 0:
            raise ValueError(f"wedge max_gap_ms must be positive, not {self.max_gap_ms}")
        if self.min_length < 1 or self.max_length < self.min_length:
            raise ValueError(
                f"wedge lengths must satisfy 1 <= min_length <= max_length, "
                f"not {self.min_length}..{self.max_length}"
            )


@dataclass(frozen=True)
class Keystroke:
    """One key press as fed to the decoder."""

    text: str
    key: KeyKind
    timestamp_s: float


@dataclass(frozen=True)
class WedgeScan:
    """A decided scan: ``code`` is cleaned; ``keys`` are the presses it consumed (terminator last)."""

    code: str
    keys: tuple[Keystroke, ...]


@dataclass(frozen=True)
class HumanTyping:
    """Keys a person typed, given back in order so the GUI can deliver them."""

    keys: tuple[Keystroke, ...]

    @property
    def text(self) -> str:
        """The characters typed (Enter and Tab left out)."""
        return "".join(k.text for k in self.keys if k.key == "char")


WedgeResult = WedgeScan | HumanTyping


class WedgeDecoder:
    """Feed key presses; get back a ``WedgeScan``, ``HumanTyping`` or None (still deciding)."""

    def __init__(self, config: WedgeConfig | None = None) -> None:
        self._config = config or WedgeConfig()
        self._gap_s = self._config.max_gap_ms / 1000.0
        self._burst: list[Keystroke] = []

    @property
    def config(self) -> WedgeConfig:
        return self._config

    @property
    def pending(self) -> int:
        """How many key presses are held back, undecided."""
        return len(self._burst)

    def deadline(self) -> float | None:
        """When ``poll`` will give back the held keys if no other key comes (None: nothing held)."""
        if not self._burst:
            return None
        return self._burst[-1].timestamp_s + self._gap_s

    def absorbs(self, timestamp_s: float) -> bool:
        """Whether a modifier press at ``timestamp_s`` would join the held burst (else it passes on)."""
        return bool(self._burst) and self._within_gap(timestamp_s)

    def feed(self, text: str, key: KeyKind, timestamp_s: float) -> WedgeResult | None:
        """Take one key press; see the module docstring for what comes back when."""
        stroke = Keystroke(text if key != "modifier" else "", key, timestamp_s)
        quick = bool(self._burst) and self._within_gap(timestamp_s)
        if key == "modifier":
            if quick:
                self._burst.append(stroke)
                return None
            return self._give_back()  # the modifier itself is not held: it was a person's
        if key == "char":
            if quick:
                self._burst.append(stroke)
                if self._chars() > self._config.max_length:
                    return self._give_back()
                return None
            released = self._give_back()
            self._burst.append(stroke)
            return released
        # Enter or Tab.
        if quick:
            code = strip_controls("".join(k.text for k in self._burst)).strip(" ")
            if len(code) >= self._config.min_length:
                keys = (*self._burst, stroke)
                self._burst.clear()
                return WedgeScan(code, keys)
        self._burst.append(stroke)
        return self._give_back()

    def poll(self, now_s: float) -> HumanTyping | None:
        """Give back a burst that has been silent for longer than ``max_gap_ms``."""
        if self._burst and not self._within_gap(now_s):
            return self._give_back()
        return None

    def flush(self) -> HumanTyping | None:
        """Give back whatever is held, now (focus moved away, a non-character key, ...)."""
        return self._give_back()

    def _chars(self) -> int:
        return sum(1 for k in self._burst if k.key == "char")

    def _within_gap(self, timestamp_s: float) -> bool:
        # A clock that goes backwards (it should not) counts as "no gap".
        return timestamp_s - self._burst[-1].timestamp_s <= self._gap_s

    def _give_back(self) -> HumanTyping | None:
        if not self._burst:
            return None
        keys = tuple(self._burst)
        self._burst.clear()
        return HumanTyping(keys)
