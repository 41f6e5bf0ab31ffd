"""The demo plant's kanban loops and cards, with a working day of history, and the `--simulate` scanner.

Section "kanban": 64 loops (every part on the line stations that use it, 2 to 6 cards each) fed by
the two supermarkets, the warehouse and two outside suppliers. So that the board, the queue and the
sizing suggestions have something real to show, the loops are set up ten hours back and a working
day is replayed: line stations empty cards as parts are used, supermarkets batch, pick and ship,
the line or the receiving dock fills, each loop at its own pace, some late. Those events come from a
"demo history" device through the same ingest path as events pulled from a server (so they keep
their past time stamps) and fold through the real card state machine; a few cards are held, one
loop is short of stock and one card was emptied twice by two stations working offline (an anomaly).

Simulator "kanban": scans like a real floor, through `record_scan` at each role's station.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from jitdesk.domain.clock import pack
from jitdesk.domain.events import REGISTRY, Event
from jitdesk.domain.ids import uuid7
from jitdesk.domain.kanban.card import (
    CARD_ADDED,
    CARD_BATCHED,
    CARD_EMPTIED,
    CARD_FILLED,
    CARD_HELD,
    CARD_PICKED,
    CARD_SHIPPED,
    move_payload,
)
from jitdesk.domain.kanban.codes import card_code
from jitdesk.domain.kanban.loop import LOOP_UPSERTED, Loop, loop_to_payload
from jitdesk.domain.kanban.status import Rule, Supply
from jitdesk.services.changes import Changes
from jitdesk.services.demo import DemoContext, demo_section, simulator
from jitdesk.services.hub import ServiceHub
from jitdesk.services.kanban.scanning import record_scan
from jitdesk.services.uow import iso_utc, transaction, wall_clock_ms
from jitdesk.storage import kanban_repo
from jitdesk.storage.database import Database

HISTORY_DEVICE = "demo-history"
OFFLINE_DEVICE = "demo-offline-station"
HISTORY_HOURS = 10
SETTLE_MS = 20_000  # a card just moved is left alone for a while by the simulated people
MIN_MS = 60_000

# Parts each line station uses (by part number); every pair is one loop.
USES: dict[str, tuple[str, ...]] = {
    "L1-S1": ("100-1001", "100-1002", "100-1060", "300-3003", "300-3020", "300-3030", "100-1051", "300-3012"),
    "L1-S2": ("100-1010", "100-1011", "100-1020", "100-1021", "100-1040", "100-1061", "100-1070", "300-3040"),
    "L1-S3": ("100-1030", "100-1031", "100-1041", "100-1050", "300-3004", "300-3001", "100-1080", "300-3011"),
    "L1-S4": ("400-4001", "400-4010", "400-4020", "400-4021", "400-4030", "300-3002", "300-3010", "300-3020"),
    "L2-S1": ("200-2001", "200-2002", "200-2031", "200-2032", "300-3002", "300-3010", "300-3011", "300-3030"),
    "L2-S2": ("200-2010", "200-2011", "200-2020", "200-2030", "200-2040", "200-2041", "200-2060", "200-2070"),
    "L2-S3": ("200-2050", "200-2080", "200-2081", "200-2090", "200-2091", "300-3001", "300-3004", "300-3040"),
    "L2-S4": ("200-2095", "400-4002", "400-4010", "400-4020", "400-4021", "400-4030", "300-3012", "300-3003"),
}
SUPERMARKET = {"L1": "SM-N", "L2": "SM-S"}
EXTERNAL = {"200-2080": "Elektro Motoren GmbH, Linz", "200-2081": "Elektro Motoren GmbH, Linz",
            "400-4001": "Kartonagen Weber", "400-4002": "Kartonagen Weber"}
WAREHOUSE = {"400-4010": "Main warehouse, pallet store", "400-4021": "Main warehouse, oil store"}
# Outside suppliers deliver to the dock: nothing to batch or pick here, the truck is optional to scan.
_OUTSIDE = {"wait_rule": Rule.NOT_ALLOWED, "picking_rule": Rule.NOT_ALLOWED, "in_transit_rule": Rule.OPTIONAL}
SUPERMARKET_NAMES = {"SM-N": "Supermarket North", "SM-S": "Supermarket South"}


@dataclass
class _Plan:
    """One demo loop as planned: its record, its pace, and its cards' codes."""

    loop_id: str
    loop: Loop
    supplier_station: str | None  # station id that picks and ships, if any
    filler_station: str  # station id that fills (the line, or receiving for outside suppliers)
    cards_per_hour: float
    cards: list[tuple[str, int, str]] = field(default_factory=list)  # (card id, number, code)


