"""What each scan result and risk level looks like: headline words, a shape, and colours.

Colour is never the only signal: every result has its own words and symbol, so a colour-blind worker
or a photo in black and white tells "emptied" from "refused".
"""

from __future__ import annotations

from dataclasses import dataclass

from jitdesk.domain.kanban.risk import RiskLevel
from jitdesk.domain.kanban.status import Supply


@dataclass(frozen=True)
class Look:
    symbol: str
    background: str
    foreground: str


TONES: dict[str, Look] = {
    "success": Look("✔", "#00C853", "#000000"),
    "info": Look("◉", "#2979FF", "#FFFFFF"),
    "refused": Look("✖", "#D50000", "#FFFFFF"),
}
IDLE = Look("▣", "#1A2029", "#F4F6F8")

HEADLINES: dict[str, str] = {
    "emptied": "EMPTIED", "batched": "BATCHED", "picked": "PICKED", "shipped": "SHIPPED", "filled": "FILLED",
    "lookup": "CARD INFO", "double_scan": "DOUBLE SCAN", "unknown": "UNKNOWN CODE",
    "bad_check": "BAD CHECK CHARACTER", "on_hold": "CARD ON HOLD", "retired": "CARD RETIRED",
    "loop_inactive": "LOOP NOT IN USE", "already_empty": "ALREADY EMPTY", "already_full": "ALREADY FULL",
    "already_done": "ALREADY DONE", "not_ready": "NOT READY", "not_used": "STEP NOT USED",
    "wrong_station": "WRONG STATION", "unreadable": "UNREADABLE SCAN", "error": "NOT RECORDED",
}


def headline(result: str) -> str:
    return HEADLINES.get(result, result.replace("_", " ").upper())


RISK: dict[RiskLevel, tuple[str, str, str, str]] = {  # symbol, words, background, foreground
    RiskLevel.OK: ("●", "OK", "#1B5E20", "#FFFFFF"),
    RiskLevel.WATCH: ("◆", "WATCH", "#F9A825", "#000000"),
    RiskLevel.AT_RISK: ("▲", "AT RISK", "#EF6C00", "#000000"),
    RiskLevel.STOCKOUT: ("✖", "STOCKOUT", "#D50000", "#FFFFFF"),
}

SUPPLY_SHORT: dict[Supply, str] = {
    Supply.FULL: "Full", Supply.EMPTY: "Empty", Supply.WAIT: "Wait", Supply.PICKING: "Picking",
    Supply.IN_TRANSIT: "In transit",
}
SUPPLY_COLUMN: dict[Supply, str] = {**SUPPLY_SHORT, Supply.PICKING: "Pick", Supply.IN_TRANSIT: "Transit"}
SUPPLY_ORDER = (Supply.FULL, Supply.EMPTY, Supply.WAIT, Supply.PICKING, Supply.IN_TRANSIT)
