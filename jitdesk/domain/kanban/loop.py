"""Kanban loops (master data): one part moving from a supplier location to a consumer station.

Carried by `master.loop.upserted` events holding the whole record (the payload has exactly the
fields of `Loop`); the latest record in the event order wins, like the other master data. A loop is
never deleted: `active` goes false. How many cards a loop has is not stored here: it is the number of
its cards in use (card events add and retire them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from jitdesk.domain.events import REGISTRY, Event, EventKind
from jitdesk.domain.fold import PROJECTORS, Projector
from jitdesk.domain.kanban.status import Rule, StatusRules
from jitdesk.domain.schema import Bool, Choice, Int, Num, Schema, Str

LOOP_UPSERTED = "master.loop.upserted"
SUPPLIER_KINDS = ("supermarket", "warehouse", "external")
MAX_LEAD_TIME_MINUTES = 90 * 24 * 60


@dataclass(frozen=True)
class Loop:
    """One loop; every field is a plain value so the record stores as one row.

    `supplier_location` is what people read (a supermarket aisle, a warehouse, a supplier's name);
    `supplier_station_id`, when set, is the only station whose supermarket scans count for the loop.
    The three `*_rule` fields say whether cards pass through WAIT, PICKING and IN_TRANSIT.
    """

    code: str
    part_id: str
    supplier_kind: str
    supplier_location: str
    consumer_station_id: str
    qty_per_card: int
    lead_time_minutes: int
    safety_factor: float = 0.0
    supplier_station_id: str | None = None
    wait_rule: Rule = Rule.NOT_ALLOWED
    picking_rule: Rule = Rule.NOT_ALLOWED
    in_transit_rule: Rule = Rule.REQUIRED
    active: bool = True
    material_call: bool = True  # raise an andon material call at the consumer when no full card is left

    def __post_init__(self) -> None:
        # rows and payloads carry plain strings and numbers: give them back their types
        for name in ("wait_rule", "picking_rule", "in_transit_rule"):
            object.__setattr__(self, name, Rule(getattr(self, name)))
        object.__setattr__(self, "safety_factor", float(self.safety_factor))

    @property
    def rules(self) -> StatusRules:
        return StatusRules(self.wait_rule, self.picking_rule, self.in_transit_rule)

    @property
    def lead_time_ms(self) -> int:
        return self.lead_time_minutes * 60_000


_RULE = Choice(*(r.value for r in Rule), required=False)

LOOP_SCHEMA = Schema({
    "code": Str(max_len=40),
    "part_id": Str(max_len=64),
    "supplier_kind": Choice(*SUPPLIER_KINDS),
    "supplier_location": Str(max_len=120),
    "consumer_station_id": Str(max_len=64),
    "qty_per_card": Int(min=1, max=1_000_000),
    "lead_time_minutes": Int(min=1, max=MAX_LEAD_TIME_MINUTES),
    "safety_factor": Num(min=0, max=10, required=False),
    "supplier_station_id": Str(max_len=64, required=False, nullable=True),
    "wait_rule": _RULE,
    "picking_rule": _RULE,
    "in_transit_rule": _RULE,
    "active": Bool(required=False),
    "material_call": Bool(required=False),
})

REGISTRY.register(EventKind(LOOP_UPSERTED, {1: LOOP_SCHEMA}, master=True))


def loop_to_payload(loop: Loop) -> dict[str, Any]:
    """The event payload of a loop record (plain JSON values)."""
    out: dict[str, Any] = {}
    for f in fields(loop):
        value = getattr(loop, f.name)
        out[f.name] = value.value if isinstance(value, Rule) else value
    return out


def loop_from_payload(payload: Mapping[str, Any]) -> Loop:
    names = {f.name for f in fields(Loop)}
    return Loop(**{k: v for k, v in payload.items() if k in names})


def check_loop(loop: Loop) -> str | None:
    """A plain-words problem with a loop's record as a whole (the schema checks each field), or None."""
    if loop.supplier_kind == "supermarket" and not loop.supplier_station_id:
        return f"loop {loop.code}: a supermarket loop needs the supermarket's station"
    if loop.supplier_station_id is not None and loop.supplier_station_id == loop.consumer_station_id:
        return f"loop {loop.code}: the supplier and the consumer are the same station"
    return None


def _apply(_state: Loop | None, event: Event) -> Loop:
    return loop_from_payload(event.payload)


LOOP_PROJECTOR = PROJECTORS.add(Projector("loop", Loop, frozenset({LOOP_UPSERTED}), _apply))
