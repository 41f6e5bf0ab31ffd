"""The demo plant's andon: a working day of call history, a few calls open now, and the `--simulate` floor.

Section "andon": over the last ten hours the line stations raised calls at a realistic rate (material
most often, safety rarely); responders of the right role claimed them after a few minutes and resolved
them with a reason from the list. The events come from a "demo andon history" device through the same
ingest path as events from a server, so they keep their past stamps and fold like any others. Three
calls are open now, so the board has something to show: one claimed, one waiting, one escalated.

Simulator "andon": every few seconds a simulated person raises a call at a line station, claims one
that has waited, or resolves one that was claimed, through the same services the screens call.
"""

from __future__ import annotations

import random
from typing import Any

from jitdesk.domain.andon.call import (
    CALL_ACKNOWLEDGED,
    CALL_CANCELLED,
    CALL_RAISED,
    CALL_RESOLVED,
)
from jitdesk.domain.clock import pack
from jitdesk.domain.events import REGISTRY, Event
from jitdesk.domain.fold import PROJECTORS
from jitdesk.domain.ids import uuid7
from jitdesk.domain.master import CallType
from jitdesk.services.andon import calls as andon_calls
from jitdesk.services.changes import NO_CHANGES, Changes
from jitdesk.services.demo import DemoContext, demo_section, simulator
from jitdesk.services.hub import ServiceHub
from jitdesk.services.uow import iso_utc, transaction, wall_clock_ms
from jitdesk.storage import andon_repo, projections
from jitdesk.storage.database import Database

HISTORY_DEVICE = "demo-andon-history"
HISTORY_HOURS = 10
MIN_MS = 60_000
# type code -> (calls per line station per hour, resolve reasons to pick from)
PACE: dict[str, tuple[float, tuple[str, ...]]] = {
    "MAT": (0.35, ("material_delivered", "material_delivered", "other")),
    "QUAL": (0.12, ("adjusted", "part_replaced", "instructed")),
    "MAINT": (0.10, ("fixed", "part_replaced", "adjusted")),
    "SAFE": (0.02, ("fixed", "instructed")),
    "HELP": (0.15, ("instructed", "fixed", "false_alarm")),
}
# Demo badges of who answers what (the role each type needs, or above).
RESPONDERS: dict[str, tuple[str, ...]] = {
    "operator": ("B-1005", "B-1006", "B-1007", "B-5002"), "supervisor": ("B-5001", "B-5002"), "admin": ("B-9001",),
}
MAX_OPEN_SIMULATED = 6


def _line_stations(ctx: DemoContext) -> list[str]:
    return sorted(code for code, role in ctx.station_roles.items() if role == "line")


def _types(db: Database) -> dict[str, tuple[str, CallType]]:
    with db.reading() as session:
        states: dict[str, CallType] = projections.all_states(session, PROJECTORS.get("call_type"))
    return {t.code: (cid, t) for cid, t in states.items() if t.active}


def _responder(ctx: DemoContext, call_type: CallType, rng: random.Random) -> tuple[str, str]:
    role = call_type.responder_role if call_type.responder_role in RESPONDERS else "supervisor"
    badge = rng.choice(RESPONDERS[role])
    return ctx.users.get(badge, ""), badge


class _Stamps:
    """Past events of the history device, numbered in time order with a clock that never goes back."""

    def __init__(self, plant_id: str) -> None:
        self.plant_id = plant_id
        self.items: list[tuple[int, str, str, dict[str, Any], str | None]] = []

    def add(self, ms: int, kind: str, call_id: str, payload: dict[str, Any], actor: str | None = None) -> None:
        REGISTRY.validate(kind, REGISTRY.get(kind).version, payload)
        self.items.append((ms, kind, call_id, payload, actor))

    def events(self) -> list[Event]:
        out = []
        last = -1
        counter = 0
        for seq, (ms, kind, call_id, payload, actor) in enumerate(sorted(self.items, key=lambda i: i[0]), 1):
            counter = counter + 1 if ms <= last else 0
            ms = max(ms, last)
            last = ms
            out.append(Event(uuid7(ms), self.plant_id, HISTORY_DEVICE, seq, pack(ms, counter), iso_utc(ms), kind,
                             call_id, actor, payload, REGISTRY.get(kind).version))
        return out


def _names(db: Database) -> dict[str, str]:
    with db.reading() as session:
        return {uid: u.name for uid, u in projections.all_states(session, PROJECTORS.get("user")).items()}


