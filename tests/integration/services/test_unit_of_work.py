"""Use cases append events and update projections in one transaction; late events re-fold."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from jitdesk.domain.errors import BadInput, NotAllowed, StorageProblem
from jitdesk.domain.events import Event
from jitdesk.domain.master import Line, Part, Plant, Station
from jitdesk.services import master
from jitdesk.services.rebuild import rebuild_all
from jitdesk.services.uow import transaction
from jitdesk.storage import eventlog, projections
from jitdesk.storage.database import Database
from jitdesk.storage.schema import EventRow, table

EVENTS = table(EventRow)


def log(db: Database) -> list[Event]:
    with db.reading() as session:
        return list(eventlog.iter_all(session))


def test_save_appends_one_event_and_updates_the_projection(db: Database) -> None:
    part_id, changes = master.save(db, Part("P-1", "Hex bolt"), actor=None)
    assert changes.touches("part")
    assert master.get(db, Part, part_id) == Part("P-1", "Hex bolt")
    (event,) = log(db)
    assert event.kind == "master.part.upserted"
    assert event.entity_id == part_id
    assert event.device_id == db.device_id
    assert event.device_seq == 1


def test_device_seq_is_gapless_even_after_a_refused_use_case(db: Database) -> None:
    master.save(db, Part("P-1", "A"), actor=None)
    with pytest.raises(BadInput):
        master.save(db, Part("P-1", "duplicate number"), actor=None)
    master.save(db, Part("P-2", "B"), actor=None)
    assert [e.device_seq for e in sorted(log(db), key=lambda e: e.device_seq)] == [1, 2]


def test_failure_inside_a_transaction_leaves_nothing(db: Database) -> None:
    with pytest.raises(RuntimeError), transaction(db) as tx:
        tx.append("master.part.upserted", "x1", {"number": "P-9", "name": "ghost"})
        raise RuntimeError("power cut in the middle")
    assert log(db) == []
    assert master.records(db, Part) == []


def test_plain_words_for_bad_master_data(db: Database) -> None:
    with pytest.raises(BadInput, match="Part: name may not be empty"):
        master.save(db, Part("P-1", ""), actor=None)
    with pytest.raises(BadInput, match="Station: role must be one of"):
        master.save(db, Station("S1", "Press", role="kitchen"), actor=None)
    with pytest.raises(BadInput, match="its line does not exist"):
        master.save(db, Station("S1", "Press", role="line", line_id="nope"), actor=None)


def test_master_edits_need_an_admin_once_one_exists(db: Database) -> None:
    admin_id, _ = master.save_user(db, actor=None, name="Ada", badge="B-ADMIN", role="admin", pin="4321")
    op_id, _ = master.save_user(db, actor=admin_id, name="Otto", badge="B-OP", role="operator", pin="1111")
    with pytest.raises(NotAllowed, match="Sign in"):
        master.save(db, Part("P-1", "A"), actor=None)
    with pytest.raises(NotAllowed, match="signed in as operator"):
        master.save(db, Part("P-1", "A"), actor=op_id)
    _, changes = master.save(db, Part("P-1", "A"), actor=admin_id)
    assert changes.events[0].actor == admin_id


def test_a_late_older_event_refolds_its_entity(db: Database) -> None:
    part_id, _ = master.save(db, Part("P-1", "newest name"), actor=None)
    (newest,) = log(db)
    older = newest._replace(
        event_id="01900000-0000-7000-8000-000000000001", device_id="other-device", device_seq=1,
        hlc=newest.hlc - 10_000, payload={"number": "P-1", "name": "older name"},
    )
    with transaction(db) as tx:
        assert tx.ingest(older) is True
        assert tx.ingest(older) is False  # duplicates are ignored
    assert master.get(db, Part, part_id).name == "newest name"
    newer = older._replace(event_id="01900000-0000-7000-8000-000000000002", device_seq=2,
                                hlc=newest.hlc + 10_000, payload={"number": "P-1", "name": "from afar"})
    with transaction(db) as tx:
        tx.ingest(newer)
    assert master.get(db, Part, part_id).name == "from afar"


def test_local_clock_moves_past_ingested_events(db: Database) -> None:
    from jitdesk.domain.clock import pack
    from jitdesk.services.uow import wall_clock_ms

    near = Event("01900000-0000-7000-8000-0000000000ab", "p", "close", 1, pack(wall_clock_ms() + 20_000, 0), "x",
                 "master.part.upserted", "near", None, {"number": "N", "name": "a little ahead"}, 1)
    with transaction(db) as tx:
        tx.ingest(near)
    _, changes = master.save(db, Part("P-1", "after near"), actor=None)
    assert changes.events[0].hlc > near.hlc


def test_a_clock_hours_fast_does_not_drag_this_one_along(db: Database) -> None:
    from jitdesk.domain.clock import MAX_AHEAD_MS, physical_ms
    from jitdesk.services.uow import wall_clock_ms

    future = Event("01900000-0000-7000-8000-0000000000aa", "p", "skewed", 1, (4_000_000_000_000 << 16), "x",
                   "master.part.upserted", "far", None, {"number": "F", "name": "from the future"}, 1)
    with transaction(db) as tx:
        tx.ingest(future)
    _, changes = master.save(db, Part("P-2", "after"), actor=None)
    assert physical_ms(changes.events[0].hlc) <= wall_clock_ms() + MAX_AHEAD_MS
    assert future.event_id in {e.event_id for e in log(db)}  # kept as it is


def test_rebuild_gives_the_same_projections(db: Database) -> None:
    plant_id, _ = master.save(db, Plant("PL", "Plant"), actor=None)
    line_id, _ = master.save(db, Line("L1", "Line 1"), actor=None)
    master.save(db, Station("S1", "Press 1", "line", line_id), actor=None)
    for i in range(20):
        master.save(db, Part(f"P-{i}", f"Part {i}"), actor=None)
    part_id = master.records(db, Part)[0].id
    master.save(db, Part("P-0", "renamed"), actor=None, entity_id=part_id)
    with db.reading() as session:
        before = {p.name: projections.all_states(session, p) for p in _projectors()}
    report = rebuild_all(db)
    assert report.events == 24
    with db.reading() as session:
        after = {p.name: projections.all_states(session, p) for p in _projectors()}
    assert after == before
    assert db.plant_id == plant_id


def _projectors():  # type: ignore[no-untyped-def]
    from jitdesk.domain.fold import PROJECTORS

    return PROJECTORS.all()


def test_disk_full_is_a_plain_message_and_loses_nothing(db: Database) -> None:
    master.save(db, Part("P-1", "kept"), actor=None)
    with db.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    # Cap the file where it stands: the next growth fails exactly like a full disk (SQLITE_FULL).
    db.engine.dispose()

    from sqlalchemy import event

    @event.listens_for(db.engine, "connect")
    def _cap(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    with pytest.raises(StorageProblem, match="is full"):
        for i in range(2000):
            master.save(db, Part(f"Q-{i}", "x" * 100), actor=None)
    event.remove(db.engine, "connect", _cap)
    db.engine.dispose()
    with db.reading() as session:
        numbers = session.execute(select(EVENTS.c.device_seq).order_by(EVENTS.c.device_seq)).scalars().all()
    assert numbers == list(range(1, len(numbers) + 1))  # gapless: nothing half-written
    assert master.records(db, Part)[0].value.name == "kept"
    master.save(db, Part("P-2", "after space was freed"), actor=None)


def test_the_first_plant_event_carries_its_own_plant_id(db: Database) -> None:
    with transaction(db) as tx:
        plant_id = master.save_in(tx, Plant("PL", "Plant"), actor=None)
        part_id = master.save_in(tx, Part("P-1", "Bolt"), actor=None)
    assert {e.plant_id for e in tx.changes.events} == {plant_id}
    assert db.plant_id == plant_id
    assert part_id


def test_events_of_a_kind_learnt_in_an_upgrade_are_folded_once(db: Database) -> None:
    from jitdesk.domain.events import REGISTRY, EventKind
    from jitdesk.domain.fold import PROJECTORS, Projector
    from jitdesk.domain.schema import Schema, Str
    from jitdesk.services.rebuild import refold_if_changed
    from jitdesk.storage import identity

    assert refold_if_changed(db) is None  # first start: fingerprint stored, nothing to fold
    assert refold_if_changed(db) is None
    # A newer peer sent a kind this version does not know: it is kept in the log, unfolded.
    future = Event("01900000-0000-7000-8000-0000000000ff", "p", "newer", 1, 1 << 40, "x",
                   "master.part.renamed", "part-9", None, {"name": "renamed"}, 1)
    with transaction(db) as tx:
        tx.ingest(future)
    # The upgrade brings the kind and a projector for it (here: part names).
    REGISTRY.register(EventKind("master.part.renamed", {1: Schema({"name": Str()})}, master=True))
    parts = PROJECTORS.get("part")
    both = Projector("part", parts.state_type, parts.kinds | {"master.part.renamed"},
                     lambda s, e: Part(s.number if s else "?", e.payload["name"]) if e.kind.endswith("renamed")
                     else parts.apply(s, e))
    PROJECTORS.add(both)
    try:
        report = refold_if_changed(db)
        assert report is not None and report.events == 1
        assert master.get(db, Part, "part-9").name == "renamed"
        assert refold_if_changed(db) is None
        with db.reading() as session:
            assert "master.part.renamed" in (identity.get_setting(session, "folded_kinds") or "")
    finally:
        PROJECTORS.add(parts)
        PROJECTORS._by_kind.pop("master.part.renamed", None)
        REGISTRY._kinds.pop("master.part.renamed", None)


def test_the_station_never_makes_an_event_no_server_would_store(db: Database) -> None:
    with pytest.raises(BadInput, match="UTF-8"):
        master.save(db, Part("P-2", "Bolt \ud800"), actor=None)
    assert log(db) == []
