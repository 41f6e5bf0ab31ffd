"""Property, through a real server process: random envelopes (any unicode, lone surrogates as escapes
and as raw bytes, deep nesting, repeated ids) are either refused with a reason or stored, and a full
pull gives back exactly what was accepted, each once, and never fails."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jitdesk.domain.ids import uuid7
from jitdesk.domain.payload_rules import payload_problem
from tests.helpers.sync_server import ServerProcess, make_token

SURROGATES = st.sampled_from(["\ud800", "\udbff", "\udc00", "\udfff"])
CHARS = st.one_of(st.characters(), SURROGATES)
TEXT = st.text(CHARS, max_size=8)
LEAF = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False,
                                                                                  allow_infinity=False), TEXT)
VALUE = st.recursive(LEAF, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                     max_leaves=12)


def _nest(value: Any, levels: int) -> dict[str, Any]:
    out: dict[str, Any] = {"v": value}
    for _ in range(levels - 1):
        out = {"n": out}
    return out


PAYLOAD = st.one_of(st.dictionaries(TEXT, VALUE, max_size=4),
                    st.builds(_nest, VALUE, st.integers(28, 40)))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    work: Path = tmp_path_factory.mktemp("admission")
    db = str(work / "server.db")
    token = make_token(db, "P1", "st1", "station")
    proc = ServerProcess(db, work).start()
    try:
        yield proc.url, token
    finally:
        proc.stop()


class Counter:
    seq = 0


def _body(batch: list[dict[str, Any]], raw_bytes: bool) -> bytes:
    if not raw_bytes:
        return json.dumps({"events": batch}).encode()  # surrogates as \\ud800 escapes
    # Surrogates as the raw bytes ED A0 80 ... that a careless encoder writes.
    return json.dumps({"events": batch}, ensure_ascii=False).encode("utf-8", "surrogatepass")


def _canon(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass").hex()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(payloads=st.lists(PAYLOAD, min_size=1, max_size=6), repeat=st.booleans(), raw_bytes=st.booleans())
def test_what_is_pulled_is_exactly_what_was_accepted(server: tuple[str, str], payloads: list[dict[str, Any]],
                                                     repeat: bool, raw_bytes: bool) -> None:
    url, token = server
    headers = {"Authorization": f"Bearer {token}"}
    batch = []
    for payload in payloads:
        Counter.seq += 1
        batch.append({"event_id": uuid7(), "plant_id": "P1", "device_id": "dev-prop", "device_seq": Counter.seq,
                      "hlc": (1_700_000_000_000 + Counter.seq) << 16, "wall_time": "2026-12-02T01:00:00.000Z",
                      "kind": "test.prop.noted", "entity_id": "e1", "actor": None, "payload": payload,
                      "schema_version": 1})
    if repeat:  # the same id again with other content: a conflict, never stored in place of the first
        batch.append({**batch[0], "device_seq": Counter.seq + 1000, "payload": {"other": True}})
    answer = httpx.post(url + "/v1/events", content=_body(batch, raw_bytes), headers={
        **headers, "Content-Type": "application/json"}, timeout=30)
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    for sent, result in zip(batch[:len(payloads)], results, strict=False):
        ok = payload_problem(sent["payload"]) is None
        assert (result["status"] == "accepted") == ok, (result, sent["payload"])
        if not ok:
            assert result["reason"]
    if repeat:  # a conflict when the first copy was taken; else the first valid copy, stored
        assert results[-1]["status"] == ("conflict" if results[0]["status"] == "accepted" else "accepted")
    accepted = {b["event_id"]: b for b, r in zip(batch, results, strict=True) if r["status"] == "accepted"}

    pulled: dict[str, dict[str, Any]] = {}
    after = 0
    while True:
        page = httpx.get(url + "/v1/events", params={"after": after, "limit": 1000}, headers=headers, timeout=30)
        assert page.status_code == 200, page.text
        data = page.json()
        for event in data["events"]:
            assert event["event_id"] not in pulled, "an event came twice"
            pulled[event["event_id"]] = event
        assert data["skipped"] == []
        after = data["next"]
        if not data["more"]:
            break
    for event_id, sent in accepted.items():
        got = pulled[event_id]
        for name, value in sent.items():
            assert _canon(got[name]) == _canon(value), name
    assert not {b["event_id"] for b in batch if b["event_id"] not in accepted} & set(pulled) - set(accepted)
