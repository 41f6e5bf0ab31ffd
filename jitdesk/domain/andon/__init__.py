"""Andon domain: call events and the monotone call fold, the rules of who may do what, escalation
levels from the events and the clock, and the derived per-station andon state (lights, board).

Importing this package registers the andon event kinds in `REGISTRY`, the `andon_call` projector
and the derived `station_andon` aggregate in `PROJECTORS`.
"""

from jitdesk.domain.andon import book, call, codes, derived, escalation, rules, types

__all__ = ["book", "call", "codes", "derived", "escalation", "rules", "types"]