class _History:
    """Events of the demo history device, stamped in the past and numbered once sorted by time."""

    def __init__(self, plant_id: str) -> None:
        self.plant_id = plant_id
        self.items: list[tuple[int, str, str, dict[str, Any], str]] = []  # (ms, kind, entity, payload, device)

    def add(self, ms: int, kind: str, entity_id: str, payload: dict[str, Any], device: str = HISTORY_DEVICE) -> None:
        REGISTRY.validate(kind, REGISTRY.get(kind).version, payload)
        self.items.append((ms, kind, entity_id, payload, device))

    def events(self, actor: str | None) -> list[Event]:
        out = []
        seqs: dict[str, int] = {}
        last: dict[str, tuple[int, int]] = {}
        for ms, kind, entity_id, payload, device in sorted(self.items, key=lambda i: i[0]):
            seqs[device] = seqs.get(device, 0) + 1
            prev_ms, prev_counter = last.get(device, (-1, 0))
            counter = prev_counter + 1 if ms <= prev_ms else 0
            ms = max(ms, prev_ms)
            last[device] = (ms, counter)
            out.append(Event(uuid7(ms), self.plant_id, device, seqs[device], pack(ms, counter), iso_utc(ms), kind,
                             entity_id, actor if kind in (LOOP_UPSERTED, CARD_ADDED) else None,
                             payload, REGISTRY.get(kind).version))
        return out


def _plans(ctx: DemoContext, rng: random.Random) -> list[_Plan]:
    plans = []
    receiving = ctx.stations["RCV-1"]
    serial = 0
    for station_code, parts in USES.items():
        line = ctx.station_lines[station_code] or "L1"
        consumer = ctx.stations[station_code]
        for part_number in parts:
            small = part_number.startswith("300")
            qty = rng.choice((10, 20, 25, 50, 100, 200) if small else (2, 4, 5, 10, 20))
            lead = rng.choice((30, 45, 60, 90, 120))
            supplier_station: str | None = None
            if part_number in EXTERNAL:
                kind, location, lead = "external", EXTERNAL[part_number], rng.choice((180, 240))
                rules = _OUTSIDE
                filler = receiving
            elif part_number in WAREHOUSE:
                kind, location = "warehouse", WAREHOUSE[part_number]
                rules = _OUTSIDE
                filler = receiving
            else:
                sm = SUPERMARKET[line]
                kind, location, supplier_station = "supermarket", SUPERMARKET_NAMES[sm], ctx.stations[sm]
                wait = Rule.REQUIRED if part_number.startswith("300") and rng.random() < 0.4 else Rule.NOT_ALLOWED
                picking = rng.choice((Rule.OPTIONAL, Rule.REQUIRED, Rule.NOT_ALLOWED))
                rules = {"wait_rule": wait, "picking_rule": picking, "in_transit_rule": Rule.REQUIRED}
                filler = consumer
            loop = Loop(code=f"{station_code}:{part_number}", part_id=ctx.parts[part_number], supplier_kind=kind,
                        supplier_location=location, consumer_station_id=consumer, qty_per_card=qty,
                        lead_time_minutes=lead, safety_factor=rng.choice((0.1, 0.15, 0.2, 0.3)),
                        supplier_station_id=supplier_station, wait_rule=rules["wait_rule"],
                        picking_rule=rules["picking_rule"], in_transit_rule=rules["in_transit_rule"])
            plan = _Plan(uuid7(), loop, supplier_station, filler, rng.uniform(0.4, 2.2))
            for number in range(1, rng.randint(2, 6) + 1):
                serial += 1
                plan.cards.append((uuid7(), number, card_code(serial)))
            plans.append(plan)
    return plans


