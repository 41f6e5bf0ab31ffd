"""Push admission: which events of a batch may be stored, decided before the write lock is taken.

What is stored is exactly what was accepted, and everything stored can be served (DESIGN section 4):
- every envelope is parsed and its payload checked on its own (`wire.parse_event`: UTF-8 text
  without lone surrogates, at most 32 levels of nesting, finite numbers, at most 64 KiB);
- one event id is one content: the first valid copy of an id in a batch is the candidate; a later
  identical copy is answered like the first, a later different one is a `conflict` (never stored,
  never lending its payload to the first);
- an id already stored answers `duplicate` only when the content is the same; another content is a
  `conflict` that names no server_seq and no other plant's anything (no existence leak).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from jitdesk.domain.errors import BadInput
from jitdesk.domain.events import Event
from jitdesk.sync import wire

Fingerprint = tuple[Any, ...]


@dataclass(frozen=True)
class Candidate:
    index: int
    event: Event
    text: str  # the payload as stored and served

    @property
    def fingerprint(self) -> Fingerprint:
        return fingerprint(self.event, self.text)


@dataclass
class Admission:
    results: list[dict[str, Any]]
    candidates: list[Candidate] = field(default_factory=list)
    copies: dict[int, int] = field(default_factory=dict)  # batch index -> index of the first copy
    names: dict[str, str] = field(default_factory=dict)  # a hub's word: device_id -> its token's name there

    def settle_copies(self) -> None:
        """Identical repeats in the batch answer what their first copy got (duplicate if stored)."""
        for index, first in self.copies.items():
            got = self.results[first]
            if got.get("status") in (wire.ACCEPTED, wire.DUPLICATE):
                self.results[index] = {**got, "status": wire.DUPLICATE}
            else:
                self.results[index] = {**got}


def fingerprint(event: Event, text: str) -> Fingerprint:
    return (event.plant_id, event.device_id, event.device_seq, event.hlc, event.wall_time, event.kind,
            event.entity_id, event.actor, event.schema_version, text)


def admit(batch: Sequence[object], rights: Callable[[Event], str | None]) -> Admission:
    """Parse and check each item; `rights(event)` names why this token may not write it, or None."""
    admission = Admission([{}] * len(batch))
    first_of: dict[str, Candidate] = {}
    for i, raw in enumerate(batch):
        event_id = raw.get("event_id") if isinstance(raw, Mapping) else None
        event_id = event_id if isinstance(event_id, str) and len(event_id) <= 200 else None
        try:
            event = wire.parse_event(raw, check_size=False)
            text = wire.payload_text(event)
        except BadInput as error:
            admission.results[i] = rejected(event_id, str(error))
            continue
        problem = rights(event)
        if problem:
            admission.results[i] = rejected(event.event_id, problem)
            continue
        candidate = Candidate(i, event, text)
        first = first_of.get(event.event_id)
        if first is None:
            first_of[event.event_id] = candidate
            admission.candidates.append(candidate)
        elif first.fingerprint == candidate.fingerprint:
            admission.copies[i] = first.index
        else:
            admission.results[i] = conflict(event.event_id, "another event with this id, and other content, "
                                                             "is earlier in the same batch")
    return admission


def verdict_on_stored(candidate: Candidate, stored: Mapping[str, Any]) -> dict[str, Any]:
    """The answer for an id the server already holds (`stored`: its row): duplicate or conflict."""
    event = candidate.event
    same = stored["plant_id"] == event.plant_id and _same_content(candidate, stored)
    if same:
        return {"event_id": event.event_id, "status": wire.DUPLICATE, "server_seq": stored["server_seq"],
                "reason": None}
    return conflict(event.event_id, "this event id is already used by an event with other content; "
                                    "the event was not stored (make it again with a new id)")


def _same_content(candidate: Candidate, stored: Mapping[str, Any]) -> bool:
    event = candidate.event
    head = (stored["device_id"], stored["device_seq"], stored["hlc"], stored["wall_time"], stored["kind"],
            stored["entity_id"], stored["actor"], stored["schema_version"])
    if head != (event.device_id, event.device_seq, event.hlc, event.wall_time, event.kind, event.entity_id,
                event.actor, event.schema_version):
        return False
    if stored["payload"] == candidate.text:
        return True
    try:  # the same content written with another key order or spacing
        return bool(json.loads(stored["payload"]) == event.payload)
    except (ValueError, RecursionError):
        return False


def rejected(event_id: str | None, reason: str) -> dict[str, Any]:
    return {"event_id": event_id, "status": wire.REJECTED, "server_seq": None, "reason": reason}


def conflict(event_id: str | None, reason: str) -> dict[str, Any]:
    return {"event_id": event_id, "status": wire.CONFLICT, "server_seq": None, "reason": reason}
