"""A tiny real HTTP server on loopback that answers sync clients with garbage, or passes requests on
to a real jitdesk server (optionally slipping malformed envelopes into its pull pages).

    with GarbageServer(real_server.url) as garbage:
        url = garbage.url
        garbage.set("bad-gzip")       # 200 with Content-Encoding: gzip and a body that is not gzip
        garbage.set("redirect-loop")  # 302 to the same address, for ever
        garbage.set("not-json")       # 200 text/html: a captive portal or a proxy's login page
        garbage.set("broken-status")  # a status line that is not HTTP, then close
        garbage.set("bad-hello")      # hello with mistyped fields; everything else passes
        garbage.set("bad-page", items=[...])  # pass, but the next pull page with >= 2 events gets
                                              # `items` inserted after its first event
        garbage.set("pass")           # forward everything to the real server

Each request is handled on its own thread (ThreadingHTTPServer); `requests` counts them.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

MODES = ("pass", "bad-gzip", "redirect-loop", "not-json", "broken-status", "bad-hello", "bad-page")


class GarbageServer:
    def __init__(self, upstream: str | None = None) -> None:
        self.upstream = upstream.rstrip("/") if upstream else None
        self.mode = "pass"
        self.items: list[Any] = []
        self.injected = 0
        self.requests = 0
        self._lock = threading.Lock()
        self._http = httpx.Client(timeout=60)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="garbagehttp", daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def set(self, mode: str, *, items: list[Any] | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        with self._lock:
            self.mode = mode
            self.items = list(items or [])

    def __enter__(self) -> GarbageServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._http.close()

    # --- answers --------------------------------------------------------------------------------
    def forward(self, method: str, path: str, headers: dict[str, str],
                body: bytes) -> tuple[int, dict[str, str], bytes]:
        if self.upstream is None:
            return 502, {"Content-Type": "application/json"}, b'{"detail":"no upstream"}'
        keep = {k: v for k, v in headers.items() if k.lower() in ("authorization", "x-jitdesk-protocol",
                                                                   "content-type")}
        response = self._http.request(method, self.upstream + path, headers=keep, content=body)
        return response.status_code, {"Content-Type": response.headers.get("content-type", "")}, response.content

    def doctor_page(self, body: bytes) -> bytes:
        """Slip the configured items into a pull page after its first event (once)."""
        with self._lock:
            if self.mode != "bad-page" or not self.items:
                return body
            page = json.loads(body)
            if len(page.get("events", [])) < 2:
                return body
            page["events"][1:1] = self.items
            self.injected += len(self.items)
            self.items = []
            return json.dumps(page).encode()


def _handler(owner: GarbageServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, format: str, *args: Any) -> None:
            return  # quiet: the test's own asserts say what happened

        def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _serve(self) -> None:
            with owner._lock:
                owner.requests += 1
                mode = owner.mode
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            if mode == "bad-gzip":
                self._answer(200, {"Content-Type": "application/json", "Content-Encoding": "gzip"},
                             b"this is not gzip at all")
            elif mode == "redirect-loop":
                self._answer(302, {"Location": self.path}, b"")
            elif mode == "not-json":
                self._answer(200, {"Content-Type": "text/html"}, b"<html><body>Please log in to the proxy")
            elif mode == "broken-status":
                self.wfile.write(b"HELLO THERE\r\n\r\n")
                self.close_connection = True
            elif mode == "bad-hello" and self.path.startswith("/v1/hello"):
                self._answer(200, {"Content-Type": "application/json"}, json.dumps({
                    "plant_id": "P1", "device": "x", "role": "station", "server_id": "s", "protocol": 1,
                    "server_time_ms": 0, "head": 0, "max_batch_events": "lots", "max_batch_bytes": None,
                }).encode())
            else:
                status, headers, answer = owner.forward(self.command, self.path, dict(self.headers), body)
                if self.command == "GET" and self.path.startswith("/v1/events") and status == 200:
                    answer = owner.doctor_page(answer)
                self._answer(status, headers, answer)

        def do_GET(self) -> None:  # http.server's naming
            self._serve()

        def do_POST(self) -> None:
            self._serve()

    return Handler
