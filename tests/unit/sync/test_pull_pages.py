"""Pull pages as spliced bytes: the stored payload text goes out as it is, and nothing already stored
can make a page fail to encode."""

from __future__ import annotations

import json

from jitdesk.sync.server.pages import Page, encode_item, page_body


def row(payload_text: str, seq: int = 7) -> tuple[object, ...]:
    return ("e1", "P1", "d1", 3, 123 << 16, "2026-11-22T05:00:00.000Z", "test.thing.noted", "x", None,
            payload_text, 1, seq, "2026-11-22T05:00:01.000Z")


def test_payload_text_is_spliced_unchanged() -> None:
    item = encode_item(row('{"n":1.5e+16,"t":"é"}'))
    assert b'"payload":{"n":1.5e+16,"t":"\xc3\xa9"}}' in item
    data = json.loads(item)
    assert data["payload"] == {"n": 1.5e16, "t": "é"} and data["server_seq"] == 7 and data["actor"] is None


def test_a_lone_surrogate_goes_out_escaped() -> None:
    data = json.loads(encode_item(row('{"t":"S\ud800"}')))
    assert data["payload"] == {"t": "S\ud800"}


def test_a_payload_too_deep_to_read_goes_out_as_text() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    data = json.loads(encode_item(row('{"t":"\ud800","d":' + deep + "}")))
    assert isinstance(data["payload"], str)


def test_page_body_says_where_to_go_on() -> None:
    items = b",".join(encode_item(row("{}", seq)) for seq in (4, 5))
    body = json.loads(page_body(Page(items, 2, 5, 9), "srv", 1000))
    assert [e["server_seq"] for e in body["events"]] == [4, 5]
    assert (body["next"], body["more"], body["server_id"], body["server_time_ms"]) == (5, True, "srv", 1000)
    empty = json.loads(page_body(Page(b"", 0, 9, 9), "srv", 1000))
    assert empty == {"events": [], "next": 9, "more": False, "server_id": "srv", "server_time_ms": 1000}
