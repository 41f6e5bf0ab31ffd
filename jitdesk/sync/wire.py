"""The wire protocol shared by the client, the server and the hub relay (DESIGN section 4).

Events travel as their envelope (the 11 fields of `ENVELOPE_FIELDS`) in JSON. The server adds
`server_seq` and `received_at` on the way out; a pushed event carrying either is refused.

Unknown kinds: the envelope is always validated, the payload only when this process knows the kind
and its schema version. An event of a kind (or a newer schema version) this process does not know is
stored and relayed as it is, so a new event kind needs no change to the protocol or the server:
only the stations that fold it need the new code. Master data is recognised by the registry's
`master` flag and, for kinds not known here, by the `master.` name prefix.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping

from jitdesk.domain.errors import BadInput
from jitdesk.domain.events import ENVELOPE_FIELDS, REGISTRY, Event, Registry, event_from_dict
from jitdesk.domain.payload_rules import payload_problem
from jitdesk.sync.kinds import register_all

PROTOCOL = 1
PROTOCOL_HEADER = "X-Jitdesk-Protocol"
SERVER_FIELDS = ("server_seq", "received_at")
MAX_BATCH_EVENTS = 1000
MAX_BATCH_BYTES = 4 * 1024 * 1024
MAX_PULL_LIMIT = 10_000  # events per pull page; hello announces it (older servers: 1000)
PULL_PAGE_BYTES = 8 * 1024 * 1024  # a page stops growing past this many bytes (at least one event)
DEFAULT_PULL_LIMIT = 500  # what a client asks of a server whose hello names no limit
MAX_WAIT_S = 30.0
MAX_PAYLOAD_CHARS = 64 * 1024
ACCEPTED, DUPLICATE, REJECTED, CONFLICT = "accepted", "duplicate", "rejected", "conflict"


class _Lenient(Registry):
    """Validates payloads of known kinds and versions; lets unknown ones through as JSON objects."""

    def __init__(self, known: Registry) -> None:
        super().__init__()
        self._known = known

    def validate(self, kind: str, version: int, payload: object) -> None:
        if kind in self._known:
            spec = self._known.get(kind)
            if version <= spec.version:
                self._known.validate(kind, version, payload)
                return
        if not isinstance(payload, Mapping):
            raise BadInput(f"{kind}: field 'payload' must be a JSON object")


class _Unchecked(Registry):
    def validate(self, kind: str, version: int, payload: object) -> None:
        if not isinstance(payload, Mapping):
            raise BadInput(f"{kind}: field 'payload' must be a JSON object")


LENIENT = _Lenient(REGISTRY)
_ENVELOPE = frozenset(ENVELOPE_FIELDS)
_WITH_SERVER = _ENVELOPE | frozenset(SERVER_FIELDS)
_TEXT_FIELDS = ("event_id", "plant_id", "device_id", "wall_time", "kind", "entity_id", "actor")
UNCHECKED = _Unchecked()


def parse_event(data: object, *, from_server: bool = False, check_payload: bool = True,
                check_size: bool = True) -> Event:
    """An event from the wire; BadInput names the problem. Pushed events may not carry server fields."""
    register_all()
    if not isinstance(data, Mapping):
        raise BadInput("an event must be a JSON object")
    allowed = _WITH_SERVER if from_server else _ENVELOPE
    if not data.keys() <= allowed:
        extra = [k for k in data if k not in allowed]
        name = extra[0]
        if name in SERVER_FIELDS:
            raise BadInput(f"event field '{name}' is set by the server; a client may not send it")
        raise BadInput(f"event field '{name}' is not part of the envelope")
    if from_server:
        seq, received = data.get("server_seq"), data.get("received_at")
        if seq is not None and (not isinstance(seq, int) or isinstance(seq, bool) or not 0 < seq < 1 << 63):
            raise BadInput("event field 'server_seq' must be a positive whole number")
        if received is not None and (not isinstance(received, str) or not 0 < len(received) <= 32):
            raise BadInput("event field 'received_at' must be a time text of at most 32 characters")
    event = event_from_dict(data, LENIENT if check_payload else UNCHECKED)
    if event.device_seq >= 1 << 63:
        raise BadInput("event field 'device_seq' is out of range")
    if event.actor is not None and not 0 < len(event.actor) <= 200:
        raise BadInput("event field 'actor' must be 1 to 200 characters or null")
    texts = (event.event_id, event.plant_id, event.device_id, event.wall_time, event.kind, event.entity_id,
             event.actor or "")
    if not _storable("".join(texts)):  # one check for the common case, then find the culprit
        for name, value in zip(_TEXT_FIELDS, texts, strict=True):
            if not _storable(value):
                raise BadInput(f"event field '{name}' holds a NUL or an invalid character")
    if check_size:
        payload_text(event)
    return event


_PULLED = frozenset(ENVELOPE_FIELDS) | frozenset(SERVER_FIELDS)
_LIMIT = 1 << 63


def parse_pulled(data: object) -> Event:
    """`parse_event(data, from_server=True, check_size=False)` for a pulled item, with the usual case
    (every field present and well typed) checked in one pass; anything else goes the long way, which
    names the problem."""
    if type(data) is dict and data.keys() == _PULLED:
        d = data
        texts = (d["event_id"], d["plant_id"], d["device_id"], d["wall_time"], d["kind"], d["entity_id"])
        seq, hlc, version, sseq, received, actor = (d["device_seq"], d["hlc"], d["schema_version"],
                                                    d["server_seq"], d["received_at"], d["actor"])
        if (all(type(t) is str and 0 < len(t) <= 200 for t in texts)
                and type(seq) is int and 0 < seq < _LIMIT and type(hlc) is int and 0 <= hlc < _LIMIT
                and type(version) is int and 0 < version < 1000 and type(sseq) is int and 0 < sseq < _LIMIT
                and type(received) is str and 0 < len(received) <= 32
                and (actor is None or (type(actor) is str and 0 < len(actor) <= 200))
                and _storable("".join(texts) + (actor or ""))):
            register_all()
            payload = d["payload"]
            flat = type(payload) is dict and _flat_and_storable(payload)
            problem = (None if flat else payload_problem(dict(payload)) if type(payload) is dict
                       else "the payload is not an object")
            if problem is not None:  # a copy that lets anything through must not pass it on
                raise BadInput(f"{texts[4]}: {problem}")
            if flat:  # many pulled payloads repeat ({"station_id": ...}): each shape is validated once
                # with each value's type: True == 1 == 1.0, but a schema tells them apart
                key = (texts[4], version, tuple((k, type(v), v) for k, v in payload.items()))
                if key not in _VALID_FLAT:
                    LENIENT.validate(texts[4], version, payload)
                    if len(_VALID_FLAT) >= 4096:
                        _VALID_FLAT.clear()
                    _VALID_FLAT.add(key)
            else:
                LENIENT.validate(texts[4], version, payload)
            return Event(texts[0], texts[1], texts[2], seq, hlc, texts[3], texts[4], texts[5], actor,
                         dict(d["payload"]), version, sseq, received)
    return parse_event(data, from_server=True, check_size=False)


_SCALAR = frozenset({int, bool, type(None)})
_VALID_FLAT: set[tuple[object, ...]] = set()  # (kind, version, payload items) that passed validation


def _flat_and_storable(payload: dict[str, object]) -> bool:
    """True when `payload_problem` would pass this payload and it holds no nested value: the common
    case, checked without building the path names `payload_problem` words its answers with."""
    for key, value in payload.items():
        if type(key) is not str or not _valid_text(key):
            return False
        kind = type(value)
        if kind is str:
            if not _valid_text(value):  # type: ignore[arg-type]
                return False
        elif kind is float:
            if not math.isfinite(value):  # type: ignore[arg-type]
                return False
        elif kind not in _SCALAR:
            return False  # nested (or odd): the full check says what is wrong, if anything
    return True


def _valid_text(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def payload_text(event: Event) -> str:
    """The payload as compact JSON; BadInput when it is too big or holds NaN/Infinity."""
    try:
        text = json.dumps(event.payload, separators=(",", ":"), allow_nan=False)
    except (ValueError, TypeError):
        raise BadInput("event payload holds a number that is not finite") from None
    if len(text) > MAX_PAYLOAD_CHARS:
        raise BadInput("event payload is larger than 64 KiB")
    return text


def storable_text(value: str) -> bool:
    """True for text every database stores and every answer encodes: no NUL, valid UTF-8."""
    return _storable(value)


def _storable(value: str) -> bool:
    if "\x00" in value:
        return False
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def is_master(kind: str) -> bool:
    register_all()
    if kind in REGISTRY:
        return REGISTRY.get(kind).master
    return kind.startswith("master.")


def foldable(event: Event) -> bool:
    """True when this process knows the kind and schema version well enough to fold the event."""
    register_all()
    return event.kind in REGISTRY and event.schema_version <= REGISTRY.get(event.kind).version




MAX_RAW_CHARS = 1024 * 1024


def raw_text(item: object) -> str:
    """A pulled item as text for the quarantine: compact JSON, ASCII-escaped (so lone surrogates and
    NUL characters stay storable), capped at 1 MiB. The page was one JSON document, so this is the
    item as sent up to insignificant whitespace."""
    try:
        text = json.dumps(item, ensure_ascii=True, separators=(",", ":"))
    except (ValueError, TypeError, RecursionError):
        text = repr(item)
    if len(text) > MAX_RAW_CHARS:
        text = text[:MAX_RAW_CHARS] + f"... ({len(text) - MAX_RAW_CHARS} more characters cut)"
    return text


def raw_hints(item: object) -> tuple[str | None, int | None]:
    """(event_id, server_seq) of a broken item where they are usable, for showing and ordering only."""
    if not isinstance(item, Mapping):
        return None, None
    event_id, seq = item.get("event_id"), item.get("server_seq")
    ok_id = event_id if isinstance(event_id, str) and 0 < len(event_id) <= 200 and _storable(event_id) else None
    ok_seq = seq if isinstance(seq, int) and not isinstance(seq, bool) and 0 < seq < 1 << 63 else None
    return ok_id, ok_seq
