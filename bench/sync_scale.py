"""Many devices long-polling one PostgreSQL-backed server: propagation from push to every device,
and the CPU that idle long-polls cost.

    .venv/bin/python bench/sync_scale.py [--devices 5000] [--plants 50] [--rate 1000] [--seconds 20]
                                         [--workers 2]

One asyncio load process opens one keep-alive connection per simulated device (each with its own
token, spread over `--plants` plants) and long-polls `GET /v1/events` on a real `jitdesk server
--workers N` on loopback. Phase 1 (idle): every device waits; the server processes' CPU seconds per
second are measured, and the same server's CPU with no connections at all is the baseline of the
same run. Phase 2 (load): one pusher per plant sends its share of `--rate` events/s in one batch a
second (the plants' pushes spread over the second); for every event the time from the start of
its push to each device of its plant having pulled it is recorded: p50/p99 over all deliveries,
and p99 of the slowest device per event.
Goal: p99 under 1 s. Prints ONE JSON object.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import subprocess
import tempfile
import time
from typing import Any

import orjson

from bench._common import percentile
from bench.sync_throughput import PG_ADMIN, drop_pg, free_port, pg_database

WAIT_S = 25  # under the server's --max-wait 30; the idle window ends before the first waits do


def make_tokens(db_url: str, plants: list[str]) -> list[tuple[str, str]]:
    """(plant, token) per device, written in one statement (5,000 single creates take minutes)."""
    from sqlalchemy import insert

    from jitdesk.sync.server.models import tokens
    from jitdesk.sync.server.store import TOKEN_PREFIX, ServerStore, hash_token, now_iso

    store = ServerStore(db_url)
    out = [(plant, TOKEN_PREFIX + secrets.token_urlsafe(24)) for plant in plants]
    with store.writing() as conn:
        conn.execute(insert(tokens), [{"token_hash": hash_token(t), "plant_id": p, "device": f"dev-{i}",
                                       "role": "station", "created_at": now_iso()} for i, (p, t) in enumerate(out)])
    store.close()
    return out


def server_cpu(pid: int) -> float:
    """CPU seconds of the server and its worker processes."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    with contextlib.suppress(OSError):
        pids += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


