"""Pulled pages applied in bulk (`sync_apply.apply_page`, one insert and one fold pass per page) give
the same log, entity projections and derived rows as ingesting the same events one by one and as a
full rebuild: whatever the page sizes, arrival order, repeats within and across pages, late events,
loop edits that move every card of a loop, and cards moving between loops."""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jitdesk.domain.events import Event
from jitdesk.domain.fold import PROJECTORS
from jitdesk.services import sync_apply
from jitdesk.services.rebuild import rebuild_all
from jitdesk.services.uow import transaction
from jitdesk.storage import projections
from jitdesk.storage.database import Database, open_database
from tests.helpers.kanban_events import MIN, T0, Device
from tests.helpers.sync_server import log_digest

CYCLE = ("kanban.card.emptied", "kanban.card.picked", "kanban.card.shipped", "kanban.card.filled")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "template.db"
    db = open_database(path)
    sync_apply.join_plant(db, "plant-1")
    db.close()
    return path


def _loop(part: str, station: str, lead: int) -> dict[str, Any]:
    return {"code": f"L-{part}", "part_id": part, "supplier_kind": "supermarket", "supplier_location": "SM-1",
            "consumer_station_id": station, "qty_per_card": 20, "lead_time_minutes": lead, "safety_factor": 0.2,
            "supplier_station_id": None, "wait_rule": "not_allowed", "picking_rule": "optional",
            "in_transit_rule": "required", "active": True}


def plant_log(rnd: random.Random, moves: int) -> list[Event]:
    """Master data, cards, card moves from three devices, loop edits and a card re-homed to another loop."""
    devices = [Device(f"dev-{i}") for i in range(3)]
    ms = T0
    out: list[Event] = []

    def emit(kind: str, payload: dict[str, Any], entity: str) -> None:
        nonlocal ms
        ms += rnd.randint(0, 3) * MIN // 60  # ties in time happen: device id and seq break them
        out.append(rnd.choice(devices).emit(kind, payload, ms, entity))

    emit("master.station.upserted", {"code": "S1", "name": "Station 1", "role": "line", "line_id": None}, "st-1")
    for p in range(3):
        emit("master.part.upserted", {"number": f"P-{p}", "name": f"Part {p}", "unit": "pcs"}, f"part-{p}")
        emit("master.loop.upserted", _loop(f"part-{p}", "st-1", 60 + p), f"loop-{p}")
    for c in range(6):
        emit("kanban.card.added", {"loop_id": f"loop-{c % 3}", "number": c + 1, "code": f"K{c:04d}"}, f"card-{c}")
    position = dict.fromkeys(range(6), 0)
    for _ in range(moves):
        roll = rnd.random()
        if roll < 0.08:
            p = rnd.randrange(3)
            emit("master.loop.upserted", _loop(f"part-{p}", "st-1", rnd.randint(30, 300)), f"loop-{p}")
        else:
            c = rnd.randrange(6)
            emit(CYCLE[position[c]], {"station_id": "st-1"}, f"card-{c}")
            position[c] = (position[c] + 1) % len(CYCLE)
    return out


def digest(db: Database) -> dict[str, Any]:
    out: dict[str, Any] = {"log": log_digest(db)}
    with db.reading() as session:
        for p in PROJECTORS.all():
            out[p.name] = projections.all_states(session, p)
        conn = projections.raw(session)
        for d in PROJECTORS.derived():
            out["+" + d.name] = conn.execute(f'SELECT * FROM "{d.name}" ORDER BY id').fetchall()
    return out


def copy(template: Path, folder: Path, name: str) -> Database:
    path = folder / name
    shutil.copy(template, path)
    return open_database(path)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.randoms(use_true_random=False), st.integers(5, 60), st.integers(1, 40))
