"""The API app of one worker process of `jitdesk server --workers N`.

uvicorn starts each worker in a fresh process and builds its app from an import string, so the
settings travel in an environment variable that `configure` sets before the workers start. Each
worker is stateless: it opens its own connections to the shared database; on PostgreSQL its
long-polls wake on every other worker's pushes through LISTEN/NOTIFY (see `notify`).
"""

from __future__ import annotations

import json
import logging
import os

from fastapi import FastAPI

IMPORT = "jitdesk.sync.server.worker_app:create"
_ENV = "JITDESK_SERVER_WORKER"


def configure(*, db: str, max_wait: float, log_level: str, request_timeout: float) -> None:
    os.environ[_ENV] = json.dumps({"db": db, "max_wait": max_wait, "log_level": log_level,
                                   "request_timeout": request_timeout})


def create() -> FastAPI:
    from jitdesk.sync.server.api import create_app
    from jitdesk.sync.server.guard import GuardedH11Protocol
    from jitdesk.sync.server.store import ServerStore

    settings = json.loads(os.environ[_ENV])
    logging.basicConfig(level=settings["log_level"].upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    GuardedH11Protocol.request_timeout_s = settings["request_timeout"]
    store = ServerStore(settings["db"], migrate=False)
    app = create_app(store, max_wait=settings["max_wait"])
    app.state.relay = None
    return app
