"""What makes an andon call type usable, in plain words (the admin form and the master-data service
both ask `check_call_type`). The code is printed on call cards and is the board's short word where the
name does not fit a tile; the symbol is the shape beside the colour, so colour is never the only signal."""

from __future__ import annotations

import re

from jitdesk.domain.auth import ROLE_NAMES
from jitdesk.domain.master import SEVERITIES, CallType

CODE_MAX = 8
_CODE = re.compile(r"^[A-Za-z0-9_-]+$")
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_SOUND = re.compile(r"^[a-z0-9_]+$")
CLEAR_GREEN = (0x1B, 0x5E, 0x20)  # the board's colour for a clear station
TOO_CLOSE = 60  # colour distance (0..441) under which a call would read as "clear"


def check_call_type(call_type: CallType) -> str | None:
    """A plain-words problem with the call type, or None."""
    code = call_type.code.strip()
    if not code:
        return "the code may not be empty"
    if len(code) > CODE_MAX or not _CODE.match(code):
        return (f"the code '{code}' must be 1 to {CODE_MAX} letters, digits, - or _ (it is printed on call cards "
                "and is the board's short word)")
    if not call_type.name.strip():
        return "the name may not be empty"
    if not _COLOUR.match(call_type.color):
        return f"the colour '{call_type.color}' is not # and six hex digits, like #FFC400"
    rgb = tuple(int(call_type.color[i:i + 2], 16) for i in (1, 3, 5))
    if sum((a - b) ** 2 for a, b in zip(rgb, CLEAR_GREEN, strict=True)) ** 0.5 < TOO_CLOSE:
        return f"the colour {call_type.color} is too close to the board's green for a clear station: choose another"
    symbol = call_type.symbol.strip()
    if not symbol or len(symbol) > 2 or symbol != call_type.symbol:
        return "the symbol must be one or two characters, like ▲ ◆ ✚ ✖ or ?, with no spaces"
    if not _SOUND.match(call_type.sound):
        return f"the sound '{call_type.sound}' is not a sound name (small letters, digits and _)"
    if call_type.severity not in SEVERITIES:
        return f"the severity '{call_type.severity}' is not one of {', '.join(SEVERITIES)}"
    if call_type.responder_role not in ROLE_NAMES:
        return f"the responding role '{call_type.responder_role}' is not one of {', '.join(ROLE_NAMES)}"
    return None
