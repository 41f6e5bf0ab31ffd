"""Pull pages as spliced bytes: the stored payload text goes out as it is, and nothing already stored
can make a page fail: an unservable row is skipped with its reason."""

from __future__ import annotations

import json

from jitdesk.sync.server.pages import Page, encode_item, page_body


def row(payload_text: str, seq: int = 7, event_id: str = "e1") -> tuple[object, ...]:
    return (event_id, "P1", "d1", 3, 123 << 16, "2026-11-22T05:00:00.000Z", "test.thing.noted", "x", None,
            payload_text, 1, seq, "2026-11-22T05:00:01.000Z")


def test_payload_text_is_spliced_unchanged() -> None:
    item, reason = encode_item(row('{"n":1.5e+16,"t":"é"}'))
    assert item is not None and reason is None
    assert b'"payload":{"n":1.5e+16,"t":"\xc3\xa9"}}' in item
    data = json.loads(item)
    assert data["payload"] == {"n": 1.5e16, "t": "é"} and data["server_seq"] == 7 and data["actor"] is None


def test_a_lone_surrogate_is_not_served_and_says_why() -> None:
    item, reason = encode_item(row('{"t":"S\ud800"}'))
    assert item is None and reason and "surrogate" in reason


def test_a_payload_too_deep_is_not_served_and_says_why() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    item, reason = encode_item(row('{"d":' + deep + "}"))
    assert item is None and reason


def test_many_brackets_that_nest_shallowly_are_served() -> None:
    flat = '{"a":[' + ",".join(["[]"] * 50) + "]}"
    item, reason = encode_item(row(flat))
    assert reason is None
    assert item is not None and json.loads(item)["payload"]["a"] == [[]] * 50


def test_an_event_id_that_is_not_text_is_not_served() -> None:
    item, reason = encode_item(row("{}", event_id="e\ud800"))
    assert item is None and reason


def test_text_that_is_not_json_is_not_served() -> None:
    item, reason = encode_item(row('{"t": tru'))
    assert item is None and reason and "JSON" in reason


def test_page_body_says_where_to_go_on() -> None:
    items = b",".join(encode_item(row("{}", seq))[0] or b"" for seq in (4, 5))
    skipped = ({"server_seq": 6, "event_id": "e6", "reason": "held"},)
    body = json.loads(page_body(Page(items, 2, 6, 9, skipped), "srv", 1000))
    assert [e["server_seq"] for e in body["events"]] == [4, 5]
    assert (body["next"], body["more"], body["server_id"], body["server_time_ms"]) == (6, True, "srv", 1000)
    assert body["skipped"] == list(skipped)
    empty = json.loads(page_body(Page(b"", 0, 9, 9), "srv", 1000))
    assert empty == {"events": [], "next": 9, "more": False, "server_id": "srv", "server_time_ms": 1000,
                     "skipped": []}


def test_an_integer_past_64_bits_in_a_payload_with_many_brackets_is_served_exactly() -> None:
    # more brackets than the depth limit: not spliced, so encoded again, where orjson stops at 64 bits
    payload = {"n": 2**70, "l": [[1]] * 20}
    body, reason = encode_item(row(json.dumps(payload)))
    assert reason is None and body is not None
    assert json.loads(body)["payload"] == payload
