"""WedgeDecoder: the timing rule by example, and properties over arbitrary key streams."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jitdesk.devices.framing import GS
from jitdesk.devices.wedge import (
    HumanTyping,
    KeyKind,
    Keystroke,
    WedgeConfig,
    WedgeDecoder,
    WedgeResult,
    WedgeScan,
)

PROPERTY = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

FAST = 0.005  # seconds between a scanner's keys
SLOW = 0.150  # seconds between a person's keys


def run(decoder: WedgeDecoder, keys: list[tuple[str, KeyKind, float]]) -> list[WedgeResult]:
    out: list[WedgeResult] = []
    for text, kind, t in keys:
        result = decoder.feed(text, kind, t)
        if result is not None:
            out.append(result)
    return out


def burst(
    code: str, start: float, gap: float = FAST, end: KeyKind | None = "enter"
) -> list[tuple[str, KeyKind, float]]:
    keys: list[tuple[str, KeyKind, float]] = [(ch, "char", start + i * gap) for i, ch in enumerate(code)]
    if end is not None:
        keys.append(("\r" if end == "enter" else "\t", end, start + len(code) * gap))
    return keys


def scans(results: list[WedgeResult]) -> list[str]:
    return [r.code for r in results if isinstance(r, WedgeScan)]


def typed(results: list[WedgeResult]) -> str:
    return "".join(r.text for r in results if isinstance(r, HumanTyping))


# --- examples -------------------------------------------------------------------------------


@pytest.mark.parametrize("end", ["enter", "tab"])
def test_fast_burst_ended_by_enter_or_tab_is_a_scan(end: KeyKind) -> None:
    decoder = WedgeDecoder()
    results = run(decoder, burst("K-000123", 10.0, end=end))
    assert scans(results) == ["K-000123"]
    assert len(results) == 1 and len(results[0].keys) == 9
    assert decoder.pending == 0


def test_the_decision_comes_only_with_the_terminator() -> None:
    decoder = WedgeDecoder()
    assert [decoder.feed(ch, "char", 1.0 + i * FAST) for i, ch in enumerate("ABCD")] == [None] * 4
    assert decoder.pending == 4
    assert decoder.feed("\r", "enter", 1.0 + 4 * FAST) == WedgeScan(
        "ABCD", tuple(Keystroke(t, k, ts) for t, k, ts in burst("ABCD", 1.0))
    )


def test_slow_typing_is_given_back_key_by_key() -> None:
    decoder = WedgeDecoder()
    results = run(decoder, burst("hello", 0.0, gap=SLOW, end=None))
    assert typed(results) == "hell"  # the last key is still held ...
    assert decoder.poll(0.0 + 4 * SLOW + 0.010) is None  # ... within the gap ...
    last = decoder.poll(0.0 + 4 * SLOW + 0.031)  # ... and given back after it
    assert isinstance(last, HumanTyping) and last.text == "o"
    assert decoder.pending == 0


def test_slow_typing_then_enter_gives_the_enter_back_too() -> None:
    decoder = WedgeDecoder()
    results = run(decoder, burst("1234", 0.0, gap=SLOW))
    assert scans(results) == []
    assert typed(results) == "1234"
    assert [k.key for r in results for k in r.keys][-1] == "enter"


def test_enter_alone_is_given_back_immediately() -> None:
    result = WedgeDecoder().feed("\r", "enter", 5.0)
    assert result == HumanTyping((Keystroke("\r", "enter", 5.0),))


def test_fast_burst_shorter_than_min_length_is_typing() -> None:
    results = run(WedgeDecoder(), burst("ABC", 0.0))
    assert scans(results) == []
    assert typed(results) == "ABC"


def test_min_length_counts_after_stripping_controls() -> None:
    results = run(WedgeDecoder(), burst("\x02AB\x03C", 0.0))
    assert scans(results) == []
    assert typed(results) == "\x02AB\x03C"


def test_controls_stripped_gs_kept_in_a_scan() -> None:
    results = run(WedgeDecoder(), burst(f"\x02]C101{GS}10AB\x03", 0.0))
    assert scans(results) == [f"]C101{GS}10AB"]


def test_burst_without_terminator_is_typing_after_silence() -> None:
    decoder = WedgeDecoder()
    assert run(decoder, burst("ABCDEF", 0.0, end=None)) == []
    assert decoder.deadline() == pytest.approx(5 * FAST + 0.030)
    released = decoder.poll(1.0)
    assert isinstance(released, HumanTyping) and released.text == "ABCDEF"


def test_enter_after_a_pause_is_not_a_scan() -> None:
    decoder = WedgeDecoder()
    keys = [*burst("ABCDEF", 0.0, end=None), ("\r", "enter", 0.5)]
    results = run(decoder, keys)
    assert scans(results) == []
    assert typed(results) == "ABCDEF"


def test_typing_then_a_scan_keeps_both_apart() -> None:
    decoder = WedgeDecoder()
    keys = burst("qty", 0.0, gap=SLOW, end=None) + burst("CARD0042", 1.0)
    results = run(decoder, keys)
    assert typed(results) == "qty"
    assert scans(results) == ["CARD0042"]


def test_two_scans_back_to_back() -> None:
    results = run(WedgeDecoder(), burst("CARD0001", 0.0) + burst("CARD0002", 1.0))
    assert scans(results) == ["CARD0001", "CARD0002"]


def test_gap_is_configurable() -> None:
    decoder = WedgeDecoder(WedgeConfig(max_gap_ms=200))
    assert scans(run(decoder, burst("ABCD", 0.0, gap=SLOW))) == ["ABCD"]


def test_a_held_down_key_is_given_back_once_over_max_length() -> None:
    decoder = WedgeDecoder(WedgeConfig(max_length=10))
    results = run(decoder, burst("x" * 11, 0.0, end=None))
    assert typed(results) == "x" * 11


def test_flush_gives_back_everything_held() -> None:
    decoder = WedgeDecoder()
    run(decoder, burst("AB", 0.0, end=None))
    released = decoder.flush()
    assert isinstance(released, HumanTyping) and released.text == "AB"
    assert decoder.flush() is None


@pytest.mark.parametrize("config", [{"max_gap_ms": 0}, {"min_length": 0}, {"min_length": 5, "max_length": 4}])
def test_bad_configs(config: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        WedgeConfig(**config)  # type: ignore[arg-type]


# --- properties -----------------------------------------------------------------------------

KEYS = st.lists(
    st.tuples(
        st.text(max_size=2),
        st.sampled_from(["char", "char", "char", "enter", "tab", "modifier"]),
        st.floats(0.0, 0.2),  # the gap before this key
    ),
    max_size=60,
)


def timed(keys: list[tuple[str, str, float]]) -> list[Keystroke]:
    t = 100.0
    out = []
    for text, kind, gap in keys:
        t += gap
        out.append(Keystroke(text, kind, t))  # type: ignore[arg-type]
    return out


@PROPERTY
@given(KEYS, st.lists(st.one_of(st.none(), st.floats(0.0, 1.0)), min_size=60, max_size=60))
def test_every_key_comes_out_exactly_once_in_order(
    keys: list[tuple[str, str, float]], polls: list[float | None]
) -> None:
    """Nothing is lost or duplicated: each key is in a scan, given back as typing, or (a modifier
    outside a burst) passed straight on."""
    strokes = [s if s.key != "modifier" else Keystroke("", "modifier", s.timestamp_s) for s in timed(keys)]
    decoder = WedgeDecoder()
    out: list[Keystroke] = []
    previous = 100.0
    for s, poll_at in zip(strokes, polls, strict=False):
        if poll_at is not None:  # the GUI timer fires somewhere between two keys
            polled = decoder.poll(previous + (s.timestamp_s - previous) * poll_at)
            out += polled.keys if polled else ()
        if s.key == "modifier" and not decoder.absorbs(s.timestamp_s):
            tail = decoder.flush()
            out += tail.keys if tail else ()
            out.append(s)  # passed straight on, in its place
            previous = s.timestamp_s
            continue
        result = decoder.feed(s.text, s.key, s.timestamp_s)
        out += result.keys if result else ()
        previous = s.timestamp_s
    tail = decoder.flush()
    out += tail.keys if tail else ()
    assert out == strokes


@PROPERTY
@given(KEYS)
def test_scans_are_clean_and_long_enough_and_end_with_a_terminator(
    keys: list[tuple[str, str, float]],
) -> None:
    decoder = WedgeDecoder()
    for s in timed(keys):
        result = decoder.feed(s.text, s.key, s.timestamp_s)
        if isinstance(result, WedgeScan):
            assert len(result.code) >= 4
            assert all(unicodedata.category(ch) != "Cc" or ch == GS for ch in result.code)
            assert result.code == result.code.strip(" ")
            assert result.keys[-1].key in ("enter", "tab")
            assert all(k.key in ("char", "modifier") for k in result.keys[:-1])
            assert result.keys[0].key == "char"  # a modifier never starts a burst


@PROPERTY
@given(st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=4, max_size=60))
def test_any_printable_code_sent_fast_is_scanned_exactly(code: str) -> None:
    assert scans(run(WedgeDecoder(), burst(code, 50.0))) == [code]


@PROPERTY
@given(st.text(min_size=1, max_size=30), st.floats(0.031, 2.0))
def test_anything_typed_slowly_is_never_a_scan(text: str, gap: float) -> None:
    results = run(WedgeDecoder(), burst(text, 50.0, gap=gap))
    assert scans(results) == []
    assert typed(results) == text


# --- modifier presses inside a burst (a USB scanner presses Shift for every capital) ----------


def shifted(code: str, start: float, gap: float = FAST, end: KeyKind = "enter",
            extra: tuple[str, ...] = ()) -> list[tuple[str, KeyKind, float]]:
    """A scanner typing ``code``: Shift before each capital (as xdotool and real scanners do), the
    ``extra`` modifiers (CapsLock, NumLock...) first, all in the burst's rhythm."""
    keys: list[tuple[str, KeyKind, float]] = []
    t = start
    for i, ch in enumerate(code):
        for _ in extra if i == 0 else ():
            keys.append(("", "modifier", t))
            t += gap / 4
        if ch.isupper():
            keys.append(("", "modifier", t))
            t += gap / 4
        keys.append((ch, "char", t))
        t += gap
    keys.append(("\r" if end == "enter" else "\t", end, t))
    return keys


