"""What a call type means to andon: its severity order, the role that responds, its escalation steps.

Call types are master data (`jitdesk.domain.master.CallType`, edited by admins); this module reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

from jitdesk.domain.auth import Role
from jitdesk.domain.master import SEVERITIES, CallType, EscalationPlan

SEVERITY_RANK: dict[str, int] = {name: i for i, name in enumerate(SEVERITIES)}
# Who a level notifies when the type names nobody: the Toyota ladder.
DEFAULT_NOTIFY = ("team leader", "supervisor", "manager", "plant manager", "plant manager")


def severity_rank(severity: str) -> int:
    return SEVERITY_RANK.get(severity, 1)


def responder_role(call_type: CallType) -> Role:
    """The lowest role that may acknowledge and resolve calls of this type (a bad value: supervisor)."""
    try:
        return Role.parse(call_type.responder_role)
    except ValueError:
        return Role.SUPERVISOR


@dataclass(frozen=True)
class Step:
    """One escalation level: reached `minutes` after raising, or `takts` takts after (line-stopping
    types, when the line's takt is known), whichever comes first; `notify` is who is called then."""

    level: int
    minutes: int | None
    takts: int | None
    notify: str


def steps(call_type: CallType, plan: EscalationPlan | None = None) -> tuple[Step, ...]:
    """The escalation ladder of a type: level 1 upwards (level 0 is the call as raised); `plan`, a
    line's own ladder for the type (when active), replaces the type's minutes, takts and names."""
    ladder: CallType | EscalationPlan = plan if plan is not None and plan.active else call_type
    minutes = tuple(sorted(ladder.escalate_minutes))
    takts = tuple(sorted(ladder.escalate_takts)) if call_type.stops_line else ()
    count = max(len(minutes), len(takts))
    out = []
    for i in range(count):
        names = ladder.escalate_to
        notify = names[i] if i < len(names) and names[i] else DEFAULT_NOTIFY[min(i, len(DEFAULT_NOTIFY) - 1)]
        out.append(Step(i + 1, minutes[i] if i < len(minutes) else None, takts[i] if i < len(takts) else None,
                        notify))
    return tuple(out)
