"""Sync push throughput: events pushed from a station database to a real server process over
loopback, against inserting the same rows straight into a server database in the same run.

    .venv/bin/python bench/sync_throughput.py [--events 200000] [--backends sqlite,postgres]

Prints ONE JSON object: per backend, events/s through the protocol, events/s straight into the
database (same batch size, one commit per batch, server_seq assigned the same way) and their ratio;
and, where npm is installed, PouchDB replicating the same number of documents to express-pouchdb
and pulling them into a fresh database (set up with npm in a temp dir; skipped with the reason if not).
Goals: >= 20,000 events/s on SQLite, >= 10,000 on PostgreSQL, ratio >= 0.3.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as `python bench/x.py`, bench/ is sys.path[0]; a bench module named like a stdlib one (queue.py)
# would shadow it. Put the repository root there instead.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse
import asyncio
import json
import os
import secrets
import socket
import subprocess
import tempfile
import time
from typing import Any

import httpx

PG_ADMIN = os.environ.get("JITDESK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
PLANT = "BENCH"
BATCH = int(os.environ.get("BENCH_BATCH", "500"))


def station_with_events(path: Path, count: int) -> Any:
    """A station database holding `count` pending master.part.upserted events (bulk-written)."""
    from sqlalchemy import insert

    from jitdesk.domain.clock import pack
    from jitdesk.domain.ids import uuid7
    from jitdesk.storage import eventlog, identity
    from jitdesk.storage.database import PLANT_ID, open_database
    from jitdesk.storage.schema import PENDING

    db = open_database(path)
    base = int(time.time() * 1000)
    with db.writing() as session:
        identity.set_setting(session, PLANT_ID, PLANT)
        rows = []
        for i in range(1, count + 1):
            rows.append({
                "event_id": uuid7(base + i // 50), "plant_id": PLANT, "device_id": db.device_id,
                "device_seq": i, "hlc": pack(base + i // 50, i % 50), "wall_time": "2026-11-22T05:00:00.000Z",
                "kind": "master.part.upserted", "entity_id": f"part-{i % 5000}", "actor": None,
                "payload": eventlog.dump_payload({"number": f"P-{i % 5000}", "name": f"Part {i}", "unit": "pcs"}),
                "schema_version": 1, "server_seq": None, "received_at": None, "sync_state": PENDING,
            })
            if len(rows) == 20_000:
                session.execute(insert(eventlog.EVENTS), rows)
                rows = []
        if rows:
            session.execute(insert(eventlog.EVENTS), rows)
        identity.store_device_state(session, db.device_id, count, pack(base + count, 0))
    return db


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db_url: str, workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "jitdesk", "server", "--db", db_url, "--port", str(port),
                             "--log-level", "warning"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            cwd=workdir)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/v1/health", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("server did not start")


def push_rate(station: Any, db_url: str, workdir: Path, cpu: dict[str, float]) -> tuple[float, int]:
    from jitdesk.sync.client import SyncClient
    from jitdesk.sync.server.store import ServerStore

    store = ServerStore(db_url)
    token = store.create_token(PLANT, "bench-station", "admin")[1]
    store.close()
    proc, url = start_server(db_url, workdir)
    try:
        async def go() -> float:
            client = SyncClient(station, url, token, batch_events=BATCH, batch_bytes=2_000_000)
            try:
                t0 = time.perf_counter()
                status = await client.sync_once(pull=False)
                elapsed = time.perf_counter() - t0
                assert status.pending == 0 and status.quarantined == 0, status
                return elapsed
            finally:
                await client.close()

        c0 = time.process_time()
        elapsed = asyncio.run(go())
        client_cpu = time.process_time() - c0
        fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        server_cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        cpu["client_cpu_s"], cpu["server_cpu_s_incl_start"] = round(client_cpu, 2), round(server_cpu, 2)
    finally:
        proc.terminate()
        proc.wait(10)
    store = ServerStore(db_url, migrate=False)
    held = store.max_seq()
    store.close()
    return elapsed, held


def direct_rate(station: Any, db_url: str) -> float:
    """The same rows straight into a server database: same batches, one commit each."""
    from sqlalchemy import func, insert, select

    from jitdesk.storage import eventlog
    from jitdesk.sync.server.models import events
    from jitdesk.sync.server.store import ServerStore, now_iso

    with station.reading() as session:
        rows = session.execute(select(*eventlog._COLUMNS).order_by(eventlog.EVENTS.c.id)).all()
    store = ServerStore(db_url)
    try:
        t0 = time.perf_counter()
        for start in range(0, len(rows), BATCH):
            with store.writing() as conn:
                seq = int(conn.execute(select(func.coalesce(func.max(events.c.server_seq), 0))).scalar_one())
                stamp = now_iso()
                batch = []
                for r in rows[start:start + BATCH]:
                    seq += 1
                    batch.append({"server_seq": seq, "event_id": r[0], "plant_id": r[1], "device_id": r[2],
                                  "device_seq": r[3], "hlc": r[4], "wall_time": r[5], "kind": r[6],
                                  "entity_id": r[7], "actor": r[8], "payload": r[9], "schema_version": r[10],
                                  "received_at": stamp, "origin": 0})
                conn.execute(insert(events), batch)
        return time.perf_counter() - t0
    finally:
        store.close()


def pg_database() -> str | None:
    try:
        import psycopg

        name = f"jitdesk_bench_{secrets.token_hex(4)}"
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
        return f"postgresql+psycopg://{PG_ADMIN.split('://', 1)[1].rsplit('/', 1)[0]}/{name}"
    except Exception:  # noqa: BLE001 (any failure means no usable PostgreSQL: that variant is left out)
        return None


def drop_pg(url: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')  # type: ignore[arg-type]


def pouchdb_rate(count: int, work: Path) -> dict[str, Any]:
    """PouchDB replicating the same number of event-shaped documents to express-pouchdb on loopback,
    then pulling them into a fresh local database (bench/pouchdb/*.js), or why it was left out.
    npm sets PouchDB up in a temp dir (or reuses $BENCH_NPM_DIR that holds node_modules)."""
    import shutil

    if shutil.which("npm") is None or shutil.which("node") is None:
        return {"skipped": "npm/node not installed"}
    modules = Path(os.environ["BENCH_NPM_DIR"]) if os.environ.get("BENCH_NPM_DIR") else work / "npm"
    if not (modules / "node_modules" / "express-pouchdb").is_dir():
        modules.mkdir(parents=True, exist_ok=True)
        setup = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "pouchdb", "express-pouchdb"],
                               cwd=modules, capture_output=True, text=True, timeout=600)
        if setup.returncode != 0:
            return {"skipped": f"npm install pouchdb express-pouchdb failed: {setup.stderr.strip()[-200:]}"}
    env = {**os.environ, "NODE_PATH": str(modules / "node_modules")}
    data = work / "pouchdb-data"
    (data / "client").mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = subprocess.Popen(["node", str(_HERE / "pouchdb" / "server.js"), str(port), str(data)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert server.stdout is not None
        if b"listening" not in server.stdout.readline():
            return {"skipped": "express-pouchdb did not start"}
        run = subprocess.run(["node", str(_HERE / "pouchdb" / "replicate.js"), f"http://127.0.0.1:{port}/bench",
                              str(data / "client"), str(count)], env=env, capture_output=True, text=True,
                             timeout=3600)
        if run.returncode != 0:
            return {"skipped": f"PouchDB replication failed: {run.stderr.strip()[-200:]}"}
        found = json.loads(run.stdout.strip().splitlines()[-1])
        return {"push_docs_per_s": round(count / found["push_s"]), "pull_docs_per_s": round(count / found["pull_s"]),
                "push_seconds": found["push_s"], "pull_seconds": found["pull_s"], "pulled_docs": found["pulled_docs"]}
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--no-pouchdb", dest="pouchdb", action="store_false",
                        help="leave out the PouchDB / express-pouchdb comparison")
    args = parser.parse_args()
    out: dict[str, Any] = {"benchmark": "sync_throughput", "events": args.events, "batch": BATCH,
                           "goal": {"sqlite_events_per_s": 20_000, "postgres_events_per_s": 10_000, "ratio": 0.3}}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for backend in args.backends.split(","):
            urls: list[str] = []
            if backend == "sqlite":
                urls = [str(work / "push.db"), str(work / "direct.db")]
            else:
                for _ in range(2):
                    url = pg_database()
                    if url is None:
                        out[backend] = {"skipped": f"no PostgreSQL answers at {PG_ADMIN}"}
                        break
                    urls.append(url)
                if len(urls) < 2:
                    continue
            station = station_with_events(work / f"station-{backend}.db", args.events)
            try:
                cpu: dict[str, float] = {}
                pushed_s, held = push_rate(station, urls[0], work, cpu)
                direct_s = direct_rate(station, urls[1])
            finally:
                station.close()
                if backend != "sqlite":
                    for url in urls:
                        drop_pg(url)
            push_eps, direct_eps = args.events / pushed_s, args.events / direct_s
            out[backend] = {"push_events_per_s": round(push_eps), "direct_events_per_s": round(direct_eps),
                            "ratio": round(push_eps / direct_eps, 3), "push_seconds": round(pushed_s, 2),
                            "direct_seconds": round(direct_s, 2), "server_holds": held, **cpu}
        if args.pouchdb:
            pouch = out["pouchdb"] = pouchdb_rate(args.events, work)
            if "push_docs_per_s" in pouch and "sqlite" in out and "push_events_per_s" in out["sqlite"]:
                out["sqlite_push_vs_pouchdb"] = round(out["sqlite"]["push_events_per_s"] / pouch["push_docs_per_s"], 2)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
