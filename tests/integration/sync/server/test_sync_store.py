"""The server store on SQLite and PostgreSQL: idempotent push, rights from the token, commit order."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from jitdesk.sync import wire
from jitdesk.sync.server.store import ServerStore
from tests.helpers.sync_events import envelope


@pytest.fixture
def store(server_db: str) -> Any:
    s = ServerStore(server_db)
    yield s
    s.close()


def test_push_is_idempotent_and_answers_per_event(store: ServerStore) -> None:
    who = store.authenticate(store.create_token("P1", "st1", "station")[1])
    batch = [envelope("d1", i) for i in range(1, 6)]
    first = store.push(who, batch)
    assert [r["status"] for r in first] == [wire.ACCEPTED] * 5
    again = store.push(who, list(reversed(batch)) + batch[:2])
    assert {r["status"] for r in again} == {wire.DUPLICATE}
    assert {r["server_seq"] for r in again} == {r["server_seq"] for r in first}
    assert len(store.all_events()) == 5


def test_unknown_kinds_are_stored_and_bad_events_refused_alone(store: ServerStore) -> None:
    who = store.authenticate(store.create_token("P1", "st1", "station")[1])
    batch = [
        envelope("d1", 1, kind="quality.sample.taken", payload={"anything": [1, 2]}),  # a kind from a newer release
        envelope("d1", 2, kind="master.part.upserted", payload={"number": "X"}),
        {"event_id": "x", "plant_id": "P1"},
        envelope("d1", 3, server_seq=5),
        envelope("d1", 4, plant="P2"),
        envelope("d1", 5, kind="master.part.upserted", payload={"number": "N", "name": "Bolt"}),
        "not an object",
    ]
    results = store.push(who, batch)
    assert [r["status"] for r in results] == ["accepted"] + ["rejected"] * 6
    reasons = [r["reason"] for r in results[1:]]
    assert "name" in reasons[0] and "missing" in reasons[0]
    assert "'device_seq' is missing" in reasons[1] or "missing" in reasons[1]
    assert "set by the server" in reasons[2]
    assert "plant 'P2'" in reasons[3]
    assert "only admin devices" in reasons[4]
    assert "JSON object" in reasons[5]


def test_a_device_id_belongs_to_the_token_that_first_wrote_it(store: ServerStore) -> None:
    one = store.authenticate(store.create_token("P1", "st1", "station")[1])
    two = store.authenticate(store.create_token("P1", "st2", "station")[1])
    hub = store.authenticate(store.create_token("P1", "hub", "hub")[1])
    other_hub = store.authenticate(store.create_token("P2", "hub2", "hub")[1])
    assert store.push(one, [envelope("d1", 1)])[0]["status"] == wire.ACCEPTED
    forged = store.push(two, [envelope("d1", 2)])[0]
    assert forged["status"] == wire.REJECTED and "registered to device 'st1'" in forged["reason"]
    assert store.push(hub, [envelope("d1", 2)])[0]["status"] == wire.ACCEPTED
    cross = store.push(other_hub, [envelope("d1", 3, plant="P2")])[0]
    assert cross["status"] == wire.REJECTED and "another plant" in cross["reason"]
    clash = store.push(one, [envelope("d1", 1)])[0]
    assert clash["status"] == wire.REJECTED and "already used" in clash["reason"]


def test_tokens_are_stored_hashed_and_revoked_at_once(store: ServerStore) -> None:
    from jitdesk.sync.server.store import AuthError

    token_id, token = store.create_token("P1", "st1", "station")
    assert token not in str(store.list_tokens())
    store.authenticate(token)
    assert store.revoke_token(str(token_id)) == 1
    with pytest.raises(AuthError, match="revoked"):
        store.authenticate(token)
    with pytest.raises(AuthError, match="unknown"):
        store.authenticate(token[:-2] + "xx")


def test_pull_sees_every_event_once_while_writers_race(store: ServerStore) -> None:
    """server_seq follows commit order: a reader moving its cursor never skips a row."""
    writers, per_writer, batch = 4, 30, 5
    whos = [store.authenticate(store.create_token("P1", f"st{w}", "station")[1]) for w in range(writers)]
    seen: list[int] = []
    done = threading.Event()

    def write(w: int) -> None:
        for start in range(1, per_writer + 1, batch):
            store.push(whos[w], [envelope(f"d{w}", s) for s in range(start, start + batch)])

    def read() -> None:
        cursor = 0
        while True:
            finished = done.is_set()
            page, _ = store.pull("P1", cursor, 7)
            seen.extend(e["server_seq"] for e in page)
            if page:
                cursor = page[-1]["server_seq"]
            elif finished:
                return

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    reader = threading.Thread(target=read)
    reader.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    reader.join(60)
    assert len(seen) == writers * per_writer
    assert len(set(seen)) == len(seen)


def test_plants_do_not_see_each_other(store: ServerStore) -> None:
    a = store.authenticate(store.create_token("A", "sa", "station")[1])
    b = store.authenticate(store.create_token("B", "sb", "station")[1])
    store.push(a, [envelope("da", 1, plant="A")])
    store.push(b, [envelope("db", 1, plant="B")])
    assert [e["device_id"] for e in store.pull("A", 0, 100)[0]] == ["da"]
    assert [e["device_id"] for e in store.pull("B", 0, 100)[0]] == ["db"]


def test_a_device_first_relayed_by_a_hub_is_bound_to_that_hub(store: ServerStore) -> None:
    hub = store.authenticate(store.create_token("P1", "hub-a", "hub")[1])
    other_hub = store.authenticate(store.create_token("P1", "hub-b", "hub")[1])
    station = store.authenticate(store.create_token("P1", "st1", "station")[1])
    assert store.push(hub, [envelope("behind-hub", 1)])[0]["status"] == wire.ACCEPTED
    from_station = store.push(station, [envelope("behind-hub", 2)])[0]
    assert from_station["status"] == wire.REJECTED and "relayed by hub 'hub-a'" in from_station["reason"]
    from_other = store.push(other_hub, [envelope("behind-hub", 3)])[0]
    assert from_other["status"] == wire.REJECTED and "relayed by hub 'hub-a'" in from_other["reason"]
    assert store.push(hub, [envelope("behind-hub", 4)])[0]["status"] == wire.ACCEPTED
    # A station first seen on its own token may move behind a hub: the first hub claims it.
    assert store.push(station, [envelope("moved", 1)])[0]["status"] == wire.ACCEPTED
    assert store.push(other_hub, [envelope("moved", 2)])[0]["status"] == wire.ACCEPTED
    assert store.push(hub, [envelope("moved", 3)])[0]["status"] == wire.REJECTED
