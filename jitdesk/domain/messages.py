"""Messages as data: a stable code and raw parameters, never a sentence.

The domain decides and stores *what* happened (`card.moved_twice` at station s, status EMPTY since
t); the words (English now, other languages later, times in the plant's time zone) are made outside
the domain by one renderer (jitdesk/services/words.py). Parameters are raw values only: Unix ms
timestamps, station ids, statuses, counts; never a formatted time or a sentence.

Every code is declared once with the names of its parameters (`define`), next to the rule that makes
it; `message()` refuses an undeclared code or a parameter list that differs from the declaration, so
the renderer's catalog can be checked against the full list (`CODES`) by a test.

`Message` is a NamedTuple rather than a dataclass on purpose: projection rows store tuples as JSON
lists natively, so a card's anomaly notes are stored as `["card.moved_twice", {...}]` without the
generic projection code knowing about messages. `from_stored` reads that form back, and turns a plain
string written by an older version into a `legacy` message that renders as the string was.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

Param = str | int | None

LEGACY = "legacy"  # a sentence stored by an older version, shown as it was: params {"text": ...}

# code -> the names of its parameters
CODES: dict[str, frozenset[str]] = {}


class MessageError(ValueError):
    """A message that does not match its declaration: a bug in the code that made it."""


class Message(NamedTuple):
    code: str
    params: Mapping[str, Param]

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "params": dict(self.params)}


def define(code: str, *params: str) -> str:
    """Declare a code and its parameter names (once, at import of the module whose rule makes it)."""
    names = frozenset(params)
    known = CODES.get(code)
    if known is not None and known != names:
        raise MessageError(f"message code {code} is declared twice with different parameters")
    CODES[code] = names
    return code


def message(code: str, /, **params: Param) -> Message:
    """A message of a declared code with exactly its declared parameters."""
    names = CODES.get(code)
    if names is None:
        raise MessageError(f"undeclared message code {code}")
    if names != params.keys():
        raise MessageError(f"message {code} takes {sorted(names)}, got {sorted(params)}")
    return Message(code, params)


def legacy(text: str) -> Message:
    """A sentence stored by an older version, kept as it was."""
    return Message(LEGACY, {"text": text})


def from_stored(value: object) -> Message:
    """A message as stored in a projection row or the scan log: `[code, params]`, `{"code", "params"}`,
    a Message, or a plain string from an older version. Never raises: a stored row is always shown."""
    if isinstance(value, Message):
        return value
    if isinstance(value, str):
        return legacy(value)
    if isinstance(value, list | tuple) and len(value) == 2 and isinstance(value[0], str) \
            and isinstance(value[1], Mapping):
        return Message(value[0], dict(value[1]))
    if isinstance(value, Mapping) and isinstance(value.get("code"), str):
        params = value.get("params")
        return Message(value["code"], dict(params) if isinstance(params, Mapping) else {})
    return legacy(str(value))


define(LEGACY, "text")
