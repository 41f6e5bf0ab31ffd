"""Card statuses and the per-loop rules saying which of them a loop uses.

A card cycles FULL -> EMPTY -> [WAIT] -> [PICKING] -> [IN_TRANSIT] -> FULL. FULL and EMPTY are always
used; each bracketed status is `required`, `optional` (a later step may jump over it) or `not_allowed`
for a given loop. The default loop is FULL -> EMPTY -> IN_TRANSIT -> FULL with IN_TRANSIT required.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Supply(StrEnum):
    """Where the card is in its replenishment cycle."""

    FULL = "FULL"
    EMPTY = "EMPTY"  # the replenishment signal
    WAIT = "WAIT"  # waiting on the batch board until enough cards are empty to order
    PICKING = "PICKING"
    IN_TRANSIT = "IN_TRANSIT"


class Admin(StrEnum):
    """Administrative status, kept apart from the supply status."""

    ACTIVE = "ACTIVE"
    ON_HOLD = "ON_HOLD"
    RETIRED = "RETIRED"


class Rule(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    NOT_ALLOWED = "not_allowed"


# Order of the steps of one replenishment cycle; FULL closes the cycle (a FULL card is "before" EMPTY).
CYCLE: tuple[Supply, ...] = (Supply.EMPTY, Supply.WAIT, Supply.PICKING, Supply.IN_TRANSIT, Supply.FULL)
STEP: dict[Supply, int] = {status: i for i, status in enumerate(CYCLE)}
# The statuses whose use a loop chooses.
CHOOSABLE: tuple[Supply, ...] = (Supply.WAIT, Supply.PICKING, Supply.IN_TRANSIT)

# One letter per status for the status-carrying barcode; all are Crockford base-32 symbols.
LETTERS: dict[Supply, str] = {
    Supply.FULL: "F", Supply.EMPTY: "E", Supply.WAIT: "W", Supply.PICKING: "P", Supply.IN_TRANSIT: "T",
}
BY_LETTER: dict[str, Supply] = {letter: status for status, letter in LETTERS.items()}

LABELS: dict[Supply, str] = {
    Supply.FULL: "full", Supply.EMPTY: "empty", Supply.WAIT: "waiting for a batch",
    Supply.PICKING: "being picked", Supply.IN_TRANSIT: "in transit",
}
ADMIN_LABELS: dict[Admin, str] = {Admin.ACTIVE: "active", Admin.ON_HOLD: "on hold", Admin.RETIRED: "retired"}


def step(status: Supply) -> int:
    """Position of a status inside a cycle (EMPTY 0 ... FULL 4)."""
    return STEP[status]


@dataclass(frozen=True)
class StatusRules:
    """Which optional statuses a loop uses."""

    wait: Rule = Rule.NOT_ALLOWED
    picking: Rule = Rule.NOT_ALLOWED
    in_transit: Rule = Rule.REQUIRED

    def rule(self, status: Supply) -> Rule:
        if status is Supply.WAIT:
            return self.wait
        if status is Supply.PICKING:
            return self.picking
        if status is Supply.IN_TRANSIT:
            return self.in_transit
        return Rule.REQUIRED  # FULL and EMPTY

    def uses(self, status: Supply) -> bool:
        return self.rule(status) is not Rule.NOT_ALLOWED

    def sequence(self) -> tuple[Supply, ...]:
        """The statuses this loop's cards pass through, starting with FULL."""
        return (Supply.FULL, *(s for s in CYCLE[:-1] if self.uses(s)))

    def next_supplier_step(self, current: Supply) -> Supply | None:
        """The next used status between EMPTY and FULL after `current` (None when there is none)."""
        if current is Supply.FULL:
            return None
        for status in CYCLE[step(current) + 1 : -1]:
            if self.uses(status):
                return status
        return None

    def missing_required(self, current: Supply, target: Supply) -> Supply | None:
        """The first required status a move from `current` to `target` would jump over, or None."""
        start = -1 if current is Supply.FULL else step(current)
        for status in CYCLE[start + 1 : step(target)]:
            if self.rule(status) is Rule.REQUIRED:
                return status
        return None
