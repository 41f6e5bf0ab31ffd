"""Events ingested through the unit of work in any order, with duplicates, give the projections a
full rebuild gives: the incremental path (apply or re-fold one entity) agrees with the fold."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitdesk.domain.clock import pack
from jitdesk.domain.events import Event
from jitdesk.domain.fold import PROJECTORS
from jitdesk.services.rebuild import rebuild_all
from jitdesk.services.uow import transaction
from jitdesk.storage import projections
from jitdesk.storage.database import Database, open_database

ENTITIES = ["part-a", "part-b", "line-c"]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "template.db"
    open_database(path).close()
    return path


def make_events(spec: list[tuple[int, int, int]]) -> list[Event]:
    events = []
    seqs: dict[str, int] = {}
    for i, (entity_no, device_no, ms) in enumerate(spec):
        entity = ENTITIES[entity_no]
        device = f"device-{device_no}"
        seqs[device] = seqs.get(device, 0) + 1
        if entity.startswith("part"):
            kind, payload = "master.part.upserted", {"number": entity, "name": f"v{i}"}
        else:
            kind, payload = "master.line.upserted", {"code": entity, "name": f"v{i}", "active": i % 2 == 0}
        events.append(Event(f"0190{i:04d}-0000-7000-8000-000000000000", "p", device, seqs[device],
                            pack(1_795_000_000_000 + ms, 0), "2026-11-22T00:00:00.000Z", kind, entity, None,
                            payload, 1))
    return events


def snapshot(db: Database) -> dict[str, dict[str, object]]:
    with db.reading() as session:
        return {p.name: projections.all_states(session, p) for p in PROJECTORS.all()}


SPEC = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(0, 1000)), min_size=1, max_size=25)


@settings(max_examples=40)
@given(SPEC, st.randoms(use_true_random=False), st.integers(1, 4))
def test_incremental_ingest_matches_rebuild(template: Path, tmp_path_factory: pytest.TempPathFactory,
                                            spec: list[tuple[int, int, int]], rnd: random.Random,
                                            batches: int) -> None:
    path = tmp_path_factory.mktemp("ingest") / "station.db"
    shutil.copy(template, path)
    db = open_database(path)
    try:
        events = make_events(spec)
        arrivals = events + [rnd.choice(events) for _ in range(len(events) // 3)]
        rnd.shuffle(arrivals)
        size = max(1, len(arrivals) // batches)
        for start in range(0, len(arrivals), size):
            with transaction(db) as tx:
                for event in arrivals[start:start + size]:
                    tx.ingest(event)
        incremental = snapshot(db)
        rebuild_all(db)
        assert snapshot(db) == incremental
    finally:
        db.close()
