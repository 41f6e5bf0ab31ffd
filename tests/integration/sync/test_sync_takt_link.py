"""Two stations of a line, each looking with its own copy of the log while they cannot reach the server
(the owner's copy and the other's), both raise the episode's andon-link call; once both have synced
through a real server there is one call, on both stations, at the owner."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jitdesk.domain.master import CallType, Line, Plant, ShiftCalendar, Station, TaktLine
from jitdesk.services import master, station_identity
from jitdesk.services.takt.andon_link import look
from jitdesk.services.takt.cycles import complete_cycle
from jitdesk.services.takt.demand import set_in
from jitdesk.services.uow import transaction
from jitdesk.storage import andon_repo
from tests.helpers.sync_server import ServerProcess, make_token, sync_once
from tests.helpers.takt_plant import DAY, SHIFTS, at


def test_two_stations_calling_one_episode_give_one_call(start_server: Callable[..., ServerProcess],
                                                        sqlite_server_db: str, stations: Callable[[str], Any]) -> None:
    admin, a, b = stations("admin"), stations("a"), stations("b")
    with transaction(admin, now_ms=lambda: at(5)) as tx:  # first on its own: later events carry the plant
        plant_id = master.save_in(tx, Plant(code="TP", name="Takt plant", timezone="Europe/Berlin"), actor=None)
    with transaction(admin, now_ms=lambda: at(5, 30)) as tx:
        line = master.save_in(tx, Line(code="L1", name="Line 1"), actor=None)
        master.save_in(tx, ShiftCalendar(name="Two shifts", shifts=SHIFTS), actor=None)
        set_in(tx, line, DAY, 450, shift="Early", actor=None)
        owner = master.save_in(tx, Station(code="L1-A", name="Assembly A", role="line", line_id=line), actor=None)
        other = master.save_in(tx, Station(code="L1-B", name="Test B", role="line", line_id=line), actor=None)
        master.save_in(tx, CallType(code="TAKT", name="Behind takt", color="#FF9100"), actor=None)
        master.save_in(tx, TaktLine(line, andon_takts=3, andon_link=True), actor=None)
    for i in range(50):  # 50 made by 07:00 against 60 planned: 10 behind
        complete_cycle(admin, line, source="touch", now_ms=at(6, 0, 30) + i * 60_000)
    server = start_server(sqlite_server_db)
    tokens = {name: make_token(sqlite_server_db, plant_id, name, role) for name, role in
              (("admin", "admin"), ("a", "station"), ("b", "station"))}
    for db, name in ((admin, "admin"), (a, "a"), (b, "b")):
        assert sync_once(db, server.url, tokens[name]).quarantined == 0
    station_identity.assign(a, owner, actor=None)
    station_identity.assign(b, other, actor=None)

    raised_a = look(a, now_ms=at(7)).raised  # apart: each its own look, its own raise
    raised_b = look(b, now_ms=at(7, 0, 3)).raised
    assert len(raised_a) == 1 and raised_a == raised_b
    for db, name in ((a, "a"), (b, "b"), (a, "a")):
        assert sync_once(db, server.url, tokens[name]).quarantined == 0
    for db in (a, b):
        with db.reading() as session:
            calls = andon_repo.open_calls(session)
        assert [(c.call_id, c.station_id) for c in calls] == [(raised_a[0], owner)]
        assert look(db, now_ms=at(7, 1)).raised == ()
