"""Kanban card codes: the text inside the printed barcode, and parsing what a scanner sends.

Format (all characters are Crockford base-32 symbols or the prefix letters, uppercase ASCII, so Code 128
prints them and every scanner wedge and keyboard layout carries them; no punctuation):

    card code      K <serial> <check>                    e.g. serial 1   -> "K000001W"
    status variant S <status letter> <serial> <check>    e.g. 1, PICKING -> "SP000001P"

* `serial` is the card's plant-wide serial number (0 to 32^6 - 1, about a billion) as exactly 6
  Crockford base-32 symbols (alphabet 0123456789ABCDEFGHJKMNPQRSTVWXYZ), zero-padded. The fixed length
  (8 characters for a card code, 9 for a status variant) also refuses every dropped or extra character.
* `status letter` (status variant only): F full, E empty, W wait, P picking, T in transit. Scanning it
  asks for that status directly, e.g. a "picked" barcode printed on the back of the card.
* `check` is one Crockford symbol: a Damm check over the quasigroup x*y = 2x + y in GF(32)
  (polynomial x^5 + x^2 + 1) taken over every character before it, prefix included, with each character
  valued by its place in the Crockford alphabet. It catches every single-character substitution and
  every swap of two adjacent characters (the quasigroup is totally anti-symmetric), including the
  check character itself, so a misread is refused instead of acted on.

Parsing is lenient only where that cannot change the meaning: surrounding whitespace and control
characters (scanner terminators) are dropped, lowercase is read as uppercase, and after the prefix the
Crockford look-alikes O -> 0 and I, L -> 1 are read as the digit (for codes typed by hand).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from jitdesk.domain.kanban.status import BY_LETTER, LETTERS, Supply

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
ALIASES = {"O": "0", "I": "1", "L": "1"}
CARD_PREFIX = "K"
STATUS_PREFIX = "S"
DIGITS = 6
MAX_SERIAL = 32**DIGITS - 1
_MAX_TEXT = 40  # longer input is not a card code; refuse it without looking further
_POLY = 0b100101  # x^5 + x^2 + 1, irreducible over GF(2)

UNKNOWN_WORDS = "unknown code: this is not a kanban card"
BAD_CHECK_WORDS = "bad check character: the code was misread, scan again"


@dataclass(frozen=True)
class ParsedCode:
    """A well-formed scan: the card's code, its serial and, for the status variant, the asked status."""

    code: str
    serial: int
    status: Supply | None = None


@dataclass(frozen=True)
class CodeRefusal:
    """A scan that is not a card code (`unknown`) or fails its check character (`bad_check`)."""

    reason: Literal["unknown", "bad_check"]
    message: str


def _times2(x: int) -> int:
    x <<= 1
    return x ^ _POLY if x & 32 else x


def _interim(text: str) -> int:
    acc = 0
    for ch in text:
        acc = _times2(acc) ^ VALUE[ch]
    return acc


def check_char(text: str) -> str:
    """The check character for `text` (prefix and digits, all in the alphabet)."""
    return ALPHABET[_times2(_interim(text))]


def encode_serial(serial: int) -> str:
    if not 0 <= serial <= MAX_SERIAL:
        raise ValueError(f"a card serial is 0 to {MAX_SERIAL}, not {serial}")
    digits = ""
    while serial:
        serial, digit = divmod(serial, 32)
        digits = ALPHABET[digit] + digits
    return digits.rjust(DIGITS, "0")


def card_code(serial: int) -> str:
    """The printed code of card number `serial`, e.g. card_code(1) == "K000001W"."""
    head = CARD_PREFIX + encode_serial(serial)
    return head + check_char(head)


def status_code(serial: int, status: Supply) -> str:
    """The status-carrying variant: scanning it asks to put card `serial` into `status`."""
    head = STATUS_PREFIX + LETTERS[status] + encode_serial(serial)
    return head + check_char(head)


def _is_blank(ch: str) -> bool:
    return ch.isspace() or ord(ch) < 32 or ord(ch) == 127


def _normalize(text: str) -> str:
    start, end = 0, len(text)
    while start < end and _is_blank(text[start]):
        start += 1
    while end > start and _is_blank(text[end - 1]):
        end -= 1
    text = text[start:end].upper()
    return text[:1] + "".join(ALIASES.get(ch, ch) for ch in text[1:])


def parse_scan(text: str) -> ParsedCode | CodeRefusal:
    """Read what a scanner or a person sent; never raises."""
    unknown = CodeRefusal("unknown", UNKNOWN_WORDS)
    if not isinstance(text, str) or len(text) > _MAX_TEXT or not text.isascii():
        return unknown  # ASCII first: some non-ASCII letters turn into ASCII ones when uppercased
    text = _normalize(text)
    if len(text) < 2 or any(ch not in VALUE for ch in text[1:]):
        return unknown
    status: Supply | None = None
    if text[0] == CARD_PREFIX:
        digits = text[1:-1]
    elif text[0] == STATUS_PREFIX and text[1] in BY_LETTER:
        status = BY_LETTER[text[1]]
        digits = text[2:-1]
    else:
        return unknown
    if len(digits) != DIGITS:
        return unknown
    if _interim(text) != 0:  # a Damm check: the whole text, check included, folds to zero
        return CodeRefusal("bad_check", BAD_CHECK_WORDS)
    serial = 0
    for ch in digits:
        serial = serial * 32 + VALUE[ch]
    return ParsedCode(card_code(serial), serial, status)


def serial_of(code: str) -> int | None:
    """The serial inside a card code, or None when `code` is not a valid card code."""
    parsed = parse_scan(code)
    if isinstance(parsed, ParsedCode) and parsed.status is None:
        return parsed.serial
    return None