def test_bulk_pages_match_one_by_one_and_rebuild(template: Path, tmp_path_factory: pytest.TempPathFactory,
                                                  rnd: random.Random, moves: int, page: int) -> None:
    folder = tmp_path_factory.mktemp("bulk")
    events = plant_log(rnd, moves)
    arrivals = events + [rnd.choice(events) for _ in range(len(events) // 4)]  # repeats
    # Mostly in order, as a server serves them, with some events held back (a device offline).
    held = [e for e in arrivals if rnd.random() < 0.15]
    arrivals = [e for e in arrivals if e not in held] + held
    bulk, single = copy(template, folder, "bulk.db"), copy(template, folder, "single.db")
    try:
        for start in range(0, len(arrivals), page):
            chunk = arrivals[start:start + page]
            sync_apply.apply_page(bulk, [(e, True) for e in chunk], start + len(chunk), "server-1")
            with transaction(single) as tx:
                for event in chunk:
                    tx.ingest(event)
        pulled = digest(bulk)
        assert pulled == digest(single)
        rebuild_all(bulk)
        assert digest(bulk) == pulled
    finally:
        bulk.close()
        single.close()


def test_bulk_page_reports_changes_and_skips_repeats(template: Path, tmp_path: Path) -> None:
    events = plant_log(random.Random(3), 20)
    db = copy(template, tmp_path, "station.db")
    try:
        first = sync_apply.apply_page(db, [(e, True) for e in events[:10]], 10, "server-1")
        again = sync_apply.apply_page(db, [(e, True) for e in events[:10] + events[:10]], 10, "server-1")
        assert [e.event_id for e in first.events] == [e.event_id for e in events[:10]]
        assert again.events == ()
        with db.reading() as session:
            assert projections.raw(session).execute("SELECT count(*) FROM events").fetchone()[0] == 10
        assert sync_apply.peer(db).cursor == 10
    finally:
        db.close()


@settings(max_examples=16, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.randoms(use_true_random=False), st.integers(5, 60), st.integers(1, 40), st.booleans(), st.booleans())
def test_a_catch_up_folded_once_at_its_end_matches_page_by_page(
        template: Path, tmp_path_factory: pytest.TempPathFactory, rnd: random.Random, moves: int, page: int,
        cut_short: bool, by_entity: bool) -> None:
    """Pages stored unfolded (a long catch-up), with local edits made meanwhile and some pages folded
    as they came, then one fold at the end (or, cut short, at the next start): the same log and
    projections as folding every page as it came, and as a rebuild."""
    from jitdesk.services import catchup
    from jitdesk.services.rebuild import refold_if_changed

    folder = tmp_path_factory.mktemp("catchup")
    events = plant_log(rnd, moves)
    arrivals = events + [rnd.choice(events) for _ in range(len(events) // 4)]
    held = [e for e in arrivals if rnd.random() < 0.15]
    arrivals = [e for e in arrivals if e not in held] + held
    late, folded = copy(template, folder, "late.db"), copy(template, folder, "folded.db")
    deferred = False
    share = catchup.REBUILD_SHARE
    catchup.REBUILD_SHARE = 2.0 if by_entity else 0.0  # each touched entity from its history, or a rebuild
    try:
        for start in range(0, len(arrivals), page):
            chunk = [(e, True) for e in arrivals[start:start + page]]
            defer = rnd.random() < 0.8
            deferred = deferred or defer
            sync_apply.apply_page(late, chunk, start + len(chunk), "server-1", fold=not defer)
            sync_apply.apply_page(folded, chunk, start + len(chunk), "server-1")
            if rnd.random() < 0.2:  # an operator moves a card here meanwhile (folded onto what is here)
                card = f"card-{rnd.randrange(6)}"
                with transaction(late) as tx:
                    event = tx.append(rnd.choice(CYCLE), card, {"station_id": "st-1"})
                with transaction(folded) as tx:
                    tx.ingest(event, outbox=True)
        if cut_short:  # kill -9 before the fold: the note survives, the next start folds
            assert catchup.pending(late) == deferred
            path = late.path
            late.close()
            late = open_database(path)
            refold_if_changed(late)
        else:
            catchup.finish(late)
        assert not catchup.pending(late)
        with late.reading() as session:  # a new station drops it during the catch-up: it is back
            assert projections.raw(session).execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'ix_events_entity_order'").fetchone() is not None
        expected = digest(folded)
        got = digest(late)
        assert got["log"] == expected["log"]
        assert {k: v for k, v in got.items() if k != "log"} == {k: v for k, v in expected.items() if k != "log"}
        rebuild_all(late)
        assert digest(late) == got
    finally:
        catchup.REBUILD_SHARE = share
        late.close()
        folded.close()
