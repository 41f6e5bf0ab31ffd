"""The scan router: one place decides what a scanned code is for.

Every scanner feeds ``route(code, source)``: the serial scanner (``source="serial"``), the keyboard
wedge (``"wedge"``) and, where a view offers it, a code typed by hand. The rule, in this order:

1. Claims. A widget that asks for scans while it is open (the sign-in dialog's badge field, a "scan
   the card to print" field) takes ``claim(owner, handler)`` and keeps the returned ``Claim`` until it
   closes, then ``release()``s it. The newest live claim gets every code first; its handler may return
   ``False`` to let the code go on (to the next older claim, then on by form); anything else means taken.
2. Routes by code form, in the order registered: ``register(name, matches, handler)``. Kanban card and
   status codes and sign-in badges are registered by the station's runtime; andon call codes and takt
   cycle codes plug in the same way.
3. Anything else goes to the fallback with a plain answer ("not a code jitdesk knows: ..."), which the
   station writes to its scan log: no code is ever dropped without a word.

A handler that raises is a bug: it is logged, and the code still gets an answer through the fallback
("could not be handled"), so nothing is lost. ``matches`` must be quick and must not do I/O (it runs on
the loop's thread for every scan); a matcher that raises counts as "not mine", logged.

No Qt here: the GUI claims through a thin adapter (``jitdesk.gui.scan_claim``). The router is used on
the asyncio loop's thread only (the serial reader posts to it with ``call_soon_threadsafe``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType

from jitdesk.runtime.listeners import Listeners

log = logging.getLogger("jitdesk.scan")

SHOWN_CHARS = 40  # of an unknown code, in the plain answer


@dataclass(frozen=True)
class Scan:
    """One code as a scanner sent it (terminator and framing already removed)."""

    code: str
    source: str  # "serial", "wedge", "manual", ...


ScanHandler = Callable[[Scan], object]
Matcher = Callable[[str], bool]
Fallback = Callable[[Scan, str], object]  # the scan and the plain answer


@dataclass(frozen=True)
class Routed:
    """Where one scan went: ``kind`` is "claim", "route", "unknown" or "failed"; ``to`` names the taker."""

    scan: Scan
    kind: str
    to: str
    answer: str = ""


def shown(code: str) -> str:
    """A code safe to put in a sentence: control characters as escapes, cut short."""
    text = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in code)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def unknown_answer(code: str) -> str:
    return f"not a code jitdesk knows: {shown(code)}"


class Claim:
    """A live claim on every scan; ``release()`` (or leaving a ``with`` block) gives the scans back."""

    def __init__(self, router: ScanRouter, owner: str, handler: ScanHandler) -> None:
        self._router = router
        self.owner = owner
        self.handler = handler
        self.live = True

    def release(self) -> None:
        """Idempotent: releasing twice, or after the router forgot the claim, is fine."""
        if self.live:
            self.live = False
            self._router._forget(self)

    def __enter__(self) -> Claim:
        return self

    def __exit__(self, etype: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()

    def __repr__(self) -> str:
        return f"Claim({self.owner!r}, live={self.live})"


@dataclass(frozen=True)
class _Route:
    name: str
    matches: Matcher
    handler: ScanHandler


def _log_fallback(scan: Scan, answer: str) -> None:
    log.warning("scan %r (%s): %s (no scan log attached)", shown(scan.code), scan.source, answer)


class ScanRouter:
    """See the module docstring. ``fallback(scan, answer)`` answers codes nobody takes."""

    def __init__(self, fallback: Fallback | None = None) -> None:
        self._claims: list[Claim] = []  # oldest first
        self._routes: list[_Route] = []
        self._fallback: Fallback = fallback or _log_fallback
        self._listeners: Listeners[Routed] = Listeners("scan")

    # -- who takes scans ----------------------------------------------------------------------------
    def claim(self, owner: str, handler: ScanHandler) -> Claim:
        """Take every scan first until the returned claim is released (newest claim first)."""
        claim = Claim(self, owner, handler)
        self._claims.append(claim)
        log.debug("scans claimed by %s", owner)
        return claim

    def _forget(self, claim: Claim) -> None:
        if claim in self._claims:
            self._claims.remove(claim)
            log.debug("scans released by %s", claim.owner)

    @property
    def claims(self) -> list[str]:
        """Owners of the live claims, newest first."""
        return [c.owner for c in reversed(self._claims)]

    def register(self, name: str, matches: Matcher, handler: ScanHandler) -> Callable[[], None]:
        """Send codes that ``matches`` to ``handler``, after the routes registered before; returns unregister."""
        if any(r.name == name for r in self._routes):
            raise ValueError(f"a scan route named {name!r} is already registered")
        route = _Route(name, matches, handler)
        self._routes.append(route)

        def unregister() -> None:
            if route in self._routes:
                self._routes.remove(route)

        return unregister

    @property
    def routes(self) -> list[str]:
        return [r.name for r in self._routes]

    def set_fallback(self, fallback: Fallback) -> None:
        self._fallback = fallback

    def subscribe(self, listener: Callable[[Routed], object]) -> Callable[[], None]:
        """Hear where each scan went (after it was handed over); returns unsubscribe."""
        return self._listeners.subscribe(listener)

    # -- routing --------------------------------------------------------------------------------------
    def route(self, code: str, source: str = "manual") -> Routed:
        """Hand ``code`` to whoever it is for; see the module docstring for the order."""
        scan = Scan(code, source)
        routed = self._dispatch(scan)
        log.debug("scan %r (%s) -> %s %s", shown(code), source, routed.kind, routed.to)
        self._listeners.tell(routed)
        return routed

    def _dispatch(self, scan: Scan) -> Routed:
        for claim in reversed(list(self._claims)):
            if not claim.live:
                continue
            taken = self._hand(scan, claim.handler, f"claim {claim.owner}")
            if taken is None:
                return self._answer(scan, "failed", claim.owner, self._failed(scan))
            if taken:
                return Routed(scan, "claim", claim.owner)
        for route in list(self._routes):
            try:
                mine = bool(route.matches(scan.code))
            except Exception:  # a broken matcher: not its code, said in the log
                log.exception("scan route %s: matcher failed on %r", route.name, shown(scan.code))
                mine = False
            if not mine:
                continue
            if self._hand(scan, route.handler, f"route {route.name}") is None:
                return self._answer(scan, "failed", route.name, self._failed(scan))
            return Routed(scan, "route", route.name)
        return self._answer(scan, "unknown", "", unknown_answer(scan.code))

    @staticmethod
    def _failed(scan: Scan) -> str:
        return f"the scan {shown(scan.code)} could not be handled (a fault in jitdesk; see the log)"

    @staticmethod
    def _hand(scan: Scan, handler: ScanHandler, what: str) -> bool | None:
        """True: taken; False: passed on; None: the handler raised (logged)."""
        try:
            return handler(scan) is not False
        except Exception:  # a bug in one handler: log it; the caller still answers the scan
            log.exception("%s failed on scan %r", what, shown(scan.code))
            return None

    def _answer(self, scan: Scan, kind: str, to: str, answer: str) -> Routed:
        try:
            self._fallback(scan, answer)
        except Exception:  # the last resort failed: the log line is the answer of record
            log.exception("answering scan %r (%s) failed: %s", shown(scan.code), scan.source, answer)
        return Routed(scan, kind, to, answer)
