"""Call barcodes: a printed call card carries `AC-<type code>` (Code 128), e.g. `AC-MAINT`; scanned at a
station it raises that type of call there. A physical andon button box sends the same text on its serial
line, so every way of raising a call but the screen's buttons reads the same code."""

from __future__ import annotations

import re

PREFIX = "AC-"
_CODE = re.compile(r"^AC-([A-Z0-9_]{1,40})$")


def call_code(type_code: str) -> str:
    return PREFIX + type_code.upper()


def parse_call_code(text: str) -> str | None:
    """The call type code a scanned text names, or None when it is not a call code. Never raises."""
    if not isinstance(text, str):
        return None
    found = _CODE.match(text.strip().upper())
    return found.group(1) if found else None
