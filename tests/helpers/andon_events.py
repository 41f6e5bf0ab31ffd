"""Builders for the andon tests: call events with a valid envelope, and call types."""

from __future__ import annotations

from typing import Any

from jitdesk.domain.andon.call import CALL_RAISED
from jitdesk.domain.events import Event
from jitdesk.domain.master import CallType
from tests.helpers.kanban_events import MIN, T0, event

__all__ = ["CALL_ID", "MIN", "T0", "call_event", "maint", "raised", "stop_type"]

CALL_ID = "call-1"


def call_event(kind: str, payload: dict[str, Any], *, ms: int, actor: str | None = None, device: str = "dev-a",
               seq: int = 1, entity_id: str = CALL_ID) -> Event:
    return event(kind, payload, ms=ms, entity_id=entity_id, device=device, seq=seq)._replace(actor=actor)


def raised(ms: int = T0, *, station: str = "st-1", call_type: str = "ct-maint", stops_line: bool = False,
           severity: str = "medium", device: str = "dev-a", seq: int = 1, entity_id: str = CALL_ID) -> Event:
    return call_event(CALL_RAISED, {"station_id": station, "call_type_id": call_type, "source": "button",
                                    "severity": severity, "stops_line": stops_line},
                      ms=ms, device=device, seq=seq, entity_id=entity_id)


def maint(**changes: Any) -> CallType:
    base = CallType(code="MAINT", name="Maintenance", color="#2979FF", escalate_minutes=(5, 15, 30),
                    responder_role="supervisor")
    return CallType(**{**base.__dict__, **changes})


def stop_type() -> CallType:
    return maint(code="STOP", name="Line stop", stops_line=True, escalate_minutes=(10, 20),
                 escalate_takts=(1, 3), escalate_to=("team leader", "supervisor"), responder_role="operator")
