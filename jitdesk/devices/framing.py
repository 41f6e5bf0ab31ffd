"""Turn the raw byte stream of a serial barcode scanner into scans.

``ScanFramer`` is pure and incremental: feed it whatever bytes the port produced (half a scan,
ten scans, line noise) and it returns the results completed by those bytes, in stream order.
Feeding a stream in one piece or split at any points gives the same results, and no input makes
it raise.

A result is either a good code (``str``) or a ``ScanRefused`` with a plain-words reason that the
station can show as is. The rules, applied to each terminated frame:

1. Terminator: with a CR/LF-ish terminator (CR, LF or CRLF configured) any run of CR and LF ends
   a frame, so CR, LF and CRLF all work whatever the scanner was set to. Otherwise the one
   configured byte (Tab, ETX, ...) ends a frame. Empty frames are ignored without a word.
2. Overlong: once a frame grows past what ``max_length`` characters could need (plus prefix,
   suffix and a little slack) without a terminator, "scan too long" is reported at once and every
   byte is discarded up to the next terminator, so a stuck or mis-set scanner is reported once.
3. Decoding with the configured encoding (ascii, latin-1 or utf-8); bytes that do not decode,
   NUL bytes and C1 control characters mean noise or a wrong baud rate or encoding: "unreadable
   bytes from the scanner". A frame of nothing but control characters and spaces is dropped.
4. Control characters are stripped, except GS (0x1D, FNC1 in GS1 codes), which is kept.
   Surrounding spaces are trimmed.
5. A configured prefix and suffix must be present and are removed; a frame without them is not a
   whole scan (for example the tail of a scan read right after plugging in) and is refused.
6. Length: fewer than ``min_length`` or more than ``max_length`` characters are refused.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

__all__ = [
    "GS",
    "FrameResult",
    "ScanFramer",
    "ScanRefused",
    "ScannerConfig",
    "strip_controls",
]

GS = "\x1d"
"""Group separator (FNC1 in GS1 barcodes): the one control character kept in a code."""

# Every Unicode "Cc" character lives in U+0000-U+001F or U+007F-U+009F; GS is kept.
_CONTROL_TABLE: dict[int, None] = {c: None for c in (*range(0x00, 0x20), *range(0x7F, 0xA0)) if c != 0x1D}
_C1_OR_NUL = re.compile("[\x00\x80-\x9f]")

_CRLF_TERMINATORS = frozenset({b"\r", b"\n", b"\r\n", b"\n\r"})
# Codecs whose control bytes (CR, LF, Tab, ...) can never occur inside a multi-byte character, so
# splitting the byte stream on the terminator is always safe.
_ENCODINGS = {"ascii": 1, "iso8859-1": 1, "utf-8": 4}
# Room for control characters a scanner may add around a code (STX/ETX, AIM ids, ...).
_SLACK_BYTES = 16
_RAW_KEEP = 32  # bytes of a refused frame kept for the log

UNREADABLE = "unreadable bytes from the scanner: ignored"


def strip_controls(text: str) -> str:
    """Return ``text`` without control characters, keeping GS (0x1D)."""
    return text.translate(_CONTROL_TABLE)


@dataclass(frozen=True)
class ScannerConfig:
    """How one serial scanner is attached and what it sends.

    ``terminator`` may be given as bytes or str. CR, LF and CRLF are treated alike (any run of CR
    and LF ends a scan); otherwise it must be one control byte such as Tab (b"\\t") or ETX.
    ``prefix`` and ``suffix`` are what the scanner is programmed to add around each code.
    """

    port: str = ""
    baud: int = 9600
    terminator: bytes = b"\r"
    prefix: str = ""
    suffix: str = ""
    min_length: int = 4
    max_length: int = 64
    encoding: str = "ascii"

    def __post_init__(self) -> None:
        # Frozen: normalise through object.__setattr__, once, here.
        term: bytes | str = self.terminator
        if isinstance(term, str):
            term = term.encode("latin-1", errors="replace")
            object.__setattr__(self, "terminator", term)
        if term not in _CRLF_TERMINATORS and not (
            len(term) == 1 and 0x01 <= term[0] <= 0x1F and term[0] != 0x1D
        ):
            raise ValueError(
                f"scanner terminator must be CR, LF, CRLF, Tab or one control byte, not {term!r}"
            )
        try:
            canonical = codecs.lookup(self.encoding).name
        except LookupError:
            raise ValueError(f"unknown scanner encoding {self.encoding!r}") from None
        if canonical not in _ENCODINGS:
            raise ValueError(f"scanner encoding must be ascii, latin-1 or utf-8, not {self.encoding!r}")
        object.__setattr__(self, "encoding", canonical)
        if self.baud <= 0:
            raise ValueError(f"scanner baud rate must be positive, not {self.baud}")
        if self.min_length < 1 or self.max_length < self.min_length:
            raise ValueError(
                f"scanner lengths must satisfy 1 <= min_length <= max_length, "
                f"not {self.min_length}..{self.max_length}"
            )
        for name in ("prefix", "suffix"):
            value: str = getattr(self, name)
            try:
                encoded = value.encode(canonical)
            except UnicodeEncodeError:
                raise ValueError(f"scanner {name} {value!r} cannot be sent in {self.encoding}") from None
            if any(b in self.terminator_bytes for b in encoded):
                raise ValueError(f"scanner {name} {value!r} contains the terminator")

    @property
    def terminator_bytes(self) -> frozenset[int]:
        """The byte values that end a frame."""
        if self.terminator in _CRLF_TERMINATORS:
            return frozenset({0x0D, 0x0A})
        return frozenset(self.terminator)

    @property
    def max_frame_bytes(self) -> int:
        """The longest frame, in bytes, that could still hold a code of ``max_length`` characters."""
        affixes = len(self.prefix.encode(self.encoding)) + len(self.suffix.encode(self.encoding))
        return self.max_length * _ENCODINGS[self.encoding] + affixes + _SLACK_BYTES


@dataclass(frozen=True)
class ScanRefused:
    """A frame that is not a usable scan; ``reason`` is plain words for the station's screen."""

    reason: str
    raw: bytes = b""  # the start of the offending bytes, for the log only


