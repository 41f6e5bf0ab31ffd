"""Sizing suggestions: how many cards a loop needs, measured from its cards' event history.

Demand is one card's quantity each time a card left FULL inside the window; lead time is the mean of
the replenishment cycles completed inside it (the loop's planned lead time when none were). The
window should be working time (a week of shifts, say); nights dilute the demand. A loop with less
history than the window is measured over the history it has.
"""

from __future__ import annotations

from dataclasses import dataclass

from orjson import loads

from jitdesk.domain.clock import physical_ms
from jitdesk.domain.errors import BadInput, NotFound
from jitdesk.domain.events import REGISTRY, Event
from jitdesk.domain.kanban.card import CARD_KINDS
from jitdesk.domain.kanban.loop import LOOP_PROJECTOR, Loop
from jitdesk.domain.kanban.sizing import (
    HOUR_MS,
    DemandStats,
    LeadTimeStats,
    Sizing,
    card_history,
    consumption,
    demand_stats,
    lead_time_stats,
    size_loop,
)
from jitdesk.domain.kanban.status import Admin
from jitdesk.storage import kanban_repo, projections
from jitdesk.storage.database import Database

DEFAULT_WINDOW_HOURS = 7 * 24


@dataclass(frozen=True)
class SizingSuggestion:
    loop_id: str
    loop_code: str
    cards_now: int  # cards in circulation (not retired)
    suggested: int
    sizing: Sizing
    demand: DemandStats
    lead: LeadTimeStats
    window_hours: float

    @property
    def words(self) -> str:
        lead = (f"measured lead time {self.lead.mean_minutes:.0f} min over {self.lead.count} cycles"
                if self.sizing.lead_time_measured else
                f"planned lead time {self.sizing.lead_time_hours * 60:.0f} min (no cycle measured yet)")
        change = self.suggested - self.cards_now
        verdict = ("keep the loop as it is" if change == 0 else
                   f"add {change} card(s)" if change > 0 else f"retire {-change} card(s)")
        return (f"Demand {self.demand.mean_per_hour:.1f} per hour over the last {self.window_hours:.0f} h, {lead}, "
                f"safety {self.sizing.safety_factor:.0%}: {self.suggested} cards suggested, "
                f"{self.cards_now} now: {verdict}.")


def suggest_size(db: Database, loop_id: str, *, now_ms: int, window_hours: float = DEFAULT_WINDOW_HOURS
                 ) -> SizingSuggestion:
    if not 1 <= window_hours <= 24 * 365:
        raise BadInput("The sizing window is 1 hour to a year.")
    start = now_ms - int(window_hours * HOUR_MS)
    with db.reading() as session:
        found = projections.load(session, LOOP_PROJECTOR, loop_id)
        if found is None:
            raise NotFound(f"Loop {loop_id} does not exist.")
        loop: Loop = found[0]
        cards = kanban_repo.cards_of_loops(session, [loop_id])[loop_id]
        rows = kanban_repo.card_events(session, [c.card_id for c in cards], CARD_KINDS)
    events = [REGISTRY.upcast(Event(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], loads(r[9]), r[10],
                                    r[11], r[12])) for r in rows]
    history = card_history(events)
    # A loop younger than the window is measured over its own history, not diluted by time before it.
    first = min((physical_ms(e.hlc) for e in events), default=start)
    if first > start and now_ms - first >= HOUR_MS:
        start = first
        window_hours = (now_ms - start) / HOUR_MS
    demand = demand_stats(consumption(history, loop.qty_per_card), start, now_ms)
    lead = lead_time_stats((c.emptied_ms, c.filled_ms) for c in history.cycles if c.filled_ms >= start)
    sizing = size_loop(loop, demand, lead)
    in_use = sum(1 for c in cards if c.admin is not Admin.RETIRED)
    return SizingSuggestion(loop_id, loop.code, in_use, sizing.cards, sizing, demand, lead, window_hours)
