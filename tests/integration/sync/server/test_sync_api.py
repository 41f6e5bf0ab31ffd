"""The HTTP API of a real `jitdesk server` process: status codes and short reasons for bad requests,
cross-plant and forged-token refusals, resync answers, long-poll, TLS."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from jitdesk.sync.server.store import ServerStore
from tests.helpers.sync_events import envelope
from tests.helpers.sync_server import ServerProcess, make_token


def client(server: ServerProcess, token: str | None, **headers: str) -> httpx.Client:
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.Client(base_url=server.url, headers=headers, timeout=30, verify=server.ssl())


def test_refused_requests_get_the_right_status_and_a_reason(
        server_db: str, start_server: Callable[..., ServerProcess]) -> None:
    token_a = make_token(server_db, "A", "sa")
    token_b = make_token(server_db, "B", "sb")
    server = start_server(server_db)
    with client(server, None) as anon:
        assert anon.get("/v1/health").json()["status"] == "ok"
        assert anon.get("/v1/events").status_code == 401
        r = anon.get("/v1/events", headers={"Authorization": "Bearer jdt_forged"})
        assert r.status_code == 401 and r.json()["detail"] == "unknown token"
        assert anon.get("/v1/events", headers={"Authorization": "Basic abc"}).status_code == 401
        assert "openapi" in anon.get("/openapi.json").json()
    with client(server, token_a) as a:
        assert a.get("/v1/events", params={"plant": "B"}).status_code == 403
        r = a.post("/v1/events", content=b"{not json", headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and "malformed JSON" in r.json()["detail"]
        assert a.post("/v1/events", json={"evts": []}).status_code == 422
        assert a.post("/v1/events", content=b"x", headers={"Content-Type": "text/plain"}).status_code == 415
        big = {"events": [envelope("d", i, plant="A") for i in range(1, 1100)]}
        assert a.post("/v1/events", json=big).status_code == 413
        huge = b'{"events":[' + b",".join([b'"' + b"x" * 100_000 + b'"'] * 50) + b"]}"
        r = a.post("/v1/events", content=huge, headers={"Content-Type": "application/json"})
        assert r.status_code == 413 and "bytes" in r.json()["detail"]
        assert a.get("/v1/events", params={"limit": 0}).status_code == 422
        assert a.get("/v1/hello", headers={"X-Jitdesk-Protocol": "99"}).status_code == 426
        # A's device writes for plant B: refused per event, and B sees nothing.
        r = a.post("/v1/events", json={"events": [envelope("da", 1, plant="B")]})
        assert r.status_code == 200 and r.json()["results"][0]["status"] == "rejected"
    with client(server, token_b) as b:
        assert b.get("/v1/events").json()["events"] == []
    text = server.log_text()
    assert "refused GET /v1/events" in text and "unknown token" in text


def test_revoking_a_token_works_at_once(sqlite_server_db: str, start_server: Callable[..., ServerProcess],
                                        tmp_path: Path) -> None:
    token = make_token(sqlite_server_db, "A", "sa")
    server = start_server(sqlite_server_db)
    with client(server, token) as a:
        assert a.get("/v1/hello").status_code == 200
        out = subprocess.run(
            [sys.executable, "-m", "jitdesk", "server", "token", "revoke", token, "--db", sqlite_server_db],
            capture_output=True, text=True, check=True, cwd=tmp_path)
        assert "revoked 1" in out.stdout
        r = a.get("/v1/hello")
        assert r.status_code == 401 and r.json()["detail"] == "token revoked"


def test_resync_answers(sqlite_server_db: str, start_server: Callable[..., ServerProcess]) -> None:
    token = make_token(sqlite_server_db, "A", "sa")
    server = start_server(sqlite_server_db)
    with client(server, token) as a:
        a.post("/v1/events", json={"events": [envelope("da", i, plant="A") for i in (1, 2, 3)]})
        ok = a.get("/v1/events", params={"after": 0})
        assert [e["device_seq"] for e in ok.json()["events"]] == [1, 2, 3]
        r = a.get("/v1/events", params={"after": 99})
        assert r.status_code == 409 and r.json()["resync"] is True
        r = a.get("/v1/events", params={"after": 0, "server_id": "another"})
        assert r.status_code == 409 and "different server" in r.json()["detail"]
        store = ServerStore(sqlite_server_db, migrate=False)
        store.set_meta("retained_from", "3")
        store.close()
        assert a.get("/v1/events", params={"after": 1}).status_code == 409
        assert a.get("/v1/events", params={"after": 3}).status_code == 200


def test_long_poll_returns_when_an_event_arrives(server_db: str,
                                                 start_server: Callable[..., ServerProcess]) -> None:
    import threading

    token = make_token(server_db, "A", "sa")
    server = start_server(server_db)
    got: list[httpx.Response] = []
    with client(server, token) as a:
        waiter = threading.Thread(target=lambda: got.append(a.get("/v1/events", params={"wait": 25})))
        waiter.start()
        with client(server, token) as writer:
            writer.post("/v1/events", json={"events": [envelope("da", 1, plant="A")]})
        waiter.join(30)
    assert got and [e["device_seq"] for e in got[0].json()["events"]] == [1]
    assert got[0].json()["events"][0]["server_seq"] >= 1


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    import shutil

    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed, so no test certificate can be made")
    where = tmp_path_factory.mktemp("tls")
    cert, key = str(where / "cert.pem"), str(where / "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


def test_tls_with_a_certificate(sqlite_server_db: str, start_server: Callable[..., ServerProcess],
                                stations: Callable[[str], object], tls_files: tuple[str, str]) -> None:
    from jitdesk.sync.remote import Unreachable
    from tests.helpers.sync_server import sync_once

    cert, key = tls_files
    token = make_token(sqlite_server_db, "A", "sa")
    server = start_server(sqlite_server_db, ["--cert", cert, "--key", key], scheme="https", verify=cert)
    station = stations("a")
    status = sync_once(station, server.url, token, verify=cert)
    assert status.state == "online"
    with pytest.raises(Unreachable, match="certificate"):
        sync_once(station, server.url, token)  # the self-signed certificate is not trusted by default
    with pytest.raises(Unreachable, match=r"TLS|broke|unreachable"):
        sync_once(station, server.url.replace("https", "http"), token)
    assert json.dumps(status.__dict__)
