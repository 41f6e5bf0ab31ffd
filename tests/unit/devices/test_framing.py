"""ScanFramer: examples of each rule, and properties over arbitrary byte streams."""

from __future__ import annotations

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
    assert frame(b"\x02]C1" + b"01" + b"\x1d" + b"10ABC\x03\x1b\x7f\r") == [f"]C101{GS}10ABC"]


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
    assert reasons(frame(b"ABCD\x85\x9f\r", encoding="latin-1")) == [UNREADABLE]


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