FrameResult = str | ScanRefused
"""A good code, or a refusal."""


class ScanFramer:
    """Incremental framer: ``feed(bytes)`` returns the results those bytes completed."""

    def __init__(self, config: ScannerConfig) -> None:
        self._config = config
        self._term_re = re.compile(
            b"[" + b"".join(re.escape(bytes([b])) for b in config.terminator_bytes) + b"]"
        )
        self._limit = config.max_frame_bytes
        self._prefix = strip_controls(config.prefix).strip(" ")
        self._suffix = strip_controls(config.suffix).strip(" ")
        self._too_long = ScanRefused(f"scan too long (over {config.max_length} characters): ignored")
        self._too_short = ScanRefused(f"scan too short (under {config.min_length} characters): ignored")
        self._buf = bytearray()
        self._discarding = False  # inside an overlong frame, already reported

    @property
    def config(self) -> ScannerConfig:
        return self._config

    @property
    def pending(self) -> int:
        """Bytes held from an unterminated frame (0 while discarding an overlong one)."""
        return len(self._buf)

    def reset(self) -> bool:
        """Forget any partial frame (the port was closed); True if bytes were dropped."""
        dropped = bool(self._buf) or self._discarding
        self._buf.clear()
        self._discarding = False
        return dropped

    def feed(self, data: bytes | bytearray | memoryview) -> list[FrameResult]:
        """Take the next bytes from the port; return every result they complete, in order."""
        data = bytes(data)
        out: list[FrameResult] = []
        start = 0
        for match in self._term_re.finditer(data):
            self._append(data[start : match.start()], out)
            self._end_frame(out)
            start = match.end()
        self._append(data[start:], out)
        return out

    def _append(self, chunk: bytes, out: list[FrameResult]) -> None:
        if self._discarding or not chunk:
            return
        if len(self._buf) + len(chunk) > self._limit:
            # Report the moment we know, not at the terminator: it may never come.
            self._buf.extend(chunk[: self._limit - len(self._buf)])
            out.append(ScanRefused(self._too_long.reason, bytes(self._buf[:_RAW_KEEP])))
            self._buf.clear()
            self._discarding = True
            return
        self._buf.extend(chunk)

    def _end_frame(self, out: list[FrameResult]) -> None:
        if self._discarding:
            self._discarding = False
            return
        if not self._buf:
            return
        frame = bytes(self._buf)
        self._buf.clear()
        result = self._decide(frame)
        if result is not None:
            out.append(result)

    def _decide(self, frame: bytes) -> FrameResult | None:
        raw = frame[:_RAW_KEEP]
        try:
            text = frame.decode(self._config.encoding)
        except UnicodeDecodeError:
            return ScanRefused(UNREADABLE, raw)
        code = strip_controls(text).strip(" ")
        if not code:
            return None  # only control characters or spaces: a glitch, not a scan attempt
        if _C1_OR_NUL.search(text):
            return ScanRefused(UNREADABLE, raw)
        if self._prefix:
            if not code.startswith(self._prefix):
                return ScanRefused("scan without the expected prefix: ignored", raw)
            code = code[len(self._prefix) :]
        if self._suffix:
            if not code.endswith(self._suffix):
                return ScanRefused("scan without the expected suffix: ignored", raw)
            code = code[: len(code) - len(self._suffix)]
        code = code.strip(" ")
        if len(code) > self._config.max_length:
            return ScanRefused(self._too_long.reason, raw)
        if len(code) < self._config.min_length:
            return ScanRefused(self._too_short.reason, raw)
        return code
