"""A fault-injecting TCP proxy for sync tests: sits between a client and a server on loopback.

    with FaultProxy(target_port) as proxy:
        url = f"http://127.0.0.1:{proxy.port}"
        proxy.set("drop")      # accept, then close at once
        proxy.set("reset")     # accept, then RST (SO_LINGER 0)
        proxy.set("stall")     # accept and forward nothing (the client's timeout fires)
        proxy.set("cut", n=5000)   # forward n bytes (both ways together) per connection, then cut
        proxy.set("slow", delay=0.05, chunk=512)  # forward in small chunks with a pause each
        proxy.set("pass")      # heal
        proxy.kill_all()       # cut every open connection now

It runs its own asyncio loop on a thread; the mode applies to new connections and, for
cut/slow/stall, to bytes forwarded on open ones. Traffic only ever goes to 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import threading
from typing import Any

MODES = ("pass", "drop", "reset", "stall", "cut", "slow")


class FaultProxy:
    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self.mode = "pass"
        self.options: dict[str, Any] = {}
        self.connections = 0
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._writers: set[asyncio.StreamWriter] = set()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="faultproxy", daemon=True)
        self._server: asyncio.base_events.Server | None = None

    def __enter__(self) -> FaultProxy:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        self._thread.start()
        self._ready.wait(10)

    def set(self, mode: str, **options: Any) -> None:
        if mode not in MODES:
            raise ValueError(mode)
        self.mode, self.options = mode, options
        if mode in ("drop", "reset", "stall", "cut"):
            self.kill_all()

    def kill_all(self) -> None:
        def _kill() -> None:
            for writer in list(self._writers):
                _abort(writer)
            self._writers.clear()

        self._loop.call_soon_threadsafe(_kill)

    def close(self) -> None:
        if not self._thread.is_alive():
            return

        async def _stop() -> None:
            if self._server is not None:
                self._server.close()
            for writer in list(self._writers):
                _abort(writer)

        asyncio.run_coroutine_threadsafe(_stop(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    # --- inside the proxy's loop ------------------------------------------------------------------
    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self._loop.shutdown_asyncgens())
        self._loop.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        mode = self.mode
        if mode == "drop":
            writer.close()
            return
        if mode == "reset":
            _abort(writer)
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            _abort(writer)
            return
        self._writers.update((writer, up_writer))
        budget = [int(self.options.get("n", 1 << 62))] if mode == "cut" else [1 << 62]
        await asyncio.gather(self._pipe(reader, up_writer, budget, writer),
                             self._pipe(up_reader, writer, budget, up_writer), return_exceptions=True)
        for w in (writer, up_writer):
            self._writers.discard(w)
            _abort(w)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, budget: list[int],
                    other: asyncio.StreamWriter) -> None:
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                while self.mode == "stall":
                    await asyncio.sleep(0.05)
                if self.mode == "slow":
                    chunk = int(self.options.get("chunk", 1024))
                    for start in range(0, len(data), chunk):
                        await asyncio.sleep(float(self.options.get("delay", 0.01)))
                        writer.write(data[start:start + chunk])
                        await writer.drain()
                    continue
                if len(data) >= budget[0]:
                    writer.write(data[:budget[0]])
                    budget[0] = 0
                    await writer.drain()
                    _abort(writer)
                    _abort(other)
                    return
                budget[0] -= len(data)
                writer.write(data)
                await writer.drain()
            if writer.can_write_eof():
                writer.write_eof()
        except (OSError, asyncio.CancelledError, RuntimeError):
            _abort(writer)
            _abort(other)


def _abort(writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()
