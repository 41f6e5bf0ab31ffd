"""Kanban domain: loops, cards and their state machine, barcode format, scan decisions, risk, sizing.

Importing this package registers the kanban event kinds in `REGISTRY`, the `loop` and `card`
projectors and the derived `loop_stats` and `card_queue` in `PROJECTORS`.
"""

from jitdesk.domain.kanban import card, codes, derived, loop, risk, scan, sizing, status

__all__ = ["card", "codes", "derived", "loop", "risk", "scan", "sizing", "status"]