@demo_section("andon")
def create(db: Database, ctx: DemoContext) -> None:
    rng = ctx.rng("andon")
    types = _types(db)
    names = _names(db)
    now = wall_clock_ms()
    start = now - HISTORY_HOURS * 3600_000
    stamps = _Stamps(ctx.plant_id)
    for code in _line_stations(ctx):
        station_id = ctx.stations[code]
        for type_code, (per_hour, reasons) in PACE.items():
            if type_code not in types:
                continue
            type_id, call_type = types[type_code]
            t = start + int(rng.expovariate(per_hour) * 3600_000)
            while t < now - 45 * MIN_MS:
                call_id = uuid7(t)
                stamps.add(t, CALL_RAISED, call_id, {"station_id": station_id, "call_type_id": type_id,
                                                     "source": rng.choice(("button", "button", "scan", "serial")),
                                                     "severity": call_type.severity,
                                                     "stops_line": call_type.stops_line})
                if rng.random() < 0.05:  # pressed by mistake and taken back
                    stamps.add(t + rng.randint(10, 60) * 1000, CALL_CANCELLED, call_id, {"text": "pressed by mistake"})
                else:
                    who, _badge = _responder(ctx, call_type, rng)
                    ack = t + int(rng.uniform(0.5, 7.0) * MIN_MS)
                    done = ack + int(rng.uniform(1.0, 18.0) * MIN_MS)
                    stamps.add(ack, CALL_ACKNOWLEDGED, call_id, {"by_name": names.get(who, "")}, who or None)
                    stamps.add(done, CALL_RESOLVED, call_id, {"reason": rng.choice(reasons), "text": "",
                                                             "by_name": names.get(who, "")}, who or None)
                t += int(rng.expovariate(per_hour) * 3600_000) + 10 * MIN_MS
    # open now: a claimed maintenance call, a waiting material call, a quality call past its first levels
    for code, type_code, ago_min, claimed in (("L1-S3", "MAINT", 6, True), ("L2-S2", "MAT", 2, False),
                                              ("L1-S1", "QUAL", 12, False)):
        if type_code not in types or code not in ctx.stations:
            continue
        type_id, call_type = types[type_code]
        t = now - ago_min * MIN_MS
        call_id = uuid7(t)
        stamps.add(t, CALL_RAISED, call_id, {"station_id": ctx.stations[code], "call_type_id": type_id,
                                             "source": "button", "severity": call_type.severity,
                                             "stops_line": call_type.stops_line})
        if claimed:
            who, _badge = _responder(ctx, call_type, rng)
            stamps.add(t + 90_000, CALL_ACKNOWLEDGED, call_id, {"by_name": names.get(who, "")}, who or None)
    with transaction(db) as tx:
        for event in stamps.events():
            tx.ingest(event, outbox=True)


def simulate_andon(db: Database, rng: random.Random, now_ms: int | None = None) -> Changes:
    """One person's move on the floor: raise, claim or resolve a call (see the module docstring)."""
    from jitdesk.services.demo import load_context

    ctx = load_context(db)
    now = wall_clock_ms() if now_ms is None else now_ms
    types = _types(db)
    with db.reading() as session:
        open_calls = andon_repo.open_calls(session)
    claimed = [c for c in open_calls if c.acknowledged and now - (c.ack_ms or now) > 2 * MIN_MS]
    waiting = [c for c in open_calls if not c.acknowledged and now - c.raised_ms > 40_000]
    by_id = {cid: t for cid, t in types.values()}
    roll = rng.random()
    if claimed and roll < 0.35:
        call = rng.choice(claimed)
        call_type = by_id.get(call.call_type_id)
        reasons = PACE.get(call_type.code if call_type else "", (0.0, ("fixed",)))[1]
        return andon_calls.resolve(db, call.call_id, rng.choice(reasons), actor=call.ack_by, now_ms=now).changes
    if waiting and roll < 0.75:
        call = rng.choice(waiting)
        call_type = by_id.get(call.call_type_id)
        if call_type is None:
            return NO_CHANGES
        who, _badge = _responder(ctx, call_type, rng)
        return andon_calls.acknowledge(db, call.call_id, actor=who or None, now_ms=now).changes
    if len(open_calls) >= MAX_OPEN_SIMULATED:
        return NO_CHANGES
    weights = [PACE[code][0] for code in types if code in PACE]
    codes = [code for code in types if code in PACE]
    if not codes:
        return NO_CHANGES
    code = rng.choices(codes, weights)[0]
    station = rng.choice(_line_stations(ctx))
    outcome = andon_calls.raise_call(db, types[code][0], ctx.stations[station], source="simulator", now_ms=now)
    return outcome.changes


@simulator("andon", every_seconds=6.0)
async def simulate_step(hub: ServiceHub, rng: random.Random) -> Changes:
    return await hub.run(simulate_andon, rng)

