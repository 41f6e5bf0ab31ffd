"""Helpers for the sync tests: PostgreSQL databases, a real server process, tokens, digests."""


from __future__ import annotations

import asyncio
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

PG_ADMIN = os.environ.get("JITDESK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
_pg_state: dict[str, Any] = {}


def pg_available() -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    if "reason" not in _pg_state:
        try:
            import psycopg

            with psycopg.connect(PG_ADMIN, connect_timeout=3):
                pass
            _pg_state["reason"] = None
        except Exception as error:  # noqa: BLE001 (any failure means: no usable PostgreSQL here)
            _pg_state["reason"] = f"no PostgreSQL at {PG_ADMIN} ({type(error).__name__}: {error})"
    return _pg_state["reason"]


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def fresh_pg_database() -> str:
    name = f"jitdesk_t_{secrets.token_hex(6)}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN.rsplit("/", 1)[0]
    return f"postgresql+psycopg://{base.split('://', 1)[1]}/{name}"


def drop_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')





def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """`jitdesk server` as a real process on loopback."""

    def __init__(self, db: str, workdir: Path, extra: list[str] | None = None, scheme: str = "http",
                 verify: bool | str = True) -> None:
        self.db, self.workdir, self.extra, self.scheme, self.verify = db, workdir, extra or [], scheme, verify
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def start(self) -> ServerProcess:
        self.starts += 1
        log = open(self.workdir / f"server-{self.port}-{self.starts}.log", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jitdesk", "server", "--db", self.db, "--port", str(self.port),
             "--log-level", "warning", *self.extra],
            stdout=log, stderr=subprocess.STDOUT, cwd=self.workdir,
        )
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}: {self.log_text()}")
            try:
                if httpx.get(self.url + "/v1/health", timeout=1, verify=self.ssl()).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"server did not start: {self.log_text()}")

    def ssl(self) -> Any:
        import ssl

        return ssl.create_default_context(cafile=self.verify) if isinstance(self.verify, str) else self.verify

    def log_text(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in self.workdir.glob(f"server-{self.port}-*.log"))

    def kill9(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill9()


def make_token(db: str, plant: str, device: str, role: str = "station") -> str:
    from jitdesk.sync.server.store import ServerStore

    store = ServerStore(db)
    try:
        return store.create_token(plant, device, role)[1]
    finally:
        store.close()


def server_events(db: str, plant: str | None = None) -> list[dict[str, Any]]:
    from jitdesk.sync.server.store import ServerStore

    store = ServerStore(db, migrate=False)
    try:
        return store.all_events(plant)
    finally:
        store.close()


def sync_once(db: Any, url: str, token: str, **kw: Any) -> Any:
    from jitdesk.sync.client import SyncClient

    async def _go() -> Any:
        client = SyncClient(db, url, token, **kw)
        try:
            return await client.sync_once()
        finally:
            await client.close()

    return asyncio.run(_go())


def wait_until(predicate: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    """Poll until true; the generous timeout only stops a hung test, it is not a timing claim."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"never happened: {what}")


def log_digest(db: Any) -> list[tuple[Any, ...]]:
    """Every event of a station database (envelope only), sorted: equal lists mean equal logs."""
    from jitdesk.storage import eventlog

    with db.reading() as session:
        return sorted((e.event_id, e.plant_id, e.device_id, e.device_seq, e.hlc, e.kind, e.entity_id,
                       eventlog.dump_payload(e.payload)) for e in eventlog.iter_all(session))


def projections_digest(db: Any) -> dict[str, Any]:
    from jitdesk.domain.fold import PROJECTORS
    from jitdesk.storage import projections

    out: dict[str, Any] = {}
    with db.reading() as session:
        for projector in PROJECTORS.all():
            try:
                out[projector.name] = projections.all_states(session, projector)
            except LookupError:
                continue
    return out

