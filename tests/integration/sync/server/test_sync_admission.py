"""Events that must never be stored are refused at push, and nothing stored can stop a pull
(SQLite and PostgreSQL): lone surrogates, deep nesting, one id twice in a batch, a reused id with
other content, existence leaks across plants, far-apart device numbers, held events."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import update

from jitdesk.sync import wire
from jitdesk.sync.server.api import _admit_push, _push_answer
from jitdesk.sync.server.models import events
from jitdesk.sync.server.store import ServerStore
from tests.helpers.sync_events import envelope


@pytest.fixture
def store(server_db: str) -> Any:
    s = ServerStore(server_db)
    yield s
    s.close()


def _who(store: ServerStore, plant: str = "P1", device: str = "st1", role: str = "station") -> Any:
    return store.authenticate(store.create_token(plant, device, role)[1])


def _nested(levels: int) -> dict[str, Any]:
    payload: dict[str, Any] = {"leaf": 1}
    for _ in range(levels - 1):
        payload = {"n": payload}
    return payload


@pytest.mark.parametrize("payload", [{"name": "S\ud800"}, {"S\udfff": 1}, {"list": [["ok", "\udc00"]]}])
def test_lone_surrogates_are_refused_in_values_and_keys(store: ServerStore, payload: dict[str, Any]) -> None:
    who = _who(store)
    result = store.push(who, [envelope("d1", 1, payload=payload), envelope("d1", 2)])
    assert result[0]["status"] == wire.REJECTED and "UTF-8" in result[0]["reason"]
    assert result[1]["status"] == wire.ACCEPTED
    assert [e["device_seq"] for e in store.all_events()] == [2]


def test_raw_surrogate_bytes_in_the_body_are_refused_per_event(store: ServerStore) -> None:
    who = _who(store)
    good, bad = envelope("d1", 1), envelope("d1", 2, payload={"name": "X"})
    body = json.dumps({"events": [good, bad]}).encode().replace(b'"X"', b'"S\xed\xa0\x80"')
    status, _reason, admission = _admit_push(store, who, body)
    assert status == 200 and admission is not None
    assert store.push_admitted([(who, admission)]) == [None]
    answer, accepted = _push_answer(admission.results)
    results = json.loads(answer)["results"]
    assert accepted
    assert [r["status"] for r in results] == [wire.ACCEPTED, wire.REJECTED]
    assert "UTF-8" in results[1]["reason"]


def test_nesting_is_capped_at_32_levels(store: ServerStore) -> None:
    who = _who(store)
    results = store.push(who, [envelope("d1", 1, payload=_nested(32)), envelope("d1", 2, payload=_nested(33)),
                               envelope("d1", 3, payload=_nested(900))])
    assert [r["status"] for r in results] == [wire.ACCEPTED, wire.REJECTED, wire.REJECTED]
    assert "32 levels" in results[1]["reason"] and "32 levels" in results[2]["reason"]
    page = store.pull_page("P1", 0, 10)
    assert [e["device_seq"] for e in page.events] == [1]


def test_one_id_twice_in_a_batch_stores_exactly_the_first(store: ServerStore) -> None:
    who = _who(store)
    first = envelope("d1", 1, payload={"v": "first"})
    same = dict(first)
    other = {**first, "payload": {"v": "second"}}
    refused_first = {**envelope("d1", 2), "payload": {"v": "S\ud800"}}
    valid_second = {**refused_first, "payload": {"v": "fine"}}
    results = store.push(who, [first, other, same, refused_first, valid_second])
    assert [r["status"] for r in results] == [wire.ACCEPTED, wire.CONFLICT, wire.DUPLICATE, wire.REJECTED,
                                              wire.ACCEPTED]
    assert results[2]["server_seq"] == results[0]["server_seq"]
    stored = {e["device_seq"]: e["payload"] for e in store.all_events()}
    assert stored == {1: {"v": "first"}, 2: {"v": "fine"}}


def test_a_reused_id_with_other_content_is_a_conflict_not_a_duplicate(store: ServerStore) -> None:
    who = _who(store)
    event = envelope("d1", 1, payload={"v": 1})
    assert store.push(who, [event])[0]["status"] == wire.ACCEPTED
    again = store.push(who, [dict(event)])[0]
    assert again["status"] == wire.DUPLICATE and again["server_seq"] is not None
    reused = store.push(who, [{**event, "device_seq": 2, "payload": {"v": 2}}])[0]
    assert reused["status"] == wire.CONFLICT and reused["server_seq"] is None
    assert len(store.all_events()) == 1


def test_answers_reveal_nothing_of_another_plant(store: ServerStore) -> None:
    a, b = _who(store, "A", "sa"), _who(store, "B", "sb")
    theirs = envelope("da", 1, plant="A")
    assert store.push(a, [theirs])[0]["status"] == wire.ACCEPTED
    copied = store.push(b, [{**theirs, "plant_id": "B", "device_id": "db"}])[0]
    assert copied["status"] == wire.CONFLICT and copied["server_seq"] is None
    assert "'A'" not in copied["reason"] and theirs["event_id"] not in copied["reason"]
    clash = store.push(a, [envelope("da", 1, plant="A")])[0]  # same device number, new id, own plant
    assert clash["status"] == wire.REJECTED
    assert theirs["event_id"] not in clash["reason"] and "already used by another event" in clash["reason"]


def test_far_apart_device_numbers_look_up_only_those_numbers(store: ServerStore) -> None:
    who = _who(store)
    assert all(r["status"] == wire.ACCEPTED for r in store.push(who, [envelope("d1", i) for i in range(1, 201)]))
    results = store.push(who, [envelope("d1", 1), envelope("d1", 2**62, hlc=1 << 40)])
    assert [r["status"] for r in results] == [wire.REJECTED, wire.ACCEPTED]


def test_an_unservable_stored_row_is_skipped_with_its_reason(store: ServerStore) -> None:
    who = _who(store)
    store.push(who, [envelope("d1", i) for i in (1, 2, 3)])
    broken = next(e for e in store.all_events() if e["device_seq"] == 2)
    deep = json.dumps(_nested(40))
    with store.writing() as conn:  # as an older version could have stored it
        conn.execute(update(events).where(events.c.event_id == broken["event_id"]).values(payload=deep))
    page = store.pull_page("P1", 0, 10)
    assert [e["device_seq"] for e in page.events] == [1, 3]
    assert [s["event_id"] for s in page.skipped] == [broken["event_id"]]
    assert "32 levels" in page.skipped[0]["reason"]
    assert page.last == page.newest
    assert [h["event_id"] for h in store.held()] == [broken["event_id"]]
    # The same row written back with a lone surrogate escape: still skipped, never an encode error.
    with store.writing() as conn:
        conn.execute(update(events).where(events.c.event_id == broken["event_id"])
                     .values(payload='{"name":"S\\ud800"}'))
    assert [e["device_seq"] for e in store.pull_page("P1", 0, 10).events] == [1, 3]


def test_a_held_event_is_skipped_by_every_pull_and_never_relayed(store: ServerStore) -> None:
    who = _who(store)
    store.push(who, [envelope("d1", i) for i in (1, 2)])
    held = store.all_events()[-1]["event_id"]
    assert store.hold([(held, "admin: poisoned")], "P1", by="admin") == 1
    page = store.pull_page("P1", 0, 10)
    assert [e["device_seq"] for e in page.events] == [1]
    assert page.skipped[0]["reason"] == "admin: poisoned"
    rows, last = store.unrelayed("P1", 0, 10)
    assert [r["device_seq"] for r in rows] == [1] and last == page.last


def test_clock_skew_is_recorded_per_device_never_refused(store: ServerStore) -> None:
    import time

    who = _who(store)
    ahead = (time.time_ns() // 1_000_000 + 5 * 3600_000) << 16
    assert store.push(who, [envelope("fast", 1, hlc=ahead), envelope("honest", 1)])[0]["status"] == wire.ACCEPTED
    clocks = {c["device_id"]: c["ahead_ms"] for c in store.device_clocks("P1")}
    assert clocks["fast"] > 4 * 3600_000 and clocks["honest"] < 0
