"""The call type's rules in plain words: the demo's types pass, each bad field is named."""

from __future__ import annotations

from dataclasses import replace

import pytest

from jitdesk.domain.andon.call_type_rules import check_call_type
from jitdesk.services.demo.master import CALL_TYPES


def test_the_demo_types_pass() -> None:
    assert [check_call_type(t) for t in CALL_TYPES] == [None] * len(CALL_TYPES)


@pytest.mark.parametrize(("change", "words"), [
    ({"code": " "}, "the code may not be empty"),
    ({"code": "TOOLING-1"}, "must be 1 to 8 letters"),
    ({"name": ""}, "the name may not be empty"),
    ({"color": "#FFF"}, "is not # and six hex digits"),
    ({"color": "#1b5e20"}, "too close to the board's green"),
    ({"symbol": "▲ "}, "one or two characters"),
    ({"symbol": "ABC"}, "one or two characters"),
    ({"sound": "Beep!"}, "is not a sound name"),
    ({"severity": "urgent"}, "is not one of low, medium, high, critical"),
    ({"responder_role": "boss"}, "the responding role 'boss' is not one of"),
])
def test_each_bad_field_is_named(change: dict[str, str], words: str) -> None:
    problem = check_call_type(replace(CALL_TYPES[0], **change))
    assert problem is not None and words in problem
