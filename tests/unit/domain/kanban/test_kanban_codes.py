"""Card code format: round trips, and every single misread or adjacent swap is refused."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jitdesk.domain.kanban.codes import (
    ALPHABET,
    MAX_SERIAL,
    CodeRefusal,
    ParsedCode,
    card_code,
    check_char,
    encode_serial,
    parse_scan,
    serial_of,
    status_code,
)
from jitdesk.domain.kanban.status import Supply

serials = st.integers(min_value=0, max_value=MAX_SERIAL)
statuses = st.sampled_from(list(Supply))
PRINTABLE = string.printable  # ASCII letters, digits, punctuation and whitespace


def _same_symbol(position: int, old: str, new: str) -> bool:
    """True when parsing reads `new` as `old` (case, and the look-alikes after the prefix)."""
    read = new.upper()
    if position > 0:
        read = {"O": "0", "I": "1", "L": "1"}.get(read, read)
    return read == old


def test_known_codes_pin_the_format() -> None:
    # printed cards must keep scanning after any refactoring: these texts are on paper
    assert card_code(0) == "K000000Y"
    assert card_code(1) == "K000001W"
    assert card_code(1000) == "K0000Z8X"
    assert card_code(MAX_SERIAL) == "KZZZZZZ7"
    assert status_code(1, Supply.PICKING) == "SP000001P"
    assert parse_scan("K000001W") == ParsedCode("K000001W", 1, None)
    assert parse_scan("SP000001P") == ParsedCode("K000001W", 1, Supply.PICKING)


@given(serials)
def test_every_card_code_parses_back(serial: int) -> None:
    code = card_code(serial)
    assert parse_scan(code) == ParsedCode(code, serial, None)
    assert serial_of(code) == serial
    assert code.isascii() and code.isalnum() and code == code.upper()
    assert len(code) == 8


@given(serials, statuses)
def test_every_status_code_parses_back(serial: int, status: Supply) -> None:
    text = status_code(serial, status)
    assert parse_scan(text) == ParsedCode(card_code(serial), serial, status)
    assert serial_of(text) is None  # a status variant is not the card's own code
    assert text.isascii() and text.isalnum() and text == text.upper()


@given(serials, statuses, st.booleans())
def test_every_single_substitution_is_refused(serial: int, status: Supply, variant: bool) -> None:
    text = status_code(serial, status) if variant else card_code(serial)
    for i, old in enumerate(text):
        for new in PRINTABLE:
            if _same_symbol(i, old, new):
                continue
            misread = text[:i] + new + text[i + 1 :]
            assert isinstance(parse_scan(misread), CodeRefusal), (text, misread)


@given(serials, statuses, st.booleans())
def test_every_adjacent_transposition_is_refused(serial: int, status: Supply, variant: bool) -> None:
    text = status_code(serial, status) if variant else card_code(serial)
    for i in range(len(text) - 1):
        if text[i] == text[i + 1]:
            continue
        swapped = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        assert isinstance(parse_scan(swapped), CodeRefusal), (text, swapped)


def test_substitutions_inside_the_code_are_reported_as_bad_check() -> None:
    refusal = parse_scan("K0A0001W")
    assert isinstance(refusal, CodeRefusal) and refusal.reason == "bad_check"
    assert "misread" in refusal.message


@pytest.mark.parametrize("text", [
    " K000001W", "K000001W\r\n", "\tk000001w\x1d", "K000001w", "KOOOOO1W", "k00000lw", "KOO000IW",
])
def test_scanner_noise_case_and_look_alikes_are_read(text: str) -> None:
    assert parse_scan(text) == ParsedCode("K000001W", 1, None)


@pytest.mark.parametrize("text", [
    "", "   ", "K", "KW", "K00001W", "K0000001W", "W000001K", "X000001W", "K000-001W", "K000001W/E",
    "K 000001W", "K00U001W", "S000001W", "SX000001P", "K000001W" * 5, "K000001Wé", "ｋ000001W", "\x00",
])
def test_texts_that_are_not_card_codes_are_unknown(text: str) -> None:
    refusal = parse_scan(text)
    assert isinstance(refusal, CodeRefusal) and refusal.reason == "unknown"
    assert "not a kanban card" in refusal.message


def test_a_right_check_on_the_wrong_length_is_still_unknown() -> None:
    for head in ("K00001", "K0000001", "SP00001"):
        assert parse_scan(head + check_char(head)) == parse_scan("")  # same refusal: unknown
    assert isinstance(parse_scan(""), CodeRefusal)


def test_encode_serial_refuses_out_of_range() -> None:
    with pytest.raises(ValueError):
        encode_serial(-1)
    with pytest.raises(ValueError):
        encode_serial(MAX_SERIAL + 1)
    assert encode_serial(32) == "000010"
    assert len(set(ALPHABET)) == 32


@given(st.text(max_size=60))
def test_any_text_is_answered_never_raises(text: str) -> None:
    result = parse_scan(text)
    if isinstance(result, ParsedCode):
        # whatever parsed is exactly one printed code, read back from itself
        assert parse_scan(result.code) == ParsedCode(result.code, result.serial, None)
        assert result.code == card_code(result.serial)


@given(serials, statuses, st.booleans(), st.sampled_from(ALPHABET + "KS"))
def test_every_dropped_or_extra_character_is_refused(
    serial: int, status: Supply, variant: bool, extra: str,
) -> None:
    text = status_code(serial, status) if variant else card_code(serial)
    for i in range(len(text)):
        assert isinstance(parse_scan(text[:i] + text[i + 1 :]), CodeRefusal)
    for i in range(len(text) + 1):
        assert isinstance(parse_scan(text[:i] + extra + text[i:]), CodeRefusal)