async def request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, method: str, path: str,
                  token: str, body: bytes = b"") -> tuple[int, bytes]:
    writer.write(f"{method} {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n"
                 f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    return status, await reader.readexactly(length)


class Run:
    def __init__(self, port: int, devices: list[tuple[str, str]]) -> None:
        self.port = port
        self.devices = devices
        self.per_plant: dict[str, int] = {}
        for plant, _ in devices:
            self.per_plant[plant] = self.per_plant.get(plant, 0) + 1
        self.sent: dict[str, float] = {}  # event id -> push start
        self.plant_of: dict[str, str] = {}
        self.deliveries: list[float] = []
        self.last: dict[str, list[float]] = {}  # event id -> [devices that have it, slowest]
        self.polls = 0
        self.push_s: list[float] = []
        self.push_errors = 0
        self.errors = 0
        self.connected = 0
        self.stop = False

    async def device(self, token: str) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.connected += 1
        cursor = 0
        try:
            while not self.stop:
                status, data = await request(reader, writer, "GET", f"/v1/events?after={cursor}&wait={WAIT_S}"
                                             "&limit=1000", token)
                now = time.perf_counter()
                self.polls += 1
                if status != 200:
                    self.errors += 1
                    await asyncio.sleep(1)
                    continue
                page = orjson.loads(data)
                for event in page["events"]:
                    started = self.sent.get(event["event_id"])
                    if started is not None:
                        self.deliveries.append(now - started)
                        seen = self.last.setdefault(event["event_id"], [0, 0.0])
                        seen[0] += 1
                        seen[1] = max(seen[1], now - started)
                cursor = page["next"]
        except (OSError, asyncio.IncompleteReadError):
            self.errors += 1
        finally:
            writer.close()

    async def pusher(self, plant: str, token: str, per_second: int, seconds: float, offset: float) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        await asyncio.sleep(offset)  # stations do not push in step: spread the plants over the second
        seq = 0
        device_id = secrets.token_hex(8)
        start = time.perf_counter()
        tick = 0
        while time.perf_counter() - start < seconds:
            batch = []
            for _ in range(per_second):
                seq += 1
                event_id = f"{device_id}-{seq:08d}"
                batch.append({"event_id": event_id, "plant_id": plant, "device_id": device_id, "device_seq": seq,
                              "hlc": (1_795_000_000_000 + seq) << 16, "wall_time": "2026-11-22T05:00:00.000Z",
                              "kind": "test.thing.noted", "entity_id": f"e-{seq % 50}", "actor": None,
                              "payload": {"n": seq}, "schema_version": 1})
            began = time.perf_counter()
            for event in batch:
                self.sent[event["event_id"]] = began
                self.plant_of[event["event_id"]] = plant
            try:
                status, _ = await request(reader, writer, "POST", "/v1/events", token,
                                          orjson.dumps({"events": batch}))
            except (OSError, asyncio.IncompleteReadError):
                self.push_errors += 1  # the connection was dropped: count it, connect again
                reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
                continue
            self.push_s.append(time.perf_counter() - began)
            if status != 200:
                self.errors += 1
            tick += 1
            await asyncio.sleep(max(0.0, start + tick - time.perf_counter()))
        writer.close()


async def drive(run: Run, pushers: list[tuple[str, str]], rate: int, seconds: float, pid: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    idle_s = 10.0
    c0, t0 = server_cpu(pid), time.perf_counter()
    await asyncio.sleep(idle_s / 2)
    out["no_connections_cpu_s_per_s"] = round((server_cpu(pid) - c0) / (time.perf_counter() - t0), 4)
    tasks = []
    sem = asyncio.Semaphore(200)

    async def start(token: str) -> None:
        async with sem:
            tasks.append(asyncio.ensure_future(run.device(token)))
            await asyncio.sleep(0.002)

    t_connect = time.perf_counter()
    await asyncio.gather(*(start(token) for _, token in run.devices))
    while run.connected < len(run.devices) and time.perf_counter() - t_connect < 120:
        await asyncio.sleep(0.1)
    out["connect_s"] = round(time.perf_counter() - t_connect, 2)
    # Every first poll has reached the server and waits: on a loaded machine 5,000 first polls (each
    # a token look-up and a page read) take seconds after the last connect, so settle before measuring.
    await asyncio.sleep(5)
    c0, t0 = server_cpu(pid), time.perf_counter()
    await asyncio.sleep(idle_s)
    idle = (server_cpu(pid) - c0) / (time.perf_counter() - t0)
    out["idle_connections"] = run.connected
    out["idle_cpu_s_per_s"] = round(idle, 4)
    out["idle_cpu_s_per_s_per_1000_connections"] = round(
        (idle - out["no_connections_cpu_s_per_s"]) * 1000 / max(1, run.connected), 4)
    share = max(1, rate // len(pushers))
    c0, t0 = server_cpu(pid), time.perf_counter()
    await asyncio.gather(*(run.pusher(plant, token, share, seconds, i / len(pushers))
                           for i, (plant, token) in enumerate(pushers)))
    await asyncio.sleep(3)  # the last batch reaches every device
    out["load_cpu_s_per_s"] = round((server_cpu(pid) - c0) / (time.perf_counter() - t0), 3)
    run.stop = True
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    out["pushed_events"] = len(run.sent)
    out["pushed_events_per_s"] = round(len(run.sent) / seconds)
    if run.deliveries:
        complete = [v[1] for e, v in run.last.items() if v[0] >= run.per_plant[run.plant_of[e]]]
        out["deliveries"] = len(run.deliveries)
        out["p50_ms"] = round(percentile(run.deliveries, 50) * 1000, 1)
        out["p99_ms"] = round(percentile(run.deliveries, 99) * 1000, 1)
        out["events_reaching_every_device"] = len(complete)
        if complete:
            out["p99_to_every_device_ms"] = round(percentile(complete, 99) * 1000, 1)
    out["long_polls_answered"] = run.polls
    if run.push_s:
        out["push_p50_ms"] = round(percentile(run.push_s, 50) * 1000, 1)
        out["push_p99_ms"] = round(percentile(run.push_s, 99) * 1000, 1)
    out["errors"] = run.errors
    out["push_errors"] = run.push_errors
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--devices", type=int, default=5000)
    parser.add_argument("--plants", type=int, default=50)
    parser.add_argument("--rate", type=int, default=1000, help="events/s pushed in aggregate")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the load phase")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--server-log", help="keep the server's log (warnings and errors) in this file")
    args = parser.parse_args()
    out: dict[str, Any] = {"benchmark": "sync_scale", "devices": args.devices, "plants": args.plants,
                           "rate": args.rate, "workers": args.workers, "goal_p99_ms": 1000}
    db_url = pg_database()
    if db_url is None:
        print(json.dumps({**out, "skipped": f"no PostgreSQL answers at {PG_ADMIN}"}))
        return
    try:
        plants = [f"PLANT-{i:03d}" for i in range(args.plants)]
        devices = make_tokens(db_url, [plants[i % len(plants)] for i in range(args.devices)])
        pushers = make_tokens(db_url, plants)
        port = free_port()
        with tempfile.TemporaryDirectory() as tmp:
            log = open(args.server_log, "wb") if args.server_log else subprocess.DEVNULL  # noqa: SIM115
            proc = subprocess.Popen([sys.executable, "-m", "jitdesk", "server", "--db", db_url, "--port", str(port),
                                     "--log-level", "warning", "--workers", str(args.workers), "--max-wait", "30"],
                                    stdout=log, stderr=log, cwd=tmp)
            try:
                import httpx

                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    try:
                        if httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).status_code == 200:
                            break
                    except httpx.HTTPError:
                        time.sleep(0.2)
                time.sleep(2)  # every worker up and listening
                run = Run(port, devices)
                c0 = time.process_time()
                out.update(asyncio.run(drive(run, pushers, args.rate, args.seconds, proc.pid)))
                out["load_process_cpu_s"] = round(time.process_time() - c0, 1)
            finally:
                proc.terminate()
                proc.wait(20)
    finally:
        drop_pg(db_url)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