def test_shift_for_each_capital_is_part_of_the_scan() -> None:
    results = run(WedgeDecoder(), shifted("K000001W", 10.0))
    assert scans(results) == ["K000001W"]
    assert typed(results) == ""


def test_a_code_of_only_capitals_with_shift_each_time() -> None:
    results = run(WedgeDecoder(), shifted("KABCDEFY7", 10.0, end="tab"))
    assert scans(results) == ["KABCDEFY7"]


def test_modifier_presses_do_not_count_toward_the_length() -> None:
    decoder = WedgeDecoder(WedgeConfig(min_length=4, max_length=4))
    results = run(decoder, shifted("ABCD", 10.0))
    assert scans(results) == ["ABCD"]


def test_capslock_and_numlock_around_a_code_are_part_of_it() -> None:
    keys = shifted("K00000Y7", 10.0, extra=("capslock", "numlock"))
    t = keys[-1][2]
    keys.insert(-1, ("", "modifier", t - FAST / 2))  # NumLock again just before Enter
    results = run(WedgeDecoder(), keys)
    assert scans(results) == ["K00000Y7"]
    assert typed(results) == ""


def test_a_modifier_before_the_first_key_is_not_held() -> None:
    decoder = WedgeDecoder()
    assert not decoder.absorbs(10.0)
    assert decoder.feed("", "modifier", 10.0) is None
    assert decoder.pending == 0


