"""Why a serial scanner's bytes were not a scan: message codes with raw parameters.

The framer (``jitdesk.devices.framing``) refuses a frame with one of these; the station's scan log
stores the code and its parameters, and ``jitdesk.services.words`` has the words. ``sent`` and
``configured`` are terminator names (CR, LF, CRLF, Tab, ETX, 0x..), ``setting`` the value to put
in the settings file for ``sent``; ``text`` is what was read, printable.
"""

from __future__ import annotations

from jitdesk.domain.messages import define

PARTIAL = define("scanner.partial", "text")  # a silence ended a frame that never got its terminator
TOO_LONG = define("scanner.too_long", "max")
TOO_SHORT = define("scanner.too_short", "min")
UNREADABLE = define("scanner.unreadable")
NO_PREFIX = define("scanner.no_prefix", "prefix")
NO_SUFFIX = define("scanner.no_suffix", "suffix")
TERMINATOR_MISMATCH = define("scanner.terminator_mismatch", "sent", "configured", "setting")

TERMINATOR_NAMES = {b"\r": "CR", b"\n": "LF", b"\r\n": "CRLF", b"\n\r": "LFCR", b"\t": "Tab", b"\x03": "ETX",
                    b"\x04": "EOT"}
SETTING_VALUES = {"CR": "\\r", "LF": "\\n", "CRLF": "\\r\\n", "Tab": "\\t", "ETX": "\\u0003", "EOT": "\\u0004"}


def terminator_name(term: bytes) -> str:
    """CR, LF, CRLF, Tab, ETX, ... or the byte in hex."""
    return TERMINATOR_NAMES.get(term) or " ".join(f"0x{b:02X}" for b in term)
