"""Payload rules: valid UTF-8 text (no lone surrogates, in values or keys), at most 32 levels, JSON only."""

from __future__ import annotations

from typing import Any

import pytest

from jitdesk.domain.errors import BadInput
from jitdesk.domain.events import event_from_dict
from jitdesk.domain.payload_rules import MAX_DEPTH, payload_problem


def _nested(levels: int) -> dict[str, Any]:
    out: dict[str, Any] = {"x": 1}
    for _ in range(levels - 1):
        out = {"n": [out]} if levels % 2 else {"n": out}
    return out


def test_plain_payloads_pass() -> None:
    assert payload_problem({"name": "Bolt M8 ✓ 🔩", "n": [1, 2.5, None, True], "deep": {"a": {"b": "c"}}}) is None


@pytest.mark.parametrize("payload", [{"v": "S\ud800"}, {"S\udfff": 1}, {"a": [{"b": ["\udc00"]}]}])
def test_lone_surrogates_are_named(payload: dict[str, Any]) -> None:
    problem = payload_problem(payload)
    assert problem is not None and "UTF-8" in problem


def test_nesting_stops_at_the_cap() -> None:
    flat: dict[str, Any] = {"x": 1}
    for _ in range(MAX_DEPTH - 1):
        flat = {"n": flat}
    assert payload_problem(flat) is None
    assert "32 levels" in (payload_problem({"n": flat}) or "")
    assert "32 levels" in (payload_problem(_nested(5000)) or "")  # no RecursionError however deep


@pytest.mark.parametrize("payload", [{"v": float("nan")}, {"v": object()}, {1: "x"}, ["not", "an object"]])
def test_what_is_not_json_is_refused(payload: Any) -> None:
    assert payload_problem(payload) is not None


def test_envelopes_with_such_payloads_are_refused() -> None:
    data = {"event_id": "e1", "plant_id": "P", "device_id": "d", "device_seq": 1, "hlc": 1, "wall_time": "t",
            "kind": "x.y.z", "entity_id": "e", "actor": None, "payload": {"v": "\ud800"}, "schema_version": 1}
    with pytest.raises(BadInput, match="UTF-8"):
        event_from_dict(data)