def _replay(plan: _Plan, history: _History, start: int, now: int, rng: random.Random) -> list[str]:
    """A working day of one loop: cards emptied as parts are used, replenished in the loop's steps.
    Returns the cards that are FULL at the end."""
    for card_id, number, code in plan.cards:
        history.add(start, CARD_ADDED, card_id, {"loop_id": plan.loop_id, "number": number, "code": code})
    full_since = {card_id: start for card_id, _n, _c in plan.cards}  # FULL cards -> since when
    back_at: list[tuple[int, str]] = []  # (ms the card is FULL again, card id)
    lateness = rng.choice((0.6, 0.8, 0.9, 1.0, 1.1, 1.5, 2.2))  # how this supplier keeps its lead time
    t = start + int(rng.uniform(5, 40) * MIN_MS)
    while t < now:
        for ms, card_id in sorted(back_at):
            if ms <= t:
                full_since[card_id] = ms
                back_at.remove((ms, card_id))
        if full_since:
            card_id = min(full_since, key=lambda c: full_since[c])
            del full_since[card_id]
            done = _cycle(plan, history, card_id, t, now, lateness, rng)
            if done is not None:
                back_at.append((done, card_id))
        t += int(rng.expovariate(plan.cards_per_hour) * 60 * MIN_MS) + MIN_MS
    return [*full_since, *(card_id for _ms, card_id in back_at)]


def _cycle(plan: _Plan, history: _History, card_id: str, emptied: int, now: int, lateness: float,
           rng: random.Random) -> int | None:
    """One replenishment cycle from `emptied`; the fill time, or None when it is still running at `now`."""
    loop = plan.loop
    rules = loop.rules
    history.add(emptied, CARD_EMPTIED, card_id, move_payload(loop.consumer_station_id, Supply.FULL))
    total = int(loop.lead_time_ms * lateness * rng.uniform(0.7, 1.2))
    steps = [s for s in (Supply.WAIT, Supply.PICKING, Supply.IN_TRANSIT)
             if rules.rule(s) is Rule.REQUIRED or (rules.uses(s) and plan.supplier_station and rng.random() < 0.6)]
    kinds = {Supply.WAIT: CARD_BATCHED, Supply.PICKING: CARD_PICKED, Supply.IN_TRANSIT: CARD_SHIPPED}
    seen = Supply.EMPTY
    for i, status in enumerate(steps):
        at = emptied + total * (i + 1) // (len(steps) + 2)
        if at >= now:
            return None
        history.add(at, kinds[status], card_id, move_payload(plan.supplier_station or plan.filler_station, seen))
        seen = status
    filled = emptied + total
    if filled >= now:
        return None
    history.add(filled, CARD_FILLED, card_id,
                move_payload(plan.filler_station, seen, qty=loop.qty_per_card))
    return filled


@demo_section("kanban")
def create(db: Database, ctx: DemoContext) -> None:
    rng = ctx.rng("kanban")
    now = wall_clock_ms()
    start = now - HISTORY_HOURS * 60 * MIN_MS
    plans = _plans(ctx, rng)
    history = _History(ctx.plant_id)
    for plan in plans:
        history.add(start - MIN_MS, LOOP_UPSERTED, plan.loop_id, loop_to_payload(plan.loop))
    full = {plan.loop_id: _replay(plan, history, start, now - 2 * MIN_MS, rng) for plan in plans}
    _trouble(plans, full, history, now)
    with transaction(db) as tx:
        for event in history.events(ctx.admin_id or None):
            tx.ingest(event, outbox=True)  # goes up like local work if the demo station joins a server


