"""The protocol's client side over httpx: hello, push, pull. Shared by stations and the hub relay.

Errors are sorted by who is to blame, in plain words: `Unreachable` (network, TLS, timeouts, a
server error: try again later with backoff), `Refused` (the token or request is wrong: a person
must act), `ResyncNeeded` (the cursor is no good on this server: start again from 0).

Every httpx error (connect, TLS, timeout, protocol, a body that cannot be decompressed, redirects,
an invalid address) and every answer that is not the JSON this protocol promises becomes one of these:
nothing from the network may escape as a bare exception and end a sync loop unnoticed. Redirects are
not followed (a sync address must name the server itself); a 3xx answer says where it points.
"""

from __future__ import annotations

import json
import ssl
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from jitdesk.domain.errors import KnownError
from jitdesk.sync import wire


class Unreachable(KnownError):
    """The server cannot be reached or answered with a server-side error; retry later."""


class Refused(KnownError):
    """The server refused the request (token unknown or revoked, wrong protocol...)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"server refused ({status}): {reason}")
        self.status = status
        self.reason = reason


class ResyncNeeded(KnownError):
    def __init__(self, reason: str, server_id: str | None, snapshot: bool = False) -> None:
        super().__init__(f"resync needed: {reason}")
        self.server_id = server_id
        self.snapshot = snapshot  # the events before the cursor were archived: start from a snapshot


@dataclass(frozen=True)
class HelloInfo:
    plant_id: str
    device: str
    role: str
    server_id: str
    protocol: int
    server_time_ms: int
    head: int
    max_batch_events: int
    max_batch_bytes: int
    max_pull_limit: int = wire.DEFAULT_PULL_LIMIT  # servers before pull limits were announced: 500


@dataclass(frozen=True)
class Page:
    events: list[dict[str, Any]]
    next: int
    more: bool
    server_id: str
    server_time_ms: int
    skipped: tuple[dict[str, Any], ...] = ()  # stored events the server passed over, with its reasons
    holds: tuple[dict[str, Any], ...] = ()  # asked with holds_after: holds decided after it (hubs)
    holds_next: int | None = None


class Remote:
    def __init__(self, url: str, token: str, *, verify: bool | str = True, timeout: float = 15.0,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        if not url.startswith(("http://", "https://")):
            raise KnownError(f"the server address '{url}' must start with http:// or https://")
        if not token:
            raise KnownError("no sync token: create one with `jitdesk server token create` on the server")
        try:
            verify_arg: bool | ssl.SSLContext = (
                verify if isinstance(verify, bool) else ssl.create_default_context(cafile=verify))
        except (OSError, ssl.SSLError) as error:
            raise KnownError(f"cannot read the CA certificate file {verify}: {error}") from error
        self.url = url.rstrip("/")
        self._timeout = timeout
        try:
            self._http = httpx.AsyncClient(
                base_url=self.url, verify=verify_arg, transport=transport, follow_redirects=False,
                headers={"Authorization": f"Bearer {token}", wire.PROTOCOL_HEADER: str(wire.PROTOCOL)},
                timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
                limits=httpx.Limits(max_connections=4, max_keepalive_connections=4),
            )
        except (httpx.InvalidURL, ValueError) as error:  # a bad port, host or character in the address
            raise KnownError(f"the server address '{url}' is not a valid address ({error})") from error

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _request(self, method: str, path: str, *, timeout: float | None = None,
                       **kwargs: Any) -> httpx.Response:
        try:
            if timeout is not None:
                kwargs["timeout"] = httpx.Timeout(timeout, connect=5.0)
            response = await self._http.request(method, path, **kwargs)
        except httpx.ConnectError as error:
            raise Unreachable(_connect_problem(self.url, error)) from error
        except httpx.TimeoutException as error:
            raise Unreachable(f"the server {self.url} did not answer in time") from error
        except (httpx.TransportError, ssl.SSLError) as error:
            raise Unreachable(f"the link to {self.url} broke ({type(error).__name__}: {error})") from error
        except httpx.DecodingError as error:
            raise Unreachable(f"the answer from {self.url} could not be decoded (is something between this "
                              f"station and the server changing it?): {error}") from error
        except httpx.TooManyRedirects as error:
            raise Unreachable(f"{self.url} keeps redirecting; set the sync address to the server itself") from error
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as error:
            # Any other httpx fault (a new subclass, an address httpx refuses at request time):
            # still a link problem in plain words, never an error that ends the sync loop.
            raise Unreachable(f"cannot talk to {self.url} ({type(error).__name__}: {error})") from error
        if 300 <= response.status_code < 400:
            where = response.headers.get("location", "")[:200]
            raise Unreachable(f"{self.url} answered with a redirect ({response.status_code}"
                              f"{' to ' + where if where else ''}); set the sync address to the server itself")
        if response.status_code == 409:
            body = _json(response)
            raise ResyncNeeded(str(body.get("detail", "the server asks for a resync")), body.get("server_id"),
                               body.get("snapshot") is True)
        if response.status_code == 429:
            raise Unreachable(f"the server {self.url} is busy (too many requests); retrying later")
        if response.status_code >= 500:
            raise Unreachable(f"the server {self.url} had a problem ({response.status_code}); retrying later")
        if response.status_code == 404 and "detail" not in _json(response):
            # A web server, but not this protocol's: a wrong port or path, a file server, a proxy page.
            raise Refused(404, f"{self.url} is not a jitdesk server (it has no {path}); check the sync address")
        if response.status_code >= 400:
            body = _json(response)
            raise Refused(response.status_code, str(body.get("detail", response.reason_phrase))[:300])
        return response

    async def hello(self) -> HelloInfo:
        data = _json(await self._request("GET", "/v1/hello"))
        values: dict[str, Any] = {}
        for name, kind in _HELLO_TYPES.items():
            value: Any = data.get(name)
            # Whole numbers must fit a database integer: 2**70 would fail far from here.
            out_of_range = isinstance(value, int) and not 0 <= value < 1 << 62
            too_long = isinstance(value, str) and (not 0 < len(value) <= 200 or not wire.storable_text(value))
            if not isinstance(value, kind) or isinstance(value, bool) or out_of_range or too_long:
                raise Unreachable(f"{self.url} does not look like a jitdesk sync server "
                                  f"(its hello has no valid '{name}')")
            values[name] = value
        if values["max_batch_events"] < 1 or values["max_batch_bytes"] < 1024:
            raise Unreachable(f"{self.url} announced batch limits that make no sense")
        pull_limit = data.get("max_pull_limit")
        if isinstance(pull_limit, int) and not isinstance(pull_limit, bool) and pull_limit >= 1:
            values["max_pull_limit"] = pull_limit
        return HelloInfo(**values)

    async def push(self, batch: list[dict[str, Any]] | bytes) -> list[dict[str, Any]]:
        body = batch if isinstance(batch, bytes) else json.dumps({"events": batch}).encode()
        response = await self._request("POST", "/v1/events", content=body,
                                       headers={"Content-Type": "application/json"})
        results = _json(response).get("results")
        if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
            raise Unreachable(f"{self.url} answered a push without results")
        return results

    async def pull(self, after: int, *, limit: int = 500, wait: float = 0.0,
                   server_id: str | None = None, holds_after: int | None = None) -> Page:
        params: dict[str, Any] = {"after": after, "limit": limit, "wait": wait}
        if server_id:
            params["server_id"] = server_id
        if holds_after is not None:
            params["holds_after"] = holds_after
        response = await self._request("GET", "/v1/events", params=params, timeout=self._timeout + wait)
        data = _page_json(response)
        events, nxt, more = data.get("events"), data.get("next"), data.get("more")
        sid, stime = data.get("server_id"), data.get("server_time_ms")
        # The page as a whole must make sense; single events in it are checked (and, if broken,
        # quarantined) by the caller, so one bad envelope never costs the good ones.
        if isinstance(nxt, float) or isinstance(stime, float):  # orjson reads a number past 2**64 as one
            raise Unreachable(f"{self.url} answered a pull with a cursor or time out of range (not a whole number)")
        if (not isinstance(events, list) or not isinstance(nxt, int) or isinstance(nxt, bool)
                or not isinstance(more, bool) or not isinstance(sid, str)
                or not isinstance(stime, int) or isinstance(stime, bool)):
            raise Unreachable(f"{self.url} answered a pull in an unknown form")
        if not 0 <= nxt < 1 << 63 or not 0 <= stime < 1 << 62:
            raise Unreachable(f"{self.url} answered a pull with a cursor or time out of range")
        if nxt < after:
            raise Unreachable(f"{self.url} answered a pull with a cursor behind the one asked for")
        skipped, holds, holds_next = data.get("skipped"), data.get("holds"), data.get("holds_next")
        if holds_after is not None and (not isinstance(holds_next, int) or isinstance(holds_next, bool)
                                        or not holds_after <= holds_next < 1 << 63):
            holds, holds_next = None, None  # a server that keeps no hold numbers: none travel
        return Page(events, nxt, more, sid, stime,
                    tuple(s for s in skipped if isinstance(s, dict)) if isinstance(skipped, list) else (),
                    tuple(h for h in holds if isinstance(h, dict)) if isinstance(holds, list) else (), holds_next)


_HELLO_TYPES: dict[str, type] = {
    "plant_id": str, "device": str, "role": str, "server_id": str, "protocol": int, "server_time_ms": int,
    "head": int, "max_batch_events": int, "max_batch_bytes": int,
}


def _json(response: httpx.Response) -> dict[str, Any]:
    """The body as a JSON object; {} when it is not one (the callers then say what was missing)."""
    try:
        data = response.json()
    except (ValueError, RecursionError, httpx.DecodingError):
        # ValueError covers bad JSON and bad UTF-8; RecursionError absurdly deep nesting.
        return {}
    return data if isinstance(data, dict) else {}


def _page_json(response: httpx.Response) -> dict[str, Any]:
    """A pull page: orjson first (pages run to megabytes), the standard decoder for what orjson
    refuses (an escaped lone surrogate: its item is then quarantined, not the whole page lost)."""
    try:
        data = orjson.loads(response.content)
    except orjson.JSONDecodeError:
        try:  # NaN and Infinity are not JSON: orjson refuses them, and so does this
            data = json.loads(response.content, parse_constant=_not_json)
        except (ValueError, RecursionError):
            return {}
    return data if isinstance(data, dict) else {}


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _connect_problem(url: str, error: httpx.ConnectError) -> str:
    text = str(error)
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate" in text.lower():
        return f"the server {url} has a certificate this station does not trust ({text[:160]})"
    if "SSL" in text or "TLS" in text or "WRONG_VERSION" in text:
        return f"TLS problem talking to {url} (is it https on both sides?): {text[:160]}"
    return f"server unreachable at {url} ({text[:160] or 'connection refused'})"
