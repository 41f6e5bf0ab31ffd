"""The andon link's rule: when a line's lag should raise an andon call, and when its call is done.

An episode starts when a running line is more than `andon_takts` cycles behind its plan and ends when it
is back within that (or its shift ends, or the link is switched off). Each episode raises at most one
call, and the memory of that is read from the log, never kept in a device's memory: the link's calls of
a line in a shift are numbered 1, 2, ... (`episode_call_id`), and a call that is closed still counts for
its episode when a person closed it and the line has not been back within its threshold since it was
raised (`still_in_episode`: the lag only falls at a completion, so the completions since the raise are
the instants to look at). So a station that restarts, or another station of the line, decides the same.
A break or planned stop changes nothing (the lag stands still); a call still open when the episode ends
is resolved by the system.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable
from enum import StrEnum

from jitdesk.domain.master import TaktLine
from jitdesk.domain.takt.cycle import TaktMinutes, parts_between
from jitdesk.domain.takt.plan import ShiftPlan
from jitdesk.domain.takt.status import RUNNING, LineStatus

_NAMESPACE = uuid.UUID("5b0f6a52-8e1c-4c57-9a59-3d1f4a7c2b10")  # fixed: every device makes the same ids


class LinkAction(StrEnum):
    NONE = "none"
    RAISE = "raise"
    RESOLVE = "resolve"


def behind(status: LineStatus, settings: TaktLine) -> bool:
    """Running and more than the line's threshold of cycles behind its plan."""
    return status.plan is not None and status.phase == RUNNING and status.behind_takts > settings.andon_takts


def episode_call_id(line_id: str, shift_start_ms: int, number: int) -> str:
    """The id of the link's `number`-th call (from 1) for the line in the shift starting then: two
    devices raising it for one episode write one call (the andon fold joins their raises)."""
    return str(uuid.uuid5(_NAMESPACE, f"takt-link|{line_id}|{shift_start_ms}|{number}"))


def lag_at(plan: ShiftPlan, rows: Iterable[TaktMinutes], at_ms: int) -> float:
    """Cycles behind plan at `at_ms`, read the way `line_status` reads it."""
    shift = plan.shift
    planned = math.floor(plan.planned_by(at_ms) + 1e-9)
    actual = parts_between(rows, shift.start_ms, min(at_ms, shift.end_ms))
    return max(0, planned - actual) / plan.parts_per_cycle


def still_in_episode(plan: ShiftPlan, settings: TaktLine, rows: Iterable[TaktMinutes],
                     completions: Iterable[int]) -> bool:
    """True when at none of `completions` (those after the call's raise) the line was back within its
    threshold: between completions the lag only grows, so the episode of the call has not ended."""
    kept = list(rows)
    return all(lag_at(plan, kept, c) > settings.andon_takts for c in completions)


def decide_link(status: LineStatus, settings: TaktLine, call_open: bool, episode_called: bool) -> LinkAction:
    """What to do for one line now. `episode_called`: the running episode has had its call already
    (closed by a person while the line stayed behind)."""
    paused = status.plan is not None and status.phase != RUNNING
    if settings.andon_link and paused:
        return LinkAction.NONE
    if settings.andon_link and behind(status, settings):
        return LinkAction.NONE if call_open or episode_called else LinkAction.RAISE
    return LinkAction.RESOLVE if call_open else LinkAction.NONE
