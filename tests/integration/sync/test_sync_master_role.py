"""A station whose sync token is a station token refuses master edits before making them (it knows
its role from hello), instead of keeping a change only it shows, for ever."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from jitdesk.domain.errors import NotAllowed
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
