"""ScanFramer: examples of each rule, and properties over arbitrary byte streams."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jitdesk.devices.framing import GS, FrameResult, ScanFramer, ScannerConfig, ScanRefused, strip_controls

# The autouse user-dirs fixture only sets environment variables, so sharing it across examples is safe.
PROPERTY = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

TOO_LONG = "scan too long (over 64 characters): ignored"
UNREADABLE = "unreadable bytes from the scanner: ignored"


def frame(data: bytes, **config: object) -> list[FrameResult]:
    return ScanFramer(ScannerConfig(**config)).feed(data)  # type: ignore[arg-type]


def reasons(results: list[FrameResult]) -> list[str]:
    return [r.reason if isinstance(r, ScanRefused) else f"code:{r}" for r in results]


# --- examples -------------------------------------------------------------------------------


def test_single_scan_with_cr() -> None:
    assert frame(b"K-000123\r") == ["K-000123"]


@pytest.mark.parametrize("term", [b"\r", b"\n", b"\r\n"])
@pytest.mark.parametrize("sent", [b"\r", b"\n", b"\r\n"])
def test_cr_lf_and_crlf_are_one_terminator_whatever_is_configured(term: bytes, sent: bytes) -> None:
    assert frame(b"AB12" + sent + b"CD34" + sent, terminator=term) == ["AB12", "CD34"]


def test_tab_terminator_splits_on_tab_and_strips_cr_lf() -> None:
    assert frame(b"AB12\tCD34\r\n\t", terminator=b"\t") == ["AB12", "CD34"]


def test_terminator_may_be_given_as_str() -> None:
    assert ScannerConfig(terminator="\r\n").terminator == b"\r\n"  # type: ignore[arg-type]


def test_partial_line_waits_for_its_terminator() -> None:
    framer = ScanFramer(ScannerConfig())
    assert framer.feed(b"K-00") == []
    assert framer.pending == 4
    assert framer.feed(b"0123") == []
    assert framer.feed(b"\rK-9") == ["K-000123"]
    assert framer.feed(b"99\r") == ["K-999"]


def test_burst_of_many_codes_in_one_feed() -> None:
    codes = [f"CARD{i:05d}" for i in range(200)]
    assert frame(b"".join(c.encode() + b"\r\n" for c in codes)) == codes


def test_control_characters_stripped_but_gs_kept() -> None:
    assert frame(b"\x02]C1" + b"01" + b"\x1d" + b"10ABC\x03\x1b\x7f\r") == [f"01{GS}10ABC"]  # AIM ]C1 too


def test_prefix_and_suffix_are_removed() -> None:
    assert frame(b"\x02S:CARD42#\x03\r", prefix="\x02S:", suffix="#\x03") == ["CARD42"]


def test_missing_prefix_is_refused() -> None:
    assert reasons(frame(b"CARD42\r", prefix="S:")) == ["scan without the expected prefix: ignored"]


def test_missing_suffix_is_refused() -> None:
    assert reasons(frame(b"CARD42\r", suffix="#")) == ["scan without the expected suffix: ignored"]


def test_surrounding_spaces_trimmed_inner_spaces_kept() -> None:
    assert frame(b"  AB CD  \r") == ["AB CD"]


def test_too_short() -> None:
    assert reasons(frame(b"ABC\r")) == ["scan too short (under 4 characters): ignored"]


def test_exactly_min_and_max_length_are_good() -> None:
    assert frame(b"ABCD\r" + b"Z" * 64 + b"\r") == ["ABCD", "Z" * 64]


def test_one_over_max_length_is_refused() -> None:
    assert reasons(frame(b"Z" * 65 + b"\rGOOD1\r")) == [TOO_LONG, "code:GOOD1"]


def test_overlong_line_without_terminator_reported_once_then_discarded() -> None:
    framer = ScanFramer(ScannerConfig())
    out: list[FrameResult] = []
    for _ in range(50):
        out += framer.feed(b"X" * 100)
    assert reasons(out) == [TOO_LONG]
    assert framer.pending == 0
    # Everything up to the next terminator is thrown away, then scanning resumes.
    assert framer.feed(b"tail of the junk\rGOOD1\r") == ["GOOD1"]


def test_binary_garbage_is_unreadable() -> None:
    assert reasons(frame(b"\xff\xfe\x80ab\xc3\r")) == [UNREADABLE]


def test_nul_bytes_in_a_frame_make_it_unreadable() -> None:
    assert reasons(frame(b"AB\x00CD\r")) == [UNREADABLE]


def test_frames_of_only_control_characters_or_spaces_are_silent() -> None:
    assert frame(b"\x00\x00\r\x02\x03\r   \r\r\n\r\n") == []


def test_wrong_encoding_latin1_bytes_on_ascii_scanner() -> None:
    assert reasons(frame("CAFÉ1".encode("latin-1") + b"\r")) == [UNREADABLE]


def test_wrong_encoding_latin1_bytes_on_utf8_scanner() -> None:
    assert reasons(frame("CAFÉ1".encode("latin-1") + b"\r", encoding="utf-8")) == [UNREADABLE]


def test_latin1_and_utf8_scanners_decode_their_own_bytes() -> None:
    assert frame("CAFÉ1".encode("latin-1") + b"\r", encoding="latin-1") == ["CAFÉ1"]
    assert frame("CAFÉ1€".encode() + b"\r", encoding="utf8") == ["CAFÉ1€"]


def test_c1_control_characters_on_latin1_scanner_are_unreadable() -> None:
    assert reasons(frame(b"AB\x85\x9fCD\r", encoding="latin-1")) == [UNREADABLE]


def test_garbage_does_not_poison_the_next_scan() -> None:
    assert reasons(frame(b"\xff\x00\xfe\rGOOD1\r")) == [UNREADABLE, "code:GOOD1"]


def test_reset_drops_a_partial_scan() -> None:
    framer = ScanFramer(ScannerConfig())
    framer.feed(b"PART")
    assert framer.reset() is True
    assert framer.reset() is False
    assert framer.feed(b"WHOLE\r") == ["WHOLE"]


def test_reset_ends_discarding_an_overlong_line() -> None:
    framer = ScanFramer(ScannerConfig())
    assert reasons(framer.feed(b"X" * 500)) == [TOO_LONG]
    framer.reset()
    assert framer.feed(b"NEXT1\r") == ["NEXT1"]


@pytest.mark.parametrize(
    "config",
    [
        {"terminator": b"ab"},
        {"terminator": b"\x1d"},
        {"terminator": b""},
        {"encoding": "utf-16"},
        {"encoding": "no-such-codec"},
        {"min_length": 0},
        {"min_length": 10, "max_length": 9},
        {"baud": 0},
        {"prefix": "S\r"},
        {"suffix": "É"},
    ],
)
def test_bad_configs_are_refused_with_value_error(config: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        ScannerConfig(**config)  # type: ignore[arg-type]


def test_strip_controls() -> None:
    assert strip_controls("\x00a\tb\x1dc\x7f\x85d") == "ab\x1dcd"


# --- silence, AIM identifiers, edge control bytes, terminator mismatch ------------------------


def test_silence_ends_a_partial_frame_with_a_refusal_and_the_next_scan_is_clean() -> None:
    framer = ScanFramer(ScannerConfig())
    assert framer.feed(b"\x13NOISE") == []
    assert framer.holding
    [dropped] = framer.idle()
    assert isinstance(dropped, ScanRefused)
    assert dropped.note.code == "scanner.partial"
    assert dropped.note.params == {"text": "\\x13NOISE"}
    assert not framer.holding
    assert framer.feed(b"K000001W\r") == ["K000001W"]


def test_ten_kilobytes_of_junk_a_pause_and_a_good_code() -> None:
    framer = ScanFramer(ScannerConfig())
    junk = bytes(range(0x21, 0x7F)) * 110  # 10 kB, no terminator
    results = framer.feed(junk)
    assert [r.note.code for r in results if isinstance(r, ScanRefused)] == ["scanner.too_long"]
    assert framer.idle() == []  # already reported once; the silence ends the discarding
    assert framer.feed(b"K000002T\r") == ["K000002T"]


def test_without_the_silence_junk_would_swallow_the_next_code() -> None:
    framer = ScanFramer(ScannerConfig())
    framer.feed(b"X" * 200)
    assert framer.feed(b"K000002T\r") == []  # why the reader calls idle() after a pause


def test_idle_with_nothing_held_or_only_a_control_byte_says_nothing() -> None:
    framer = ScanFramer(ScannerConfig())
    assert framer.idle() == []
    framer.feed(b"\x00")
    assert framer.idle() == []


@pytest.mark.parametrize("aim", [b"]C0", b"]C1", b"]Q3", b"]E0", b"]d2"])
def test_aim_symbology_identifiers_are_stripped(aim: bytes) -> None:
    assert frame(aim + b"K000001W\r") == ["K000001W"]


def test_aim_identifier_after_a_configured_prefix_is_stripped_too() -> None:
    assert frame(b"#]C1K000001W\r", prefix="#") == ["K000001W"]


def test_a_prefix_that_looks_like_an_aim_identifier_is_the_prefix() -> None:
    assert frame(b"]C1K000001W\r", prefix="]C1") == ["K000001W"]
    assert reasons(frame(b"K000001W\r", prefix="]C1")) == ["scan without the expected prefix: ignored"]


def test_nul_and_control_bytes_at_either_edge_are_stripped() -> None:
    assert frame(b"\x00\x00\x02K000001W\x03\x00\r") == ["K000001W"]
    assert frame(b"\x00]C0K000001W\x00\r") == ["K000001W"]
    assert reasons(frame(b"K0000\x0001W\r")) == [UNREADABLE]  # inside: unreadable


def test_tab_frames_on_a_cr_station_name_the_setting() -> None:
    framer = ScanFramer(ScannerConfig(terminator=b"\r"))
    assert framer.feed(b"K000001W\tK000002T\t") == []
    [refused] = framer.idle()
    assert isinstance(refused, ScanRefused)
    assert refused.note.code == "scanner.terminator_mismatch"
    assert refused.note.params == {"sent": "Tab", "configured": "CR", "setting": "\\t"}


def test_one_tab_frame_then_silence_is_a_mismatch() -> None:
    framer = ScanFramer(ScannerConfig(terminator=b"\r"))
    framer.feed(b"K000001W\t")
    [refused] = framer.idle()
    assert isinstance(refused, ScanRefused) and refused.note.code == "scanner.terminator_mismatch"


def test_cr_frames_on_a_tab_station_name_the_setting() -> None:
    framer = ScanFramer(ScannerConfig(terminator=b"\t"))
    framer.feed(b"K000001W\r")
    [refused] = framer.idle()
    assert isinstance(refused, ScanRefused)
    assert refused.note.params == {"sent": "CR", "configured": "Tab", "setting": "\\r"}


def test_a_stream_of_tab_frames_overflowing_is_a_mismatch_not_too_long() -> None:
    results = frame(b"K000001W\t" * 20, terminator=b"\r")
    assert [r.note.code for r in results if isinstance(r, ScanRefused)] == ["scanner.terminator_mismatch"]


def test_glued_frames_ended_by_the_configured_terminator_are_a_mismatch() -> None:
    results = frame(b"K000001W\tK000002T\r", terminator=b"\r")
    assert [r.note.code for r in results if isinstance(r, ScanRefused)] == ["scanner.terminator_mismatch"]


def test_every_refusal_carries_a_declared_message() -> None:
    from jitdesk.domain.messages import CODES

    framer = ScanFramer(ScannerConfig(prefix="#", suffix="$"))
    results = framer.feed(b"\xff\rAB\r#AB$\r#ABCD\r" + b"Y" * 200 + b"\r")
    framer.feed(b"#PART")
    results += framer.idle()
    refused = [r for r in results if isinstance(r, ScanRefused)]
    assert len(refused) == 6
    for r in refused:
        assert r.note.code in CODES and set(r.note.params) == CODES[r.note.code]


# --- properties -----------------------------------------------------------------------------


@st.composite
def configs(draw: st.DrawFn) -> ScannerConfig:
    terminator = draw(st.sampled_from([b"\r", b"\n", b"\r\n", b"\t", b"\x03"]))
    suffixes = [s for s in ["", "#", "\x03"] if terminator not in s.encode()]
    return ScannerConfig(
        terminator=terminator,
        prefix=draw(st.sampled_from(["", "]C1", "\x02"])),
        suffix=draw(st.sampled_from(suffixes)),
        min_length=draw(st.integers(1, 8)),
        max_length=draw(st.integers(8, 80)),
        encoding=draw(st.sampled_from(["ascii", "latin-1", "utf-8"])),
    )


CONFIGS = configs()

# Printable ASCII plus GS, without surrounding spaces: what a scanner really sends.
CODE_CHARS = st.sampled_from([chr(c) for c in range(0x21, 0x7F)] + [GS, " "])


@st.composite
def valid_codes(draw: st.DrawFn, config: ScannerConfig) -> str:
    code = draw(st.text(CODE_CHARS, min_size=config.min_length, max_size=config.max_length))
    code = code.strip(" ")
    if re.match(r"\][A-Za-z][0-9A-Za-z]", code):
        code = "A" + code  # a code cannot start like an AIM identifier: that is stripped
    code = code[: config.max_length]
    while len(code) < config.min_length:
        code += "A"
    return code


def wire(code: str, config: ScannerConfig) -> bytes:
    return (config.prefix + code + config.suffix).encode(config.encoding) + config.terminator


@PROPERTY
@given(config=CONFIGS, data=st.binary(max_size=2000))
def test_any_bytes_never_raise_and_give_only_codes_or_reasons(config: ScannerConfig, data: bytes) -> None:
    framer = ScanFramer(config)
    for result in framer.feed(data):
        if isinstance(result, ScanRefused):
            assert result.reason.endswith(": ignored")
        else:
            assert isinstance(result, str)
            assert config.min_length <= len(result) <= config.max_length
            assert result == strip_controls(result)
            assert result == result.strip(" ")
    assert framer.pending <= config.max_frame_bytes


@PROPERTY
@given(st.data())
def test_valid_codes_come_back_exactly(data: st.DataObject) -> None:
    config = data.draw(CONFIGS)
    codes = data.draw(st.lists(valid_codes(config), max_size=20))
    stream = b"".join(wire(c, config) for c in codes)
    assert ScanFramer(config).feed(stream) == codes


@PROPERTY
@given(st.data())
def test_valid_codes_survive_garbage_between_them(data: st.DataObject) -> None:
    """Whatever noise comes between two terminated scans, both scans come back intact."""
    config = data.draw(CONFIGS)
    first, second = data.draw(valid_codes(config)), data.draw(valid_codes(config))
    noise = data.draw(st.binary(max_size=300))
    framer = ScanFramer(config)
    results = framer.feed(wire(first, config) + noise + config.terminator + wire(second, config))
    assert results[0] == first
    assert results[-1] == second


@PROPERTY
@given(
    config=CONFIGS,
    stream=st.lists(
        st.one_of(
            st.binary(max_size=40),
            st.sampled_from([b"\r", b"\n", b"\r\n", b"\t", b"\x03", b"CARD0001\r", b"X" * 300, b"\xff\x00"]),
        ),
        max_size=30,
    ).map(b"".join),
    cuts=st.lists(st.integers(0, 10_000), max_size=12),
)
def test_splitting_the_stream_anywhere_gives_the_same_results(
    config: ScannerConfig, stream: bytes, cuts: list[int]
) -> None:
    whole = ScanFramer(config).feed(stream)
    points = sorted({c % (len(stream) + 1) for c in cuts})
    pieces = [stream[a:b] for a, b in zip([0, *points], [*points, len(stream)], strict=True)]
    framer = ScanFramer(config)
    split: list[FrameResult] = []
    for piece in pieces:
        split += framer.feed(piece)
    assert split == whole


@PROPERTY
@given(config=CONFIGS, stream=st.binary(max_size=500))
def test_byte_at_a_time_gives_the_same_results(config: ScannerConfig, stream: bytes) -> None:
    framer = ScanFramer(config)
    one_by_one: list[FrameResult] = []
    for i in range(len(stream)):
        one_by_one += framer.feed(stream[i : i + 1])
    assert one_by_one == ScanFramer(config).feed(stream)
