"""The sync server's HTTP API (DESIGN section 4), a FastAPI app over `ServerStore`.

    GET  /v1/health            liveness, server identity and time (no token)
    GET  /v1/hello             who the token is (plant, device, role), server id, protocol, time
    POST /v1/events            push a batch: per event accepted / duplicate / rejected with a reason
    GET  /v1/events            pull the token's plant after a cursor, long-polling up to `wait` s
    GET  /v1/snapshot[/{seq}]  the plant's newest snapshot: meta, then its body (see snapshot_routes)

Bodies are parsed by hand (byte cap first, then JSON, then per-event validation) so a bad event
is refused on its own and never fails its batch; the pydantic models below only describe the API
for the OpenAPI document. Every refused request is answered with a status and a short `detail`,
and logged on `jitdesk.sync.server`.

Background work (the hub relay) runs under a `Supervisor` for the app's lifetime: a failure is
logged once and the relay restarts with backoff; `/v1/health` shows each task's live state, and the
upstream link is never reported online while the relay is restarting or stopped.

Long-poll: a push wakes the waiters of its plant in this process at once; on PostgreSQL, a NOTIFY
from every insert wakes those of every other API process too (see `notify`), so waiters never
poll. On SQLite, waiters look again every `notify.RECHECK_S` (another process may write the file).
A token may hold `LONG_POLLS_PER_TOKEN` waiting pulls at once in a process; more are answered 429.
"""


import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager, suppress
from typing import Annotated, Any, Literal

import orjson
from anyio import CapacityLimiter, to_thread
from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from jitdesk import __version__
from jitdesk.domain.errors import KnownError
from jitdesk.runtime.supervise import Supervisor, TaskState, TaskStatus
from jitdesk.sync import wire
from jitdesk.sync.server import pages, snapshot_routes
from jitdesk.sync.server.admission import Admission
from jitdesk.sync.server.commits import Committer
from jitdesk.sync.server.notify import RECHECK_S, PgWakeups, Wakeups, libpq_dsn
from jitdesk.sync.server.store import AuthError, Principal, ServerStore

log = logging.getLogger("jitdesk.sync.server")
LONG_POLLS_PER_TOKEN = 4  # concurrent long-polls one token may hold in one process
KNOWN_TOKENS = 100_000  # pull tokens remembered per process (forgotten all at once above that)


# --- OpenAPI description only ---------------------------------------------------------------------
class Problem(BaseModel):
    detail: str = Field(description="short reason in plain words")
    resync: bool = False
    server_id: str | None = None


class Upstream(BaseModel):
    url: str
    online: bool
    message: str
    state: Literal["starting", "running", "restarting", "stopped"] = Field(
        description="the relay task's state; online is never true unless it is running")
    unreadable: int = Field(description="items upstream sent that this hub could not store (quarantined)")


class Task(BaseModel):
    name: str
    state: Literal["starting", "running", "restarting", "stopped"]
    reason: str | None
    restarts: int
    retry_in_s: float | None


class Health(BaseModel):
    status: Literal["ok", "degraded"] = Field(description="degraded while a hub's link to its upstream fails")
    server_id: str
    protocol: int
    version: str
    server_time_ms: int
    upstream: Upstream | None = Field(None, description="the hub relay's link to its upstream server, if any")
    tasks: list[Task] = Field(default_factory=list, description="background tasks of this server process")
    wakeups: Literal["listen", "recheck"] = Field(
        "recheck", description="how waiting pulls learn of new events: PostgreSQL notices, or looking again")


class Hello(BaseModel):
    plant_id: str
    device: str
    role: Literal["station", "hub", "admin"]
    server_id: str
    protocol: int
    server_time_ms: int
    head: int
    max_batch_events: int
    max_batch_bytes: int
    max_pull_limit: int = Field(description="the most events one pull page may ask for")


class Envelope(BaseModel):
    event_id: str
    plant_id: str
    device_id: str
    device_seq: int
    hlc: int
    wall_time: str
    kind: str
    entity_id: str
    actor: str | None
    payload: dict[str, Any]
    schema_version: int
    server_seq: int
    received_at: str


class PushResult(BaseModel):
    event_id: str | None
    status: Literal["accepted", "duplicate", "rejected", "conflict"]
    server_seq: int | None
    reason: str | None


class PushResponse(BaseModel):
    results: list[PushResult]
    server_time_ms: int


