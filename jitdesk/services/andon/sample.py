"""A made-up plant's board for screenshots and benchmarks: `lines` x `per_line` stations and some open
calls of the demo's call types, built in memory (no database), the same `AndonBoard` the read returns."""

from __future__ import annotations

import random

from jitdesk.domain.andon.call import Call, Status
from jitdesk.domain.master import CallType
from jitdesk.services.andon.board import AndonBoard, BoardStation
from jitdesk.services.demo.master import CALL_TYPES

NAMES = ("Prep", "Press", "Weld", "Paint", "Assembly", "Fit", "Seal", "Test", "Pack", "Inspect", "Kit", "Load")


def sample_board(lines: int, per_line: int, open_calls: int, now_ms: int, seed: int = 1,
                 bottleneck_every: int = 0) -> AndonBoard:
    """`bottleneck_every` n: every n-th station of a line is a bottleneck (0: none)."""
    rng = random.Random(seed)
    stations = tuple(BoardStation(f"st-{li}-{si}", f"L{li}-{si:02d}", f"{NAMES[si % len(NAMES)]} {si}", f"ln-{li}",
                                  f"L{li}", f"Line {li}", bool(bottleneck_every) and si % bottleneck_every == 0)
                     for li in range(1, lines + 1) for si in range(1, per_line + 1))
    types: dict[str, CallType] = {f"ct-{t.code}": t for t in CALL_TYPES}
    type_ids = list(types)
    calls = []
    for i, station in enumerate(rng.sample(stations, min(open_calls, len(stations)))):
        type_id = rng.choice(type_ids)
        raised = now_ms - rng.randint(5, 40 * 60) * 1000
        claimed = rng.random() < 0.4
        calls.append(Call(f"call-{i}", Status.ACKNOWLEDGED if claimed else Status.RAISED, station.station_id, type_id,
                          "button", types[type_id].severity, types[type_id].stops_line, raised_ms=raised,
                          raised_key=(raised, "d", i + 1), ack_ms=raised + 60_000 if claimed else None,
                          ack_name="Ana Ruiz" if claimed else "", ack_key=(raised + 60_000, "d", 1) if claimed else ()))
    calls.sort(key=lambda c: c.raised_ms)
    return AndonBoard(stations, types, tuple(calls), {})