def _trouble(plans: list[_Plan], full: dict[str, list[str]], history: _History, now: int) -> None:
    """What a real floor has: a held card, a loop out of stock, two stations emptying one card offline."""
    held = next(p for p in plans[5:] if len(full[p.loop_id]) > 1)
    history.add(now - MIN_MS, CARD_HELD, full[held.loop_id][-1], {"reason": "bin damaged, waiting for a new one"})
    short = plans[9]  # the line empties every full card left in this loop: a stockout
    for i, card_id in enumerate(full[short.loop_id]):
        history.add(now - MIN_MS + i * 1000, CARD_EMPTIED, card_id,
                    move_payload(short.loop.consumer_station_id, Supply.FULL))
    twice = next(p for p in plans[20:] if full[p.loop_id])
    card_id = full[twice.loop_id][0]
    ms = now - 90_000
    history.add(ms, CARD_EMPTIED, card_id, move_payload(twice.loop.consumer_station_id, Supply.FULL))
    history.add(ms + 20_000, CARD_EMPTIED, card_id, move_payload(twice.loop.consumer_station_id, Supply.FULL),
                device=OFFLINE_DEVICE)


# -- --simulate ------------------------------------------------------------------------------------

def simulate_floor(db: Database, rng: random.Random, now_ms: int | None = None) -> Changes:
    """One scan somewhere on the floor, as people do it: mostly line stations emptying cards as parts
    are used; supermarkets working the queue oldest first; the line or the dock filling what arrived."""
    now = wall_clock_ms() if now_ms is None else now_ms
    with db.reading() as session:
        queue, _total, _late = kanban_repo.queue(session, now, 60)
    queue = [i for i in queue if now - i.status_since_ms > SETTLE_MS]  # people do not scan a card twice in a row
    if rng.random() < 0.45 or not queue:
        return _consume(db, rng, now)
    item = queue[0] if rng.random() < 0.7 else rng.choice(queue)
    with db.reading() as session:
        loop = kanban_repo.loops_by_id(session, [item.loop_id])[item.loop_id]
    supply = Supply(item.supply)
    following = loop.rules.next_supplier_step(supply) if loop.supplier_station_id else None
    if following is not None and supply is not Supply.IN_TRANSIT:
        station = loop.supplier_station_id
    elif loop.supplier_kind == "supermarket":
        station = loop.consumer_station_id  # the line fills what the supermarket brought
    else:
        station = _receiving(db)
    if station is None:
        return Changes()
    return record_scan(db, item.code, station, now_ms=now, source="simulator").changes


def _consume(db: Database, rng: random.Random, now: int) -> Changes:
    with db.reading() as session:
        rows, total = kanban_repo.board_loops(session, kanban_repo.BoardQuery(), 0, 1)
        if not total:
            return Changes()
        rows, _ = kanban_repo.board_loops(session, kanban_repo.BoardQuery(), rng.randrange(total), 1)
        cards = kanban_repo.cards_of_loops(session, [rows[0].loop_id])[rows[0].loop_id]
    full = [c for c in cards if c.in_use and c.supply is Supply.FULL]
    if not full:
        return Changes()
    card = min(full, key=lambda c: c.status_since_ms)
    if now - card.status_since_ms < SETTLE_MS:
        return Changes()
    return record_scan(db, card.code, rows[0].loop.consumer_station_id, now_ms=now, source="simulator").changes


def _receiving(db: Database) -> str | None:
    from jitdesk.domain.fold import PROJECTORS
    from jitdesk.storage import projections

    with db.reading() as session:
        stations = projections.all_states(session, PROJECTORS.get("station"))
    return next((sid for sid, s in sorted(stations.items()) if s.role == "receiving" and s.active), None)


@simulator("kanban", every_seconds=3.0)
async def simulate_step(hub: ServiceHub, rng: random.Random) -> Changes:
    return await hub.run(simulate_floor, rng)
