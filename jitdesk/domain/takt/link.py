"""The andon link's rule: when a line's lag should raise an andon call, and when its call is done.

An episode starts when a running line is more than `andon_takts` cycles behind its plan and ends when it
is back within that (or its shift ends, or the link is switched off). Each episode raises at most one
call: `armed` is False from the raise until the episode ends, so a call a person closed while the line
is still behind is not raised again. A break or planned stop changes nothing (the lag stands still);
a call still open when the episode ends is resolved by the system.
"""

from __future__ import annotations

from enum import StrEnum

from jitdesk.domain.master import TaktLine
from jitdesk.domain.takt.status import RUNNING, LineStatus


class LinkAction(StrEnum):
    NONE = "none"
    RAISE = "raise"
    RESOLVE = "resolve"


def behind(status: LineStatus, settings: TaktLine) -> bool:
    """Running and more than the line's threshold of cycles behind its plan."""
    return status.plan is not None and status.phase == RUNNING and status.behind_takts > settings.andon_takts


def decide_link(status: LineStatus, settings: TaktLine, call_open: bool, armed: bool) -> tuple[LinkAction, bool]:
    """(what to do, armed afterwards) for one line now."""
    paused = status.plan is not None and status.phase != RUNNING
    if settings.andon_link and paused:
        return LinkAction.NONE, armed
    if settings.andon_link and behind(status, settings):
        if call_open or not armed:
            return LinkAction.NONE, False
        return LinkAction.RAISE, False
    return (LinkAction.RESOLVE if call_open else LinkAction.NONE), True