class Skipped(BaseModel):
    server_seq: int
    event_id: str | None
    reason: str = Field(description="why this stored event is not served (held by an admin, or unservable)")


class Hold(BaseModel):
    hold_seq: int
    event_id: str
    reason: str


class PullResponse(BaseModel):
    events: list[Envelope]
    skipped: list[Skipped] = Field(default_factory=list, description="rows passed over, with the reason")
    next: int = Field(description="the cursor to send as `after` next time")
    more: bool
    server_id: str
    server_time_ms: int
    holds: list[Hold] | None = Field(None, description="with `holds_after`: holds numbered after it")
    holds_next: int | None = Field(None, description="with `holds_after`: send it as `holds_after` next time")


PUSH_BODY = {
    "required": True,
    "content": {"application/json": {"schema": {
        "type": "object", "required": ["events"], "additionalProperties": False,
        "properties": {"events": {
            # The caps are enforced with 413 (too large), not described as schema limits: a
            # batch over the cap is a well-formed request the server declines to take in one go.
            "type": "array",
            "description": (f"event envelopes (DESIGN section 3), each checked on its own; at most "
                            f"{wire.MAX_BATCH_EVENTS} events and {wire.MAX_BATCH_BYTES} bytes per batch (413 above)"),
            "items": {"description": "an event envelope; anything else is rejected on its own"},
        }, "devices": {
            "type": "object", "additionalProperties": {"type": "string"},
            "description": "hub tokens only: the device name each relayed device_id has at the hub",
        }},
    }}},
}


def _problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": Problem} for code in codes}


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def refuse(request: Request, status: int, reason: str, **extra: Any) -> JSONResponse:
    who = getattr(request.state, "who", None)
    log.warning("refused %s %s from %s%s: %d %s", request.method, request.url.path,
                request.client.host if request.client else "?",
                f" (plant {who.plant_id} device {who.device})" if who else "", status, reason)
    return JSONResponse({"detail": reason, **extra}, status_code=status)


class Refusal(Exception):
    def __init__(self, status: int, reason: str, **extra: Any) -> None:
        super().__init__(reason)
        self.status, self.reason, self.extra = status, reason, extra


RELAY_TASK = "relay"
WAKEUP_TASK = "wakeups"


