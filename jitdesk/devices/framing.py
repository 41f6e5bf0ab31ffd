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
   NUL and other control bytes at either edge of a frame are stripped first (some scanners pad
   with them); only those inside a code make it unreadable.
4. Control characters are stripped, except GS (0x1D, FNC1 in GS1 codes), which is kept.
   Surrounding spaces are trimmed.
5. A configured prefix and suffix must be present and are removed; a frame without them is not a
   whole scan (for example the tail of a scan read right after plugging in) and is refused.
   An AIM symbology identifier (``]`` + a letter + a character: ``]C0``, ``]C1``, ``]E0``, ``]Q3``)
   in front of the code is removed automatically.
6. Length: fewer than ``min_length`` or more than ``max_length`` characters are refused.
7. Terminator mismatch: a frame in which another common terminator (CR, LF, Tab) than the one
   configured separates characters is scans glued together by a scanner programmed differently:
   refused with words naming the setting to change.
8. Silence: ``idle()`` (the reader calls it after ``idle_ms`` without a byte) ends a partial frame.
   Its bytes are dropped with a refusal ("half a scan dropped after a pause", or the terminator
   mismatch when that is what it was), and an overlong frame being discarded ends too, so the next
   good scan is never glued to noise.

Every refusal carries ``note``, a message code with raw parameters (``jitdesk.domain.scanner``) for
the scan log; ``reason`` holds the same in English for the log file.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from jitdesk.domain import scanner as notes
from jitdesk.domain.messages import Message, message

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
# Terminators a differently programmed scanner may send instead of the configured one.
_COMMON_TERMINATORS = (b"\r\n", b"\r", b"\n", b"\t")
_AIM = re.compile(r"\][A-Za-z][0-9A-Za-z]")

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
    idle_ms: int = 300  # a silence this long ends a partial frame (see ScanFramer.idle)

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
        if self.idle_ms <= 0:
            raise ValueError(f"scanner idle_ms must be positive, not {self.idle_ms}")
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
    note: Message = field(default_factory=lambda: message(notes.UNREADABLE))  # the scan log's code


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
        self._too_long = ScanRefused(f"scan too long (over {config.max_length} characters): ignored",
                                     note=message(notes.TOO_LONG, max=config.max_length))
        self._too_short = ScanRefused(f"scan too short (under {config.min_length} characters): ignored",
                                      note=message(notes.TOO_SHORT, min=config.min_length))
        self._foreign = [t for t in _COMMON_TERMINATORS if not set(t) & config.terminator_bytes]
        self._buf = bytearray()
        self._discarding = False  # inside an overlong frame, already reported

    @property
    def config(self) -> ScannerConfig:
        return self._config

    @property
    def pending(self) -> int:
        """Bytes held from an unterminated frame (0 while discarding an overlong one)."""
        return len(self._buf)

    @property
    def holding(self) -> bool:
        """A partial frame is held, or an overlong one is being discarded: ``idle()`` would end it."""
        return bool(self._buf) or self._discarding

    def idle(self) -> list[FrameResult]:
        """The line went silent (``idle_ms`` without a byte): end the partial frame, see rule 8."""
        if self._discarding:
            self._discarding = False
            return []
        if not self._buf:
            return []
        frame = bytes(self._buf)
        self._buf.clear()
        mismatch = self._mismatch(frame, trailing=True)
        if mismatch is not None:
            return [mismatch]
        shown = frame.decode("latin-1")
        if not strip_controls(shown).strip(" "):
            return []  # a stray control byte or two: nothing a person would call a scan
        text = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in shown)
        text = text if len(text) <= _RAW_KEEP else text[: _RAW_KEEP - 1] + "…"
        return [ScanRefused("half a scan dropped after a pause: ignored", frame[:_RAW_KEEP],
                            message(notes.PARTIAL, text=text))]

    def _mismatch(self, frame: bytes, *, trailing: bool) -> ScanRefused | None:
        """Rule 7: another terminator than the configured one ends characters in this frame. In a
        frame the configured terminator ended, characters must follow it too (a trailing CR before
        a configured Tab is only an edge control byte); in one a silence ended (``trailing``), not."""
        for term in self._foreign:
            pieces = frame.split(term)
            if len(pieces) < 2:
                continue
            filled = [bool(p.strip(b"\x00\r\n\t ")) for p in pieces]
            if not any(filled[:-1]) or not (trailing or any(filled[1:])):
                continue
            sent = notes.terminator_name(term)
            configured = notes.terminator_name(self._config.terminator)
            return ScanRefused(
                f"the scanner ends its scans with {sent} but [scanner] terminator is {configured}: ignored",
                frame[:_RAW_KEEP], message(notes.TERMINATOR_MISMATCH, sent=sent, configured=configured,
                                           setting=notes.SETTING_VALUES.get(sent, sent)))
        return None

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
            frame = bytes(self._buf)
            out.append(self._mismatch(frame, trailing=False)
                       or ScanRefused(self._too_long.reason, frame[:_RAW_KEEP], self._too_long.note))
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
        mismatch = self._mismatch(frame, trailing=False)
        if mismatch is not None:
            return mismatch
        if _C1_OR_NUL.search(_strip_edges(text)):
            return ScanRefused(UNREADABLE, raw)
        code = self._strip_aim(code)
        if self._prefix:
            if not code.startswith(self._prefix):
                return ScanRefused("scan without the expected prefix: ignored", raw,
                                   message(notes.NO_PREFIX, prefix=self._prefix))
            code = self._strip_aim(code[len(self._prefix) :])
        if self._suffix:
            if not code.endswith(self._suffix):
                return ScanRefused("scan without the expected suffix: ignored", raw,
                                   message(notes.NO_SUFFIX, suffix=self._suffix))
            code = code[: len(code) - len(self._suffix)]
        code = code.strip(" ")
        if len(code) > self._config.max_length:
            return ScanRefused(self._too_long.reason, raw, self._too_long.note)
        if len(code) < self._config.min_length:
            return ScanRefused(self._too_short.reason, raw, self._too_short.note)
        return code

    def _strip_aim(self, code: str) -> str:
        """An AIM symbology identifier in front (rule 5); a configured prefix that is one stays."""
        if self._prefix and code.startswith(self._prefix):
            return code
        return code[3:] if _AIM.match(code) else code


def _strip_edges(text: str) -> str:
    """``text`` without control characters (NUL, C1, ...) and spaces at either edge."""
    start, end = 0, len(text)
    while start < end and (text[start] == " " or (not text[start].isprintable() and text[start] != GS)):
        start += 1
    while end > start and (text[end - 1] == " " or (not text[end - 1].isprintable() and text[end - 1] != GS)):
        end -= 1
    return text[start:end]
