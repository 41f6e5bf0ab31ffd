"""Two stations and a real sync server on loopback, for the live propagation benchmarks.

`stations(build)` makes an admin database that builds the plant (`build(admin)` gives the plant id,
station A's and station B's ids and whatever else the benchmark needs), starts `jitdesk server` as a
process on a free port with one token per database, syncs the three once and assigns A and B their
stations. `running(a, b, ...)` then runs both real sync clients (`SyncClient.run`, long-poll) in the
benchmark's event loop until it is left.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Stations:
    admin: Any  # Database
    a: Any
    b: Any
    station_a: str
    station_b: str
    extra: Any  # what the plant builder gave besides the ids
    url: str
    token_a: str
    token_b: str


def _wait_healthy(url: str, tries: int = 600) -> None:
    for _ in range(tries):
        try:
            if httpx.get(url + "/v1/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise RuntimeError(f"the server at {url} never answered")


@contextmanager
def stations(build: Callable[[Any], tuple[str, str, str, Any]], server_db: str | None = None,
             names: tuple[str, str] = ("a", "b")) -> Iterator[Stations]:
    from jitdesk.services import station_identity
    from jitdesk.storage.database import open_database
    from jitdesk.sync.client import SyncClient
    from jitdesk.sync.server.store import ServerStore

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        admin, a, b = (open_database(work / f"{n}.db") for n in ("admin", *names))
        plant, st_a, st_b, extra = build(admin)
        server_db = server_db or str(work / "server.db")
        store = ServerStore(server_db)
        tokens = [store.create_token(plant, device, role)[1]
                  for device, role in (("office", "admin"), (names[0], "station"), (names[1], "station"))]
        store.close()
        url = f"http://127.0.0.1:{free_port()}"
        proc = subprocess.Popen([sys.executable, "-m", "jitdesk", "server", "--db", server_db, "--port",
                                 url.rsplit(":", 1)[1], "--log-level", "warning"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_healthy(url)

            async def first_sync() -> None:
                for db, token in zip((admin, a, b), tokens, strict=True):
                    client = SyncClient(db, url, token)
                    await client.sync_once()
                    await client.close()

            asyncio.run(first_sync())
            station_identity.assign(a, st_a, actor=None)
            station_identity.assign(b, st_b, actor=None)
            yield Stations(admin, a, b, st_a, st_b, extra, url, tokens[1], tokens[2])
        finally:
            proc.terminate()
            proc.wait(10)
            for db in (admin, a, b):
                db.close()


@asynccontextmanager
async def running(s: Stations, on_changes_b: Callable[[Any], None], settle_s: float = 0.3
                  ) -> AsyncIterator[tuple[Any, Any]]:
    """Both clients online (A's and B's `SyncClient`), B reporting its Changes to `on_changes_b`."""
    from jitdesk.sync.client import SyncClient

    ca = SyncClient(s.a, s.url, s.token_a, long_poll_s=20)
    cb = SyncClient(s.b, s.url, s.token_b, long_poll_s=20, on_changes=on_changes_b)
    tasks = [asyncio.ensure_future(ca.run()), asyncio.ensure_future(cb.run())]
    try:
        while not (ca.status.state == cb.status.state == "online"):
            await asyncio.sleep(0.05)
        await asyncio.sleep(settle_s)
        yield ca, cb
    finally:
        ca.stop()
        cb.stop()
        await asyncio.gather(*tasks)
        await ca.close()
        await cb.close()


async def arrival(arrived: dict[str, float], key: str, what: str, timeout_s: float = 10) -> float:
    """When `key` arrived (perf_counter), waiting for it; a RuntimeError naming `what` after the timeout."""
    deadline = time.perf_counter() + timeout_s
    while key not in arrived:
        if time.perf_counter() > deadline:
            raise RuntimeError(f"{what} never arrived")
        await asyncio.sleep(0.001)
    return arrived[key]


def bare_round_trips(url: str, count: int = 200) -> list[float]:
    """Seconds per bare GET /v1/health on the same server: the floor of any trip through it."""
    out = []
    with httpx.Client() as http:
        for _ in range(count):
            t0 = time.perf_counter()
            http.get(url + "/v1/health")
            out.append(time.perf_counter() - t0)
    return out