def create_app(store: ServerStore, *, background: Callable[[Wakeups], Coroutine[Any, Any, None]] | None = None,
               max_wait: float = wire.MAX_WAIT_S, supervisor: Supervisor | None = None,
               long_polls_per_token: int = LONG_POLLS_PER_TOKEN) -> FastAPI:
    """The API over `store`; `background(wakeups)` (the hub relay) runs supervised for the app's lifetime."""
    listener = None if store.is_sqlite else PgWakeups(libpq_dsn(store.url))
    wakeups: Wakeups = listener or Wakeups(recheck_s=RECHECK_S)
    tasks = supervisor or Supervisor(backoff_initial_s=1.0, backoff_max_s=30.0)
    polls: dict[int, int] = {}  # token id -> long-polls waiting in this process
    shared = pages.SharedReads(store)
    # Pushes get threads of their own: after a push, thousands of woken pulls ask again at once, and
    # a push queued behind them would hold up the next wake-up for everyone.
    push_threads = CapacityLimiter(4)
    checks = SharedChecks(store)
    known: dict[str, Principal] = {}  # token -> who, for pulls (revocation is checked per pull)
    committer = Committer(store, _push_answer)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if listener is not None:
            tasks.start(WAKEUP_TASK, listener.run)
        if background is not None:
            tasks.start(RELAY_TASK, lambda: background(wakeups))
        try:
            yield
        finally:
            await tasks.stop(reason="the server is shutting down")

    app = FastAPI(
        title="jitdesk sync", version=__version__, lifespan=lifespan,
        description="Push and pull plant events between jitdesk stations, plant hubs and the centre.",
        # No OpenTelemetry: asking for its providers on every request was a tenth of a pull's cost.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.store = store
    app.state.committer = committer
    app.state.wakeups = wakeups
    app.state.supervisor = tasks
    bearer = HTTPBearer(auto_error=False, description="a device token from `jitdesk server token create`")

    async def principal(request: Request,
                        creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Principal:
        _known_query(request)
        protocol = request.headers.get(wire.PROTOCOL_HEADER)
        if protocol is not None and protocol.strip() != str(wire.PROTOCOL):
            raise Refusal(426, f"this server speaks sync protocol {wire.PROTOCOL}, not {protocol[:20]}; "
                               "install the matching jitdesk")
        if creds is None and request.headers.get("authorization"):
            raise Refusal(401, "malformed Authorization header: send 'Bearer <token>'")
        token = creds.credentials if creds is not None else None
        pulling = request.method == "GET" and request.url.path == "/v1/events"
        try:
            who = known.get(token or "") if pulling else None
            if who is None:
                # a push on its own threads: woken pulls queued on the shared ones must not hold it up
                who = await to_thread.run_sync(store.authenticate, token,
                                               limiter=push_threads if request.method == "POST" else None)
                if pulling and token:
                    if len(known) >= KNOWN_TOKENS:
                        known.clear()
                    known[token] = who
        except AuthError as error:
            raise Refusal(error.status, error.reason) from None
        request.state.who = who
        return who

    @app.exception_handler(Refusal)
    async def _refusal(request: Request, error: Refusal) -> JSONResponse:
        return refuse(request, error.status, error.reason, **error.extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "body"))
        return refuse(request, 422, f"{where or 'request'}: {first.get('msg', 'is not valid')}")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        response = refuse(request, error.status_code, str(error.detail))
        response.headers.update(error.headers or {})
        if error.status_code == 405 and request.url.path in ALLOWED:
            # Starlette names only the first route that matched the path; this one has several.
            response.headers["Allow"] = ALLOWED[request.url.path]
        return response

    @app.options("/v1/events", include_in_schema=False)
    async def events_options() -> Response:
        return Response(status_code=204, headers={"Allow": ALLOWED["/v1/events"]})

    @app.exception_handler(KnownError)
    async def _known(request: Request, error: KnownError) -> JSONResponse:
        return refuse(request, 503, f"server problem: {error}")

    @app.get("/v1/health", response_model=Health, responses=_problems(422), tags=["sync"])
    async def health(request: Request) -> dict[str, Any]:
        _known_query(request)
        relay = getattr(app.state, "relay", None)
        upstream = None
        if relay is not None:
            unreadable = await to_thread.run_sync(store.unreadable_upstream_count)
            upstream = {"url": relay.url, **upstream_link(relay.online, relay.message, tasks.status(RELAY_TASK)),
                        "unreadable": unreadable}
        degraded = upstream is not None and not upstream["online"]
        return {"status": "degraded" if degraded else "ok", "server_id": store.server_id, "protocol": wire.PROTOCOL,
                "version": __version__, "server_time_ms": now_ms(), "upstream": upstream,
                "tasks": [_task(t) for t in tasks.all()], "wakeups": "recheck" if wakeups.recheck_s else "listen"}

    @app.get("/v1/hello", response_model=Hello, responses=_problems(401, 422, 426), tags=["sync"])
    async def hello(who: Annotated[Principal, Depends(principal)]) -> dict[str, Any]:
        head = await to_thread.run_sync(store.head, who.plant_id)
        return {"plant_id": who.plant_id, "device": who.device, "role": who.role,
                "server_id": store.server_id, "protocol": wire.PROTOCOL, "server_time_ms": now_ms(),
                "head": head, "max_batch_events": wire.MAX_BATCH_EVENTS,
                "max_batch_bytes": wire.MAX_BATCH_BYTES, "max_pull_limit": wire.MAX_PULL_LIMIT}

    @app.post("/v1/events", responses={200: {"model": PushResponse}, **_problems(400, 401, 403, 413, 415, 422, 426)},
              openapi_extra={"requestBody": PUSH_BODY}, tags=["sync"])
    async def push(request: Request, who: Annotated[Principal, Depends(principal)]) -> Response:
        ctype = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
        if ctype not in ("application/json", ""):
            return refuse(request, 415, "send the batch as application/json")
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > wire.MAX_BATCH_BYTES:
            return refuse(request, 413, f"batch larger than {wire.MAX_BATCH_BYTES} bytes; send smaller batches")
        body = bytearray()
        try:
            async for chunk in request.stream():
                body += chunk
                if len(body) > wire.MAX_BATCH_BYTES:
                    return refuse(request, 413, f"batch larger than {wire.MAX_BATCH_BYTES} bytes; send smaller batches")
        except ClientDisconnect:
            # Nothing was stored; the client sends the batch again. One line, not a traceback.
            log.warning("plant %s device %s hung up in the middle of a push (%d bytes read); nothing stored",
                        who.plant_id, who.device, len(body))
            return Response(status_code=400)
        # Parsing and checking run on a worker thread (no lock taken); the batch is then stored with
        # whatever else waits, in one commit (`commits`); the answer is made after that COMMIT.
        status, reason, admission = await to_thread.run_sync(_admit_push, store, who, bytes(body),
                                                             limiter=push_threads)
        if admission is None:
            return refuse(request, status, reason)
        answer, accepted = await committer.submit(who, admission)
        if accepted:
            wakeups.wake(who.plant_id)
        return Response(answer, media_type="application/json")

    @app.get("/v1/events", response_model=PullResponse, responses=_problems(401, 403, 409, 422, 426),
             tags=["sync"])
    async def pull(
        request: Request,
        who: Annotated[Principal, Depends(principal)],
        creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
        after: int = Query(0, ge=0, le=(1 << 63) - 1, description="the last server_seq the client has"),
        limit: int = Query(500, ge=1, le=wire.MAX_PULL_LIMIT),
        wait: float = Query(0.0, ge=0.0, le=max_wait, description="long-poll up to this many seconds"),
        server_id: str | None = Query(None, max_length=64, description="the server id the cursor is from"),
        plant: str | None = Query(None, max_length=200, description="must be the token's plant if given"),
        holds_after: int | None = Query(None, ge=0, le=(1 << 63) - 1,
                                        description="also list the holds numbered after this (hubs)"),
    ) -> Any:
        if plant is not None and plant != who.plant_id:
            return refuse(request, 403, "this token may not read another plant's events")
        if server_id is not None and server_id != store.server_id:
            return refuse(request, 409, "this is a different server (its database was replaced): resync",
                          resync=True, server_id=store.server_id)
        # A pull's token is known from its last pull; whether it was revoked since, the newest seq
        # and retained_from are read once for all the plant's pulls woken together (`SharedChecks`).
        newest, retained, revoked = await checks.read(who.plant_id, wakeups.current(who.plant_id))
        if who.token_id in revoked:
            known.pop(creds.credentials if creds else "", None)
            return refuse(request, 401, "token revoked")
        if after > newest:  # maybe stored after that shared read began: look again on its own
            newest = await to_thread.run_sync(store.max_seq)
        if after > newest:
            return refuse(request, 409, "the cursor is ahead of this server (restored from a backup?): resync",
                          resync=True, server_id=store.server_id)
        archived = await to_thread.run_sync(snapshot_routes.check_pull, store, who, after)
        if archived is not None:
            return refuse(request, **archived)
        if 0 < after < retained:
            return refuse(request, 409, "the cursor is older than the events this server keeps: resync",
                          resync=True, server_id=store.server_id)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        waiting = False
        try:
            while True:
                woken = wakeups.current(who.plant_id)  # taken before the query, so no wake-up is missed
                page = await shared.read(who.plant_id, after, limit, woken)
                holds = [] if holds_after is None else await to_thread.run_sync(
                    store.holds_after, who.plant_id, holds_after)
                remaining = deadline - loop.time()
                if page.count or page.skipped or holds or remaining <= 0 or await request.is_disconnected():
                    break
                if not waiting:
                    if polls.get(who.token_id, 0) >= long_polls_per_token:
                        return refuse(request, 429, f"this token already has {long_polls_per_token} pulls "
                                      "waiting; wait for one to answer", )
                    polls[who.token_id] = polls.get(who.token_id, 0) + 1
                    waiting = True
                recheck = wakeups.recheck_s
                with suppress(TimeoutError):
                    await asyncio.wait_for(woken.wait(), timeout=remaining if recheck is None else
                                           min(remaining, recheck))
        finally:
            if waiting:
                left = polls.get(who.token_id, 1) - 1
                if left > 0:
                    polls[who.token_id] = left
                else:
                    polls.pop(who.token_id, None)
        if waiting and who.token_id in (await checks.read(who.plant_id, woken))[2]:
            # Revoked while this long-poll waited: answer as a fresh request would.
            return refuse(request, 401, "token revoked")
        body = pages.page_body(page, store.server_id, now_ms())
        if holds_after is not None:  # holds decided after the client pulled the events (see `relay`)
            body = body[:-1] + b',"holds":' + orjson.dumps(
                [{"hold_seq": h["hold_seq"], "event_id": h["event_id"], "reason": h["reason"]} for h in holds]
            ) + b',"holds_next":' + str(holds[-1]["hold_seq"] if holds else holds_after).encode() + b"}"
        return Response(body, media_type="application/json")

    app.include_router(snapshot_routes.router(store, principal, refuse))
    return app


class SharedChecks:
    """`ServerStore.pull_checks` of a plant, read once for all its pulls woken together (keyed, like
    `pages.SharedReads`, by the wake-up generation each took: after a wake-up everyone reads anew).
    A revocation made while a read runs is seen by the next one, as with a read of its own."""

    def __init__(self, store: ServerStore) -> None:
        self._store = store
        self._running: dict[tuple[str, object], asyncio.Future[tuple[int, int, frozenset[int]]]] = {}

    async def read(self, plant_id: str, generation: object) -> tuple[int, int, frozenset[int]]:
        key = (plant_id, generation)
        running = self._running.get(key)
        if running is None:
            running = asyncio.ensure_future(to_thread.run_sync(self._store.pull_checks, plant_id))
            self._running[key] = running
            running.add_done_callback(lambda _f: self._running.pop(key, None))
        return await asyncio.shield(running)


def upstream_link(online: bool, message: str, task: TaskStatus | None) -> dict[str, Any]:
    """The relay's own view (online, last problem) joined with its task's state: a relay that is
    restarting or stopped is offline, whatever it last said, and the reason is its task's."""
    state = task.state if task is not None else TaskState.STARTING
    if state is TaskState.RESTARTING:
        wait = f"; trying again in {task.retry_in_s:.0f} s" if task and task.retry_in_s is not None else ""
        return {"online": False, "state": state.value,
                "message": f"the relay stopped: {task.reason if task else 'a problem'}{wait}"}
    if state is TaskState.STOPPED:
        return {"online": False, "state": state.value,
                "message": f"the relay is stopped: {task.reason if task else 'not started'}"}
    working = online and state is TaskState.RUNNING
    return {"online": working, "state": state.value,
            "message": message or ("" if working else "starting: not in touch with the upstream server yet")}


def _task(task: TaskStatus) -> dict[str, Any]:
    return {"name": task.name, "state": task.state.value, "reason": task.reason, "restarts": task.restarts,
            "retry_in_s": task.retry_in_s}


ALLOWED = {"/v1/events": "GET, POST, OPTIONS"}
QUERY_PARAMS = {"/v1/events": {"GET": {"after", "limit", "wait", "server_id", "plant", "holds_after"}}}


def _known_query(request: Request) -> None:
    """Unknown query parameters are refused, not ignored: a typo ('afer=') must not look like success."""
    allowed = QUERY_PARAMS.get(request.url.path, {}).get(request.method, set())
    for name in request.query_params:
        if name not in allowed:
            raise Refusal(422, f"unknown query parameter '{name[:40]}'")


def _admit_push(store: ServerStore, who: Principal, body: bytes) -> tuple[int, str, Admission | None]:
    """(status, plain reason, the admitted batch: None when the request itself is refused)."""
    try:
        data = json.loads(body, parse_constant=_no_constants)
    except (ValueError, RecursionError) as error:
        return 400, f"malformed JSON: {str(error)[:120]}", None
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        return 422, "the body must be a JSON object with a list 'events'", None
    extra = [k for k in data if k not in ("events", "devices")]
    if extra:
        return 422, f"unknown field '{str(extra[0])[:40]}' in the body", None
    names = data.get("devices", {})
    if names and not who.relays:
        return 403, "only a hub names the devices it relays ('devices')", None
    if not isinstance(names, dict) or not all(isinstance(k, str) and isinstance(v, str) and 0 < len(v) <= 200
                                              and wire.storable_text(v) for k, v in names.items()):
        return 422, "'devices' must map device ids to device names (text of 1 to 200 characters)", None
    batch = data["events"]
    if len(batch) > wire.MAX_BATCH_EVENTS:
        return 413, f"batch of {len(batch)} events; at most {wire.MAX_BATCH_EVENTS} per batch", None
    admission = store.admit(who, batch)
    admission.names.update(names)
    return 200, "", admission


def _push_answer(results: list[dict[str, Any]]) -> tuple[bytes, bool]:
    """The JSON answer to a stored batch, and whether anything in it was accepted."""
    accepted = any(r["status"] == wire.ACCEPTED for r in results)
    answer = json.dumps({"results": results, "server_time_ms": now_ms()}, separators=(",", ":"))
    return answer.encode(), accepted


def _no_constants(name: str) -> None:
    raise ValueError(f"{name} is not allowed in JSON")
