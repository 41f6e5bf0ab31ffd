"""Event kinds validate their payloads and refuse bad ones with a message naming the field."""

from __future__ import annotations

from typing import Any

import pytest

import jitdesk.domain.catalog  # noqa: F401
from jitdesk.domain.errors import BadInput, PayloadError
from jitdesk.domain.events import REGISTRY, Event, EventKind, Registry, event_from_dict
from jitdesk.domain.ids import uuid7
from jitdesk.domain.schema import Int, Schema, Str


def envelope(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "event_id": uuid7(), "plant_id": "p", "device_id": "d", "device_seq": 1, "hlc": 1 << 20,
        "wall_time": "2026-11-22T05:00:00.000Z", "kind": "master.part.upserted", "entity_id": "e1",
        "actor": None, "payload": {"number": "P-1", "name": "Bolt"}, "schema_version": 1,
    }
    base.update(over)
    return base


@pytest.mark.parametrize(
    ("payload", "field", "words"),
    [
        ({"name": "Bolt"}, "number", "is missing"),
        ({"number": "P-1", "name": ""}, "name", "may not be empty"),
        ({"number": "P-1", "name": 7}, "name", "must be of type str"),
        ({"number": "P-1", "name": "Bolt", "colour": "red"}, "colour", "is not a known field"),
        ({"number": "P-1", "name": "x" * 500}, "name", "is too long"),
        ({"number": "P-1", "name": "Bolt", "active": "yes"}, "active", "must be of type bool"),
    ],
)
def test_bad_part_payloads_name_the_field(payload: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(PayloadError) as caught:
        REGISTRY.validate("master.part.upserted", 1, payload)
    assert caught.value.field == field
    assert words in str(caught.value)
    assert f"'{field}'" in str(caught.value)


def test_nested_fields_are_named_with_their_path() -> None:
    payload = {"name": "Two shifts", "shifts": [{"name": "A", "start": "06:00", "end": "14:00",
                                                   "breaks": [{"start": "09:00"}]}]}
    with pytest.raises(PayloadError, match=r"shifts\[0\]\.breaks\[0\]\.end' is missing"):
        REGISTRY.validate("master.calendar.upserted", 1, payload)


def test_role_must_be_one_of_the_roles() -> None:
    with pytest.raises(PayloadError, match="must be one of operator, supervisor, admin"):
        REGISTRY.validate("master.user.upserted", 1, {"name": "A", "badge": "B001", "role": "boss",
                                                      "pin_hash": "x"})


def test_event_from_dict_accepts_a_good_envelope() -> None:
    event = event_from_dict(envelope())
    assert isinstance(event, Event)
    assert event.payload["number"] == "P-1"


@pytest.mark.parametrize(
    ("over", "words"),
    [
        ({"device_seq": 0}, "out of range"),
        ({"device_seq": True}, "'device_seq' has the wrong type"),
        ({"hlc": "soon"}, "'hlc' has the wrong type"),
        ({"kind": "no.such.kind"}, "unknown event kind 'no.such.kind'"),
        ({"schema_version": 9}, "9 is not known"),
        ({"actor": 5}, "'actor' must be a string or null"),
        ({"payload": []}, "must be a JSON object"),
        ({"entity_id": ""}, "'entity_id' must be 1 to 200 characters"),
    ],
)
def test_bad_envelopes_are_refused_in_plain_words(over: dict[str, Any], words: str) -> None:
    with pytest.raises(BadInput, match=words):
        event_from_dict(envelope(**over))


def test_missing_envelope_field_is_named() -> None:
    data = envelope()
    del data["wall_time"]
    with pytest.raises(BadInput, match="'wall_time' is missing"):
        event_from_dict(data)


def test_upcasters_raise_old_payloads_to_the_newest_version() -> None:
    registry = Registry()
    registry.register(EventKind(
        "demo.thing.set",
        {1: Schema({"n": Int()}), 2: Schema({"n": Int(), "label": Str()})},
        upcasters={1: lambda p: {**p, "label": "none"}},
    ))
    old = event_from_dict(envelope(kind="demo.thing.set", payload={"n": 3}), registry)
    new = registry.upcast(old)
    assert new.schema_version == 2
    assert new.payload == {"n": 3, "label": "none"}
