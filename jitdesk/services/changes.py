"""`Changes`: what one transaction changed, so each view reloads only when its projection moved."""

from __future__ import annotations

from dataclasses import dataclass

from jitdesk.domain.events import Event


@dataclass(frozen=True)
class Changes:
    entities: frozenset[tuple[str, str]] = frozenset()  # (projection name, entity id)
    events: tuple[Event, ...] = ()

    @property
    def projections(self) -> frozenset[str]:
        return frozenset(name for name, _ in self.entities)

    def touches(self, *projections: str) -> bool:
        names = self.projections
        return any(p in names for p in projections)

    def __bool__(self) -> bool:
        return bool(self.entities or self.events)

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.entities | other.entities, self.events + other.events)


NO_CHANGES = Changes()
