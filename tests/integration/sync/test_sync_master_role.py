"""A station whose sync token is a station token refuses master edits before making them (it knows
its role from hello), instead of keeping a change only it shows, for ever."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from jitdesk.domain.errors import NotAllowed, NotFound
from jitdesk.domain.master import Part
from jitdesk.services import master
from tests.helpers.sync_server import ServerProcess, make_token, sync_once


def test_a_station_token_refuses_master_edits_up_front(
        sqlite_server_db: str, start_server: Callable[..., ServerProcess], stations: Callable[[str], Any]) -> None:
    server = start_server(sqlite_server_db)
    line, office = stations("line"), stations("office")
    part_id, _ = master.save(line, Part("P-1", "Bolt"), actor=None)  # before it ever synced: its own data
    sync_once(line, server.url, make_token(sqlite_server_db, "P1", "line-1"))
    with pytest.raises(NotAllowed, match="admin device"):
        master.save(line, Part("P-1", "Bolt renamed"), actor=None, entity_id=part_id)
    assert [p.value.name for p in master.records(line, Part)] == ["Bolt"]
    sync_once(office, server.url, make_token(sqlite_server_db, "P1", "office", "admin"))
    master.save(office, Part("P-2", "Nut"), actor=None)  # an admin token may


def part_edits(db: Any, part_id: str) -> list[Any]:
    from jitdesk.storage import eventlog

    with db.reading() as session:
        return eventlog.entity_events(session, part_id, ["master.part.upserted"])


def test_edits_made_apart_are_a_conflict_kept_and_shown(
        sqlite_server_db: str, start_server: Callable[..., ServerProcess], stations: Callable[[str], Any]) -> None:
    from jitdesk.services import master_conflicts

    server = start_server(sqlite_server_db)
    one, two = stations("office-1"), stations("office-2")
    t1 = make_token(sqlite_server_db, "P1", "office-1", "admin")
    t2 = make_token(sqlite_server_db, "P1", "office-2", "admin")
    part_id, _ = master.save(one, Part("P-1", "Bolt"), actor=None)
    sync_once(one, server.url, t1)
    sync_once(two, server.url, t2)
    master.save(one, Part("P-1", "Bolt M8"), actor=None, entity_id=part_id)
    assert master_conflicts.conflicts(one) == []  # an edit that saw the version before it
    master.save(two, Part("P-1", "Bolt M10"), actor=None, entity_id=part_id)  # made apart, offline
    for _ in range(2):
        sync_once(one, server.url, t1)
        sync_once(two, server.url, t2)
    assert master.get(one, Part, part_id) == master.get(two, Part, part_id)  # one answer everywhere
    found = master_conflicts.conflicts(one)
    assert found == master_conflicts.conflicts(two) and len(found) == 1
    assert found[0].kind == "part" and found[0].record == "P-1"
    assert {found[0].edit_id, found[0].overwrote_id} == {e.event_id for e in part_edits(one, part_id)[1:]}
    # An admin keeps the version that was overwritten: a new edit made with the newest version in
    # view, so the conflict is settled on every copy and that version is the record again.
    conflict = found[0]
    kept = master.get(one, Part, part_id)
    lost = "Bolt M8" if kept.name == "Bolt M10" else "Bolt M10"
    with pytest.raises(NotFound):
        master_conflicts.keep_version(one, conflict, "not-a-version", actor=None)
    master_conflicts.keep_version(one, conflict, conflict.overwrote_id, actor=None)
    assert master.get(one, Part, part_id).name == lost
    assert master_conflicts.conflicts(one) == []
    for _ in range(2):
        sync_once(one, server.url, t1)
        sync_once(two, server.url, t2)
    assert master.get(two, Part, part_id).name == lost and master_conflicts.conflicts(two) == []
