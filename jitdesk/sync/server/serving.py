"""The serve-side guard: a stored row that cannot be served is skipped with a reason, never a 500.

Push admission keeps such rows out, but a database written by an older version (or by hand) may
still hold one: a payload with a lone surrogate, absurd nesting, text that is not JSON. And an
admin may hold a stored event back (`jitdesk server events quarantine`). Either way the pull goes
on past it: the page's cursor moves over the row and the answer lists it under `skipped` with the
reason, so every client (a station, a hub's relay) records it where people can see it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from jitdesk.domain.payload_rules import payload_problem
from jitdesk.sync import wire

TEXT_COLUMNS = ("event_id", "plant_id", "device_id", "wall_time", "kind", "entity_id")


@dataclass
class ServedPage:
    events: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)  # server_seq, event_id, reason
    last: int = 0  # the last server_seq looked at (served or skipped): the next cursor
    newest: int = 0
    unservable: list[tuple[str, str]] = field(default_factory=list)  # (event_id, reason) to hold from now on


def serve(rows: Sequence[Any], held: Mapping[str, str], after: int) -> ServedPage:
    """Rows in `_COLUMNS` order (see `store`), `held` event id -> reason."""
    page = ServedPage(last=after)
    for r in rows:
        page.last = max(page.last, r[11])
        reason = held.get(r[0])
        item = None
        if reason is None:
            item, reason = as_wire(r)
        if item is None:
            page.skipped.append({"server_seq": r[11], "event_id": wire.raw_hints({"event_id": r[0]})[0],
                                 "reason": reason})
            if r[0] not in held:
                page.unservable.append((r[0], reason or "cannot be served"))
            continue
        page.events.append(item)
    return page


def as_wire(r: Any) -> tuple[dict[str, Any] | None, str | None]:
    """The row as a wire envelope, or None and why it cannot be served."""
    try:
        payload = json.loads(r[9])
    except (ValueError, RecursionError):
        return None, "the stored payload is not readable JSON"
    problem = payload_problem(payload)
    if problem is not None:
        return None, f"the stored event cannot be served: {problem}"
    for name, value in zip(TEXT_COLUMNS, r[:3] + r[5:8], strict=True):
        if not isinstance(value, str) or not wire.storable_text(value):
            return None, f"the stored event's {name} is not valid text"
    if r[8] is not None and not wire.storable_text(r[8]):
        return None, "the stored event's actor is not valid text"
    return {
        "event_id": r[0], "plant_id": r[1], "device_id": r[2], "device_seq": r[3], "hlc": r[4],
        "wall_time": r[5], "kind": r[6], "entity_id": r[7], "actor": r[8], "payload": payload,
        "schema_version": r[10], "server_seq": r[11], "received_at": r[12],
    }, None

