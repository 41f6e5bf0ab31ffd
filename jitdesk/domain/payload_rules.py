"""What any event payload must be, whatever its kind: JSON that every copy can store and serve.

A payload is refused (on the station that would make it, and at every server's push) when it holds
a text that is not valid UTF-8 (a lone surrogate such as "\\ud800", in a value or a key), nests deeper
than `MAX_DEPTH` levels, or holds something that is not JSON (NaN, Infinity, a non-text key, a
Python object). Each of these was once stored and then made every pull of its page fail.
"""

from __future__ import annotations

import math
from typing import Any

MAX_DEPTH = 32  # the payload object itself is level 1


def payload_problem(payload: Any) -> str | None:
    """None when the payload is storable and servable everywhere, else the reason in plain words."""
    if not isinstance(payload, dict):
        return "the payload must be a JSON object"
    stack: list[tuple[Any, int, str]] = [(payload, 1, "payload")]
    while stack:
        value, depth, where = stack.pop()
        if isinstance(value, dict):
            if depth > MAX_DEPTH:
                return f"the payload nests deeper than {MAX_DEPTH} levels"
            for key, item in value.items():
                if not isinstance(key, str):
                    return f"{where} has a key that is not text"
                if not _valid_text(key):
                    return f"{where} has a key that is not valid UTF-8 text (a lone surrogate)"
                stack.append((item, depth + 1, f"{where}.{key[:40]}"))
        elif isinstance(value, list):
            if depth > MAX_DEPTH:
                return f"the payload nests deeper than {MAX_DEPTH} levels"
            stack.extend((item, depth + 1, f"{where}[{i}]") for i, item in enumerate(value))
        elif isinstance(value, str):
            if not _valid_text(value):
                return f"{where} is not valid UTF-8 text (a lone surrogate)"
        elif isinstance(value, float):
            if not math.isfinite(value):
                return f"{where} is a number that is not finite"
        elif value is not None and not isinstance(value, bool | int):
            return f"{where} is not a JSON value"
    return None


def _valid_text(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
