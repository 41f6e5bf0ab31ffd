"""A changed fold rebuilds what it made on the next start: the fingerprint holds projector names,
versions and inputs. Several projectors may follow one kind; a derived projector follows entity states."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Integer, String, Table

from jitdesk.domain.events import Event
from jitdesk.domain.fold import PROJECTORS, Derived, Projector, States
from jitdesk.domain.master import Part
from jitdesk.services import master
from jitdesk.services.rebuild import refold_if_changed
from jitdesk.services.uow import transaction
from jitdesk.storage.database import Database, open_database
from jitdesk.storage.schema import Base


@dataclass(frozen=True)
class NameLength:
    length: int


@dataclass(frozen=True)
class LengthCount:
    parts: int


def _length(_state: NameLength | None, event: Event) -> NameLength:
    return NameLength(len(event.payload["name"]))


def _count_keys(_p: str, _id: str, before: Any, after: Any, _s: States) -> set[str]:
    return {str(s.length) for s in (before, after) if s is not None}


def _count(key: str, states: States) -> LengthCount | None:
    found = len(states.members("test_name_length", "length", int(key)))
    return LengthCount(found) if found else None


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    # Projection tables of the test's own projectors, in the shared metadata only while the test runs.
    tables = [Table("test_name_length", Base.metadata, Column("id", String(64), primary_key=True),
                    Column("length", Integer), Column("fold_hlc", Integer), Column("fold_device", String(64)),
                    Column("fold_seq", Integer)),
              Table("test_length_count", Base.metadata, Column("id", String(64), primary_key=True),
                    Column("parts", Integer))]
    database = open_database(tmp_path / "station.db")
    Base.metadata.create_all(database.engine, tables=tables)
    yield database
    database.close()
    for table in tables:
        PROJECTORS.remove(table.name)
        Base.metadata.remove(table)


def _rows(db: Database, table: str, columns: str = "id, parts") -> list[tuple[Any, ...]]:
    with db.reading() as session:
        return sorted(tuple(r) for r in session.connection().exec_driver_sql(f"SELECT {columns} FROM {table}"))


def test_a_second_projector_and_a_derived_one_follow_the_same_kind(db: Database) -> None:
    PROJECTORS.add(Projector("test_name_length", NameLength, frozenset({"master.part.upserted"}), _length))
    PROJECTORS.add_derived(Derived("test_length_count", LengthCount, frozenset({"test_name_length"}), _count_keys,
                                   _count))
    assert len(PROJECTORS.for_kind("master.part.upserted")) == 2
    bolt, _ = master.save(db, Part("P-1", "Bolt"), actor=None)
    master.save(db, Part("P-2", "Nut"), actor=None)
    master.save(db, Part("P-3", "Pin"), actor=None)
    assert master.get(db, Part, bolt).name == "Bolt"  # the first projector still folds the kind
    assert _rows(db, "test_length_count") == [("3", 2), ("4", 1)]
    with transaction(db) as tx:
        master.save_in(tx, Part("P-1", "Washer"), actor=None, entity_id=bolt)
    assert ("test_length_count", "6") in tx.changes.entities
    assert _rows(db, "test_length_count") == [("3", 2), ("6", 1)]  # '4' lost its only member: no row


def test_a_new_projector_version_rebuilds_and_a_derived_change_remakes_only_its_rows(db: Database) -> None:
    first = PROJECTORS.add(Projector("test_name_length", NameLength, frozenset({"master.part.upserted"}), _length))
    PROJECTORS.add_derived(Derived("test_length_count", LengthCount, frozenset({"test_name_length"}), _count_keys,
                                   _count))
    refold_if_changed(db)
    master.save(db, Part("P-1", "Bolt"), actor=None)
    assert refold_if_changed(db) is None  # nothing changed

    # A fixed fold (now counts the number too) with a new version: the whole log is folded again.
    PROJECTORS.add(Projector("test_name_length", NameLength, first.kinds,
                             lambda s, e: NameLength(len(e.payload["name"]) + len(e.payload["number"])), version=2))
    report = refold_if_changed(db)
    assert report is not None and report.events == 1
    assert _rows(db, "test_name_length", "length") == [(7,)]
    assert _rows(db, "test_length_count") == [("7", 1)]

    # A derived projector's new version: its rows are made again from the entity states, no replay.
    PROJECTORS.add_derived(Derived("test_length_count", LengthCount, frozenset({"test_name_length"}), _count_keys,
                                   lambda key, states: LengthCount(100), version=2))
    report = refold_if_changed(db)
    assert report is not None and report.events == 0 and report.derived == 1
    assert _rows(db, "test_length_count") == [("7", 100)]
    assert refold_if_changed(db) is None


def test_a_database_folded_before_versions_were_recorded_is_rebuilt(db: Database) -> None:
    from jitdesk.storage import identity

    master.save(db, Part("P-1", "Bolt"), actor=None)
    with db.writing() as session:  # what earlier versions stored: the folded kinds, comma-separated
        identity.set_setting(session, "folded_kinds", "master.part.upserted")
    report = refold_if_changed(db)
    assert report is not None and report.events == 1
    assert refold_if_changed(db) is None
