"""Group commit: batches of several requests stored in one transaction, each with its own answer."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from jitdesk.sync import wire
from jitdesk.sync.server.api import create_app
from jitdesk.sync.server.store import ServerStore
from tests.helpers.sync_events import envelope


@pytest.fixture
def store(server_db: str) -> Iterator[ServerStore]:
    s = ServerStore(server_db)
    yield s
    s.close()


def test_one_group_judges_each_batch_on_its_own_and_after_the_earlier_ones(store: ServerStore) -> None:
    a = store.authenticate(store.create_token("P1", "sa", "station")[1])
    b = store.authenticate(store.create_token("P1", "sb", "station")[1])
    other_plant = store.authenticate(store.create_token("P2", "sc", "station")[1])
    shared = envelope("da", 1)
    first = store.admit(a, [shared, envelope("da", 2)])
    # The same id with other content, a device number already taken in this group, a device bound
    # to another token in this group, and a good event of its own.
    second = store.admit(b, [{**shared, "payload": {"other": True}}, envelope("db", 1)])
    third = store.admit(b, [envelope("da", 3), envelope("db", 1, event_id=shared["event_id"] + "x")])
    fourth = store.admit(other_plant, [envelope("dc", 1, plant="P2"), envelope("dc", 2, plant="P1")])
    assert store.push_admitted([(a, first), (b, second), (b, third), (other_plant, fourth)]) == [None] * 4
    assert [r["status"] for r in first.results] == [wire.ACCEPTED, wire.ACCEPTED]
    assert [r["status"] for r in second.results] == [wire.CONFLICT, wire.ACCEPTED]
    assert [r["status"] for r in third.results] == [wire.REJECTED, wire.REJECTED]
    assert "registered to device 'sa'" in third.results[0]["reason"]
    assert "already used" in third.results[1]["reason"]
    assert [r["status"] for r in fourth.results] == [wire.ACCEPTED, wire.REJECTED]
    seqs = [e["server_seq"] for e in store.all_events()]
    assert seqs == list(range(1, 5))  # gapless, in batch order
    assert [r["server_seq"] for r in [*first.results, second.results[1], fourth.results[0]]] == seqs


def test_concurrent_pushes_each_get_their_own_answer(sqlite_server_db: str) -> None:
    store = ServerStore(sqlite_server_db)
    app = create_app(store)
    tokens = [store.create_token("P1", f"st{i}", "station")[1] for i in range(12)]

    async def go() -> list[dict[str, object]]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            async def push(i: int, token: str) -> dict[str, object]:
                batch = [envelope(f"d{i}", n) for n in range(1, 21)]
                if i == 5:
                    batch[3]["payload"] = {"deep": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}
                answer = await client.post("/v1/events", json={"events": batch},
                                           headers={"Authorization": f"Bearer {token}"})
                assert answer.status_code == 200
                return dict(answer.json())
            return await asyncio.gather(*(push(i, t) for i, t in enumerate(tokens)))

    try:
        answers = asyncio.run(go())
        for i, answer in enumerate(answers):
            results = answer["results"]
            assert isinstance(results, list) and len(results) == 20
            refused = [n for n, r in enumerate(results) if r["status"] != wire.ACCEPTED]
            assert refused == ([3] if i == 5 else [])
        stored = store.all_events()
        assert len(stored) == 12 * 20 - 1
        assert [e["server_seq"] for e in stored] == list(range(1, len(stored) + 1))
        committer = app.state.committer
        assert committer.batches == 12  # every request went through the group committer
    finally:
        store.close()
