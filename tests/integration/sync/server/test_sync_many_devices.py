"""Many devices on real server processes: long-polls woken across API processes through PostgreSQL
LISTEN/NOTIFY, `--workers N`, the per-token cap on waiting pulls, and slow requests cut off.

Assertions are on what is answered, never on how fast: a long-poll waits far longer than the test
would, and on PostgreSQL a listening server never re-checks by itself, so a pull on one process that
answers with the event pushed through another one was woken by the notice.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers.sync_events import envelope
from tests.helpers.sync_server import (
    ServerProcess,
    drop_pg_database,
    fresh_pg_database,
    make_token,
    pg_available,
    wait_until,
)

WAIT = 25.0  # long-poll wait: longer than any answer these tests expect


@pytest.fixture
def pg_db() -> Iterator[str]:
    reason = pg_available()
    if reason:
        pytest.skip(reason)
    url = fresh_pg_database()
    try:
        yield url
    finally:
        drop_pg_database(url)


def headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def listening(server: ServerProcess) -> bool:
    return bool(httpx.get(server.url + "/v1/health", timeout=5).json().get("wakeups") == "listen")


async def long_polls(urls: list[str], token: str, after: int = 0) -> list[httpx.Response]:
    async with httpx.AsyncClient(timeout=WAIT + 10) as client:
        return await asyncio.gather(*(
            client.get(url + "/v1/events", params={"after": after, "wait": WAIT}, headers=headers(token))
            for url in urls))


def push(url: str, token: str, events: list[dict[str, Any]]) -> dict[str, Any]:
    answer = httpx.post(url + "/v1/events", json={"events": events}, headers=headers(token), timeout=30)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def pull_while_pushing(urls: list[str], poll_token: str, push_to: str, push_token: str,
                       events: list[dict[str, Any]], settle: Callable[[], None]) -> list[httpx.Response]:
    async def go() -> list[httpx.Response]:
        polls = asyncio.ensure_future(long_polls(urls, poll_token))
        await asyncio.sleep(0)
        await asyncio.to_thread(settle)
        await asyncio.to_thread(push, push_to, push_token, events)
        return await polls

    return asyncio.run(go())


@pytest.mark.postgres
def test_push_to_one_process_wakes_long_polls_on_another(pg_db: str, start_server: Callable[..., ServerProcess],
                                                         tmp_path: Path) -> None:
    a, b = start_server(pg_db), start_server(pg_db)
    wait_until(lambda: listening(a) and listening(b), "both servers listen for notices")
    reader, writer = make_token(pg_db, "P1", "board"), make_token(pg_db, "P1", "line-1")
    other = make_token(pg_db, "P2", "elsewhere")

    def settle() -> None:
        time.sleep(0.5)  # let the long-polls reach the servers (if not, they find the event at once)

    answers = pull_while_pushing([b.url, b.url, a.url], reader, a.url, writer, [envelope("d1", 1)], settle)
    for answer in answers:
        assert answer.status_code == 200
        assert [e["device_id"] for e in answer.json()["events"]] == ["d1"]
    # Another plant's push wakes nobody of P1 with anything of P2's.
    async def other_plant() -> list[httpx.Response]:
        polls = asyncio.ensure_future(long_polls([b.url], reader, after=answers[0].json()["next"]))
        await asyncio.sleep(0.5)
        await asyncio.to_thread(push, a.url, other, [envelope("d9", 1, plant="P2")])
        await asyncio.to_thread(push, a.url, writer, [envelope("d1", 2)])
        return await polls

    (later,) = asyncio.run(other_plant())
    assert [e["device_id"] for e in later.json()["events"]] == ["d1"]


@pytest.mark.postgres
def test_workers_share_one_postgresql(pg_db: str, start_server: Callable[..., ServerProcess]) -> None:
    server = start_server(pg_db, ["--workers", "2"])
    writer = make_token(pg_db, "P1", "line-1")
    readers = [make_token(pg_db, "P1", f"board-{i}") for i in range(6)]

    async def go() -> list[httpx.Response]:
        # Each long-poll on its own connection: the kernel spreads them over both worker processes.
        polls = [asyncio.ensure_future(long_polls([server.url], token)) for token in readers]
        await asyncio.sleep(1.0)
        await asyncio.to_thread(push, server.url, writer, [envelope("d1", 1)])
        return [r for answers in await asyncio.gather(*polls) for r in answers]

    wait_until(lambda: listening(server), "a worker listens for notices")
    time.sleep(1.0)  # the other worker too (its health may not be the one answering)
    for answer in asyncio.run(go()):
        assert answer.status_code == 200
        assert [e["device_id"] for e in answer.json()["events"]] == ["d1"]


@pytest.mark.postgres
def test_one_token_may_hold_only_a_few_waiting_pulls(pg_db: str,
                                                     start_server: Callable[..., ServerProcess]) -> None:
    server = start_server(pg_db)
    reader, writer = make_token(pg_db, "P1", "board"), make_token(pg_db, "P1", "line-1")

    async def go() -> tuple[list[httpx.Response], httpx.Response]:
        polls = asyncio.ensure_future(long_polls([server.url] * 4, reader))
        await asyncio.sleep(1.0)
        async with httpx.AsyncClient(timeout=WAIT + 10) as client:
            extra = await client.get(server.url + "/v1/events", params={"after": 0, "wait": WAIT},
                                     headers=headers(reader))
        await asyncio.to_thread(push, server.url, writer, [envelope("d1", 1)])
        return await polls, extra

    waiting, extra = asyncio.run(go())
    assert extra.status_code == 429
    assert "waiting" in extra.json()["detail"]
    assert all(r.status_code == 200 and len(r.json()["events"]) == 1 for r in waiting)
    # A pull that does not wait is never counted.
    assert httpx.get(server.url + "/v1/events", params={"after": 0}, headers=headers(reader)).status_code == 200


def test_slow_requests_are_cut_off(tmp_path: Path, start_server: Callable[..., ServerProcess]) -> None:
    server = start_server(str(tmp_path / "server.db"), ["--request-timeout", "1"])
    host, port = "127.0.0.1", server.port
    sockets = []
    for i in range(12):
        sock = socket.create_connection((host, port))
        if i % 3 == 1:
            sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n")  # headers never finished
        elif i % 3 == 2:
            sock.sendall(b"POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{")  # no body
        sockets.append(sock)
    deadline = time.monotonic() + 30
    for sock in sockets:
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            while True:
                sock.sendall(b"X")  # a byte now and then: the trickle does not keep it open
                data = sock.recv(4096)
                if not data or b"HTTP/1.1" in data:  # closed (some get a 4xx answer first)
                    break
        except (ConnectionResetError, BrokenPipeError):
            pass
        except TimeoutError:
            pytest.fail("a slow connection was still open after 30 s")
        finally:
            sock.close()
    # The server still answers real requests.
    assert httpx.get(server.url + "/v1/health", timeout=5).status_code == 200
