"""How takt states look: a colour, a symbol and a word for each, so colour is never the only signal;
and the few number formats the takt screens share."""

from __future__ import annotations

import math
from datetime import datetime, tzinfo

from jitdesk.domain.takt.status import AHEAD, BEHIND, BREAK, EARLY, LATE, OFF, ON_PLAN, ON_TARGET, RUNNING, STOPPED

GREEN, AMBER, RED, GREY, BLUE = "#00C853", "#FFD600", "#FF1744", "#8A97A6", "#40C4FF"

# state -> (symbol, word, colour)
JUDGEMENT = {EARLY: ("▲", "EARLY", BLUE), ON_TARGET: ("●", "ON TARGET", GREEN), LATE: ("▼", "LATE", RED)}
STANDING = {AHEAD: ("▲", "AHEAD", GREEN), ON_PLAN: ("●", "ON PLAN", GREEN), BEHIND: ("▼", "BEHIND", RED)}
PHASE = {RUNNING: ("▶", "Running", GREEN), BREAK: ("⏸", "Break", AMBER), STOPPED: ("⏸", "Planned stop", AMBER),
         OFF: ("⏸", "Outside shifts", GREY)}


def clock(ms: int, zone: tzinfo, with_day: bool = False) -> str:
    moment = datetime.fromtimestamp(ms / 1000, zone)
    return moment.strftime("%a %H:%M" if with_day else "%H:%M")


def countdown(ms: float) -> str:
    """m:ss, with a real minus sign when late; whole seconds toward zero's far side (1.2 s late is −0:02)."""
    seconds = math.ceil(ms / 1000) if ms >= 0 else -math.ceil(-ms / 1000)
    sign = "−" if seconds < 0 else ""
    seconds = abs(seconds)
    if seconds >= 3600:
        return f"{sign}{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return f"{sign}{seconds // 60}:{seconds % 60:02d}"


def seconds(ms: float) -> str:
    return f"{ms / 1000:.0f} s" if ms < 600_000 else f"{ms / 60_000:.0f} min"


def signed(units: int) -> str:
    return f"+{units}" if units > 0 else ("±0" if units == 0 else f"−{-units}")


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f} %"
