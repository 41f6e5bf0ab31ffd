"""Every projection table, per-entity and derived, is the same for any arrival order of the same events,
with duplicates and in any batching, and equals a fresh rebuild.

Kanban events (loops, cards added, moved, held, retired) from several devices are ingested through the
unit of work as sync would deliver them. The tables are compared row for row, as SQLite holds them, so
a derived row that only one arrival order makes (the old trigger-kept loop_stats made a zero row for
loop '' when a card was emptied before its `added` event arrived) fails the test.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jitdesk.domain.clock import pack
from jitdesk.domain.events import REGISTRY, Event
from jitdesk.services.rebuild import rebuild_all
from jitdesk.services.uow import transaction
from jitdesk.storage.database import Database, open_database

NOT_PROJECTIONS = {"alembic_version", "device_state", "events", "local_settings", "sync_peer", "sync_quarantine",
                   "scan_log"}
T0 = 1_795_000_000_000
LOOPS = ["loop-1", "loop-2"]
CARDS = ["card-1", "card-2", "card-3", "card-4"]
MOVES = ["kanban.card.emptied", "kanban.card.shipped", "kanban.card.filled", "kanban.card.held",
         "kanban.card.released", "kanban.card.retired"]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "template.db"
    open_database(path).close()
    return path


def _loop(code: str, lead: int, active: bool) -> dict[str, Any]:
    return {"code": code, "part_id": "part-1", "supplier_kind": "warehouse", "supplier_location": f"WH {lead}",
            "consumer_station_id": "line-1", "qty_per_card": 10, "lead_time_minutes": lead, "active": active}


def _payload(kind: str, entity: str, choice: int) -> dict[str, Any]:
    if kind == "master.loop.upserted":
        return _loop(entity, (30, 600, 5)[choice % 3], choice % 4 != 3)
    if kind == "kanban.card.added":
        return {"loop_id": LOOPS[choice % 2], "number": CARDS.index(entity) + 1, "code": f"K{entity[-1]}"}
    if kind in ("kanban.card.held", "kanban.card.released", "kanban.card.retired"):
        return {}
    return {"station_id": ("line-1", "sm-1")[choice % 2]}


# (kind index, entity index, device, minutes after T0, payload choice)
SPEC = st.lists(st.tuples(st.integers(0, len(MOVES) + 1), st.integers(0, 3), st.integers(0, 2),
                          st.integers(0, 2000), st.integers(0, 11)), min_size=1, max_size=30)


def make_events(spec: list[tuple[int, int, int, int, int]]) -> list[Event]:
    seqs: dict[str, int] = {}
    out = []
    for i, (kind_no, entity_no, device_no, minutes, choice) in enumerate(spec):
        if kind_no == 0:
            kind, entity = "master.loop.upserted", LOOPS[entity_no % 2]
        elif kind_no == 1:
            kind, entity = "kanban.card.added", CARDS[entity_no]
        else:
            kind, entity = MOVES[kind_no - 2], CARDS[entity_no]
        payload = _payload(kind, entity, choice)
        REGISTRY.validate(kind, 1, payload)
        device = f"device-{device_no}"
        seqs[device] = seqs.get(device, 0) + 1
        out.append(Event(f"0190{i:04d}-0000-7000-8000-000000000000", "plant-1", device, seqs[device],
                         pack(T0 + minutes * 60_000, i % 3), "2026-11-22T00:00:00.000Z", kind, entity, None,
                         payload, 1))
    return out


def tables(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every projection table's rows, sorted, as stored."""
    with db.reading() as session:
        conn = session.connection()
        names = [r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")
                 if r[0] not in NOT_PROJECTIONS]
        return {name: sorted(tuple(r) for r in conn.exec_driver_sql(f'SELECT * FROM "{name}"')) for name in names}


def ingest(db: Database, arrivals: list[Event], batches: int) -> None:
    size = max(1, -(-len(arrivals) // batches))
    for start in range(0, len(arrivals), size):
        with transaction(db) as tx:
            for event in arrivals[start:start + size]:
                tx.ingest(event)


def fresh(template: Path, folder: Path, name: str) -> Database:
    path = folder / f"{name}.db"
    shutil.copy(template, path)
    return open_database(path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(SPEC, st.randoms(use_true_random=False), st.integers(1, 4))
def test_every_projection_is_the_same_for_any_arrival_order(template: Path, tmp_path_factory: pytest.TempPathFactory,
                                                            spec: list[tuple[int, int, int, int, int]],
                                                            rnd: random.Random, batches: int) -> None:
    folder = tmp_path_factory.mktemp("order")
    events = make_events(spec)
    in_order = fresh(template, folder, "in-order")
    shuffled = fresh(template, folder, "shuffled")
    try:
        ingest(in_order, sorted(events, key=lambda e: e.order_key), 1)
        arrivals = events + [rnd.choice(events) for _ in range(len(events) // 3)]
        rnd.shuffle(arrivals)
        ingest(shuffled, arrivals, batches)
        expected = tables(in_order)
        assert tables(shuffled) == expected
        rebuild_all(shuffled)
        assert tables(shuffled) == expected
    finally:
        in_order.close()
        shuffled.close()


def test_a_card_emptied_before_it_was_added_leaves_no_stats_row_for_no_loop(template: Path, tmp_path: Path) -> None:
    """The reproduction from the issue: loop, then the card's emptied, then its added, one transaction each."""
    loop, emptied, added = make_events([(0, 0, 0, 0, 0), (2, 0, 1, 20, 0), (1, 0, 0, 10, 0)])
    db = fresh(template, tmp_path, "late-add")
    try:
        for event in (loop, emptied, added):
            ingest(db, [event], 1)
        assert [row[0] for row in tables(db)["loop_stats"]] == ["loop-1"]
    finally:
        db.close()
