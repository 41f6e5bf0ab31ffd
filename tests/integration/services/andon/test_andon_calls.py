"""Andon use cases on the demo plant: raise, claim, resolve, cancel, escalate, shelve, and the light."""

from __future__ import annotations

import pytest

from jitdesk.domain.andon.call import Status
from jitdesk.services.andon.board import andon_board, station_calls
from jitdesk.services.andon.calls import (
    AndonRefused,
    acknowledge,
    cancel,
    escalate,
    raise_call,
    resolve,
    shelve,
)
from jitdesk.storage import andon_repo
from jitdesk.storage.database import Database
from tests.helpers.andon_fixtures import AndonPlant

T = 1_800_000_000_000
MIN = 60_000


def _open(db: Database, station: str) -> list[Status]:
    with db.reading() as session:
        return [c.status for c in andon_repo.open_calls_at(session, station)]


def test_raise_needs_no_sign_in_and_a_second_press_shows_the_open_call(andon_plant: AndonPlant) -> None:
    db = andon_plant.db
    assert isinstance(db, Database)
    station = andon_plant.stations["L1-S4"]
    first = raise_call(db, andon_plant.types["MAINT"], station, now_ms=T)
    assert first.ok and first.words == "Maintenance call raised at station L1-S4"
    assert first.changes.touches("andon_call", "station_andon")
    again = raise_call(db, andon_plant.types["MAINT"], station, now_ms=T + 5000)
    assert not again.ok and again.open_call_id == first.call_id
    assert again.note.code == "andon.already_open" and again.words.startswith("a Maintenance call is already open")
    other = raise_call(db, andon_plant.types["MAT"], station, now_ms=T + 6000)
    assert other.ok
    assert _open(db, station) == [Status.RAISED, Status.RAISED]


def test_claim_resolve_with_roles_and_the_light(andon_plant: AndonPlant) -> None:
    db = andon_plant.db
    assert isinstance(db, Database)
    station = andon_plant.stations["L2-S4"]
    call_id = raise_call(db, andon_plant.types["QUAL"], station, now_ms=T).call_id
    assert call_id is not None
    lights = andon_board(db).lights
    assert (lights[station].light, lights[station].flash, lights[station].buzzer) == ("red", True, True)
    with pytest.raises(AndonRefused, match="sign in as supervisor"):
        acknowledge(db, call_id, actor=None, now_ms=T + MIN)
    with pytest.raises(AndonRefused, match="only a supervisor or higher"):
        acknowledge(db, call_id, actor=andon_plant.users["B-1001"], now_ms=T + MIN)
    done = acknowledge(db, call_id, actor=andon_plant.users["B-5001"], now_ms=T + MIN)
    assert done.words == "Quality call at station L2-S4: Marco Rossi is on the way"
    with pytest.raises(AndonRefused, match="already claimed, claimed by Marco Rossi"):
        acknowledge(db, call_id, actor=andon_plant.users["B-5002"], now_ms=T + 2 * MIN)
    light = andon_board(db).lights[station]
    assert (light.light, light.flash, light.buzzer) == ("red", False, False)
    resolved = resolve(db, call_id, "adjusted", "fixture re-set", actor=andon_plant.users["B-5001"], now_ms=T + 5 * MIN)
    assert resolved.words.endswith("resolved: adjusted")
    assert station not in andon_board(db).lights  # clear: green
    assert _open(db, station) == []


def test_cancel_at_the_station_escalate_and_shelve(andon_plant: AndonPlant) -> None:
    db = andon_plant.db
    assert isinstance(db, Database)
    station = andon_plant.stations["L1-S2"]  # the demo device's own station
    call_id = raise_call(db, andon_plant.types["HELP"], now_ms=T).call_id
    assert call_id is not None
    cancel(db, call_id, actor=None, now_ms=T + 1000)  # taken back here before anyone came
    assert _open(db, station) == []
    call_id = raise_call(db, andon_plant.types["MAINT"], now_ms=T).call_id
    assert call_id is not None
    assert escalate(db, call_id, now_ms=T + 1000).note.params["level"] == 1
    with pytest.raises(AndonRefused, match="only a supervisor or higher may shelve"):
        shelve(db, call_id, 30, actor=None, now_ms=T + 2000)
    shelved = shelve(db, call_id, 30, actor=andon_plant.users["B-5001"], now_ms=T + 2000)
    assert shelved.note.code == "andon.shelved"
    panel = station_calls(db)
    assert panel.station_code == "L1-S2" and [c.call_id for c in panel.calls] == [call_id]
    assert panel.calls[0].manual_level == 1 and panel.calls[0].shelved_until_ms == T + 2000 + 30 * MIN
    assert [t.code for _id, t in panel.buttons] == ["SAFE", "QUAL", "MAINT", "MAT", "HELP", "TAKT"]  # TAKT: demo.takt


def test_the_demo_has_history_and_open_calls(andon_plant: AndonPlant) -> None:
    db = andon_plant.db
    assert isinstance(db, Database)
    board = andon_board(db)
    assert len(board.stations) == 11  # line, supermarket and receiving stations; not the office
    assert len(board.calls) == 3
    with db.reading() as session:
        assert len(andon_repo.calls_raised_between(session, 0, 1 << 50)) > 30
