"""Snapshot routes of the sync API, and the archive check every pull makes.

    GET /v1/snapshot         the newest snapshot of the token's plant: its meta (seq, hash, schema,
                             fold fingerprint, size), 404 with a reason when there is none yet
    GET /v1/snapshot/{seq}   its packed body (gzip of canonical JSON lines); the content's SHA-256 is
                             in the `X-Snapshot-Sha256` header and in the meta

A pull whose cursor lies below the plant's archive horizon cannot be served from the events the
server still has: it is answered 409 with `resync` and `snapshot` true, and the station starts
again from a snapshot (keeping its own unsynced events). Every pull's cursor is recorded for the
archive (see `archive.note_cursor`).
"""


from collections.abc import Callable
from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from jitdesk.sync.server import archive, snapshots
from jitdesk.sync.server.store import Principal, ServerStore

SHA_HEADER = "X-Snapshot-Sha256"


class SnapshotMeta(BaseModel):
    plant_id: str
    seq: int = Field(description="the server_seq the snapshot folds up to; pull after it once installed")
    schema_: str = Field(alias="schema", description="station database schema revision of the rows")
    folded_kinds: dict[str, Any] = Field(description="projector fingerprint that made the rows")
    events: int
    tail: int = Field(description="how many of the events travel as events (the newest), not folded in")
    sha256: str = Field(description="SHA-256 of the unpacked content")
    size: int = Field(description="bytes of the packed body")
    made_at: str


class Refused(BaseModel):
    detail: str = Field(description="short reason in plain words")


PROBLEMS: dict[int | str, dict[str, Any]] = {code: {"model": Refused} for code in (401, 404, 422, 426)}


def router(store: ServerStore, principal: Callable[..., Any],
           refuse: Callable[..., JSONResponse]) -> APIRouter:
    routes = APIRouter(tags=["sync"])

    @routes.get("/v1/snapshot", response_model=SnapshotMeta, response_model_by_alias=True, responses=PROBLEMS)
    async def newest(request: Request, who: Annotated[Principal, Depends(principal)]) -> Any:
        meta = await to_thread.run_sync(snapshots.newest, store, who.plant_id)
        if meta is None:
            return refuse(request, 404, "this server has no snapshot of the plant yet; pull the events instead")
        return JSONResponse(meta)

    @routes.get("/v1/snapshot/{seq}", response_class=Response,
                responses={200: {"content": {"application/gzip": {}}}, **PROBLEMS})
    async def download(request: Request, who: Annotated[Principal, Depends(principal)],
                       seq: Annotated[int, Path(ge=0, le=(1 << 63) - 1)]) -> Response:
        found = await to_thread.run_sync(snapshots.body, store, who.plant_id, seq)
        if found is None:
            return refuse(request, 404, f"this server keeps no snapshot of the plant at {seq} (a newer one "
                          "replaced it?); ask for the newest again")
        return Response(found[0], media_type="application/gzip", headers={SHA_HEADER: found[1]})

    return routes


def check_pull(store: ServerStore, who: Principal, after: int) -> dict[str, Any] | None:
    """Record the cursor; a refusal (status, detail, extras) when it lies below the archive horizon."""
    archive.note_cursor(store, who, after)
    below = archive.horizon(store, who.plant_id)
    if after < below:
        return {"status": 409, "reason": f"the events after {after} were archived on this server (it keeps "
                f"them from {below + 1} on): resync from a snapshot", "resync": True, "snapshot": True,
                "server_id": store.server_id}
    return None
