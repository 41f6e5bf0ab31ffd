"""Kanban domain: loops, cards and their state machine, barcode format, scan decisions, risk, sizing.

Importing this package registers the kanban event kinds in `REGISTRY` and the `loop` and `card`
projectors in `PROJECTORS`.
"""

from jitdesk.domain.kanban import card, codes, loop, risk, scan, sizing, status

__all__ = ["card", "codes", "loop", "risk", "scan", "sizing", "status"]
