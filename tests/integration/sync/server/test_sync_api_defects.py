"""Defects seen on a real server process: a revoked token's waiting long-poll, a client hanging up
mid-push, OPTIONS, and plain words (not tracebacks) for odd answers and numbers."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Callable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from jitdesk.sync.remote import Refused, Remote, Unreachable
from jitdesk.sync.server.store import ServerStore
from tests.helpers.sync_events import envelope
from tests.helpers.sync_server import ServerProcess, make_token, wait_until


def _client(server: ServerProcess, token: str) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30)


def test_options_and_405_name_every_method(sqlite_server_db: str, start_server: Callable[..., ServerProcess]) -> None:
    server = start_server(sqlite_server_db)
    answer = httpx.options(server.url + "/v1/events")
    assert answer.status_code == 204
    allowed = {m.strip() for m in answer.headers["allow"].split(",")}
    assert {"GET", "POST", "OPTIONS"} <= allowed
    put = httpx.put(server.url + "/v1/events", content=b"{}")
    assert put.status_code == 405 and {"GET", "POST"} <= {m.strip() for m in put.headers["allow"].split(",")}


def test_a_revoked_tokens_waiting_long_poll_gets_no_events(
        sqlite_server_db: str, start_server: Callable[..., ServerProcess]) -> None:
    store = ServerStore(sqlite_server_db)
    listen_id, listen = store.create_token("P1", "listener", "station")
    writer = make_token(sqlite_server_db, "P1", "writer")
    server = start_server(sqlite_server_db)
    got: dict[str, Any] = {}

    def long_poll() -> None:
        with _client(server, listen) as c:
            got["answer"] = c.get("/v1/events", params={"after": 0, "wait": 20})

    thread = threading.Thread(target=long_poll)
    thread.start()
    try:
        threading.Event().wait(1.0)  # let the long-poll start waiting (not a timing claim: either way no events)
        store.revoke_token(str(listen_id))
        with _client(server, writer) as w:
            assert w.post("/v1/events", json={"events": [envelope("dw", 1)]}).status_code == 200
        thread.join(30)
    finally:
        store.close()
    answer = got["answer"]
    assert answer.status_code == 401 and answer.json()["detail"] == "token revoked"
    assert "events" not in answer.json()


def test_a_client_hanging_up_mid_push_logs_one_warning(
        sqlite_server_db: str, start_server: Callable[..., ServerProcess]) -> None:
    token = make_token(sqlite_server_db, "P1", "st1")
    server = start_server(sqlite_server_db)
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(b"POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Authorization: Bearer " + token.encode() + b"\r\nContent-Length: 100000\r\n\r\n"
                     b'{"events":[')
    wait_until(lambda: "hung up" in server.log_text(), "the server noticed the hang-up")
    text = server.log_text()
    assert "Traceback" not in text and "ClientDisconnect" not in text
    assert sum("hung up" in line for line in text.splitlines()) == 1


def test_a_cursor_beyond_any_integer_is_refused_in_words(
        sqlite_server_db: str, start_server: Callable[..., ServerProcess]) -> None:
    token = make_token(sqlite_server_db, "P1", "st1")
    server = start_server(sqlite_server_db)
    with _client(server, token) as c:
        answer = c.get("/v1/events", params={"after": 2**70})
    assert answer.status_code == 422 and "after" in answer.json()["detail"]


@pytest.fixture
def file_server(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "index.html").write_text("<h1>files</h1>")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(tmp_path)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_plain_file_server_is_named_not_a_jitdesk_server(file_server: str) -> None:
    async def hello() -> None:
        remote = Remote(file_server, "jdt_x")
        try:
            await remote.hello()
        finally:
            await remote.aclose()

    with pytest.raises(Refused, match="is not a jitdesk server"):
        asyncio.run(hello())


def _answering(body: dict[str, Any]) -> httpx.MockTransport:
    text = json.dumps(body).encode()  # ASCII escapes, so a lone surrogate arrives as "\\ud800"
    return httpx.MockTransport(lambda request: httpx.Response(200, content=text,
                                                              headers={"Content-Type": "application/json"}))


HELLO = {"plant_id": "P1", "device": "d", "role": "station", "server_id": "s", "protocol": 1,
         "server_time_ms": 1, "head": 0, "max_batch_events": 10, "max_batch_bytes": 4096}


@pytest.mark.parametrize("bad", [{"head": 2**70}, {"server_time_ms": "now"}, {"plant_id": ["P1"]},
                                 {"max_batch_bytes": 2**80}, {"device": "d\ud800"}])
def test_a_hello_with_wrong_types_or_numbers_is_plain_words(bad: dict[str, Any]) -> None:
    async def hello() -> None:
        remote = Remote("http://x", "jdt_x", transport=_answering({**HELLO, **bad}))
        try:
            await remote.hello()
        finally:
            await remote.aclose()

    with pytest.raises(Unreachable, match="does not look like a jitdesk sync server"):
        asyncio.run(hello())


def test_a_pull_answer_with_an_absurd_cursor_is_plain_words() -> None:
    page = {"events": [], "next": 2**70, "more": False, "server_id": "s", "server_time_ms": 1}

    async def pull() -> None:
        remote = Remote("http://x", "jdt_x", transport=_answering(page))
        try:
            await remote.pull(0)
        finally:
            await remote.aclose()

    with pytest.raises(Unreachable, match="out of range"):
        asyncio.run(pull())
    assert json.dumps(page)
