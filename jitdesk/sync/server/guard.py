"""An HTTP/1.1 protocol that closes connections sending their request too slowly (slowloris).

uvicorn's h11 protocol only times out a kept-alive connection that sends nothing at all; one that
opens and sends nothing, or trickles a header byte now and then, or a body slower than any real
client, stays open for ever, and a few hundred of them use up the server. Here every request must
arrive whole (request line, headers and body) within `REQUEST_TIMEOUT_S` of the connection opening
or of the previous answer; otherwise the connection is closed. A long-poll is not affected: its
request has arrived whole, and the server then takes its time to answer.
"""

from __future__ import annotations

import asyncio
import logging

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("jitdesk.sync.server")

REQUEST_TIMEOUT_S = 60.0


class GuardedH11Protocol(H11Protocol):
    request_timeout_s = REQUEST_TIMEOUT_S

    _guard: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is not h11.IDLE and self.conn.their_state is not h11.SEND_BODY:
            self._disarm()  # the request is in whole (or the connection is done)

    def on_response_complete(self) -> None:
        self._arm()  # the next request on this connection gets its own time
        super().on_response_complete()

    def _arm(self) -> None:
        self._disarm()
        self._guard = self.loop.call_later(self.request_timeout_s, self._too_slow)

    def _disarm(self) -> None:
        if self._guard is not None:
            self._guard.cancel()
            self._guard = None

    def _too_slow(self) -> None:
        self._guard = None
        if self.transport.is_closing():
            return
        idle = (self.cycle is not None and self.cycle.response_complete and self.conn.their_state is h11.IDLE
                and not self.conn.trailing_data[0])
        if not idle:  # a kept-alive connection that said nothing more is closed without a word
            log.warning("closed a connection from %s that sent no whole request in %.0f s",
                        f"{self.client[0]}:{self.client[1]}" if self.client else "?", self.request_timeout_s)
        self.transport.close()