def test_a_person_holding_shift_slowly_is_still_typing() -> None:
    decoder = WedgeDecoder()
    keys: list[tuple[str, KeyKind, float]] = []
    t = 10.0
    for ch in "Hello World":
        if ch.isupper():
            keys.append(("", "modifier", t))
            t += SLOW
        keys.append((ch, "char", t))
        t += SLOW
    out: list[WedgeResult] = []
    for text, kind, at in keys:
        polled = decoder.poll(at - 0.001)
        out += [polled] if polled else []
        if kind == "modifier" and not decoder.absorbs(at):
            continue
        result = decoder.feed(text, kind, at)
        out += [result] if result else []
    tail = decoder.flush()
    out += [tail] if tail else []
    assert scans(out) == []
    assert typed(out) == "Hello World"


def test_a_slow_modifier_gives_back_the_burst_before_it() -> None:
    decoder = WedgeDecoder()
    assert decoder.feed("a", "char", 10.0) is None
    assert not decoder.absorbs(10.0 + SLOW)
    result = decoder.feed("", "modifier", 10.0 + SLOW)
    assert isinstance(result, HumanTyping) and result.text == "a"


@PROPERTY
@given(st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=4, max_size=60),
       st.sets(st.sampled_from(["capslock", "numlock", "altgr"]), max_size=3))
def test_any_code_with_shift_for_capitals_is_scanned_exactly(code: str, extra: set[str]) -> None:
    results = run(WedgeDecoder(), shifted(code, 50.0, extra=tuple(sorted(extra))))
    assert scans(results) == [code]
    assert typed(results) == ""
