"""Material calls from kanban: the last full card of a loop emptied at the line raises a material call
for that station; a full card arriving resolves it; a loop switched off raises none."""

from __future__ import annotations

from dataclasses import replace

from jitdesk.domain.andon.call import CALL_PROJECTOR, Status
from jitdesk.domain.kanban.card import CARD_FILLED, move_payload
from jitdesk.domain.kanban.loop import LOOP_PROJECTOR, Loop
from jitdesk.domain.kanban.status import Admin, Supply
from jitdesk.services.andon.material import follow_card
from jitdesk.services.kanban.loops import save_loop
from jitdesk.services.kanban.scanning import record_scan
from jitdesk.services.uow import transaction
from jitdesk.storage import andon_repo, kanban_repo, projections
from jitdesk.storage.database import Database
from tests.helpers.andon_fixtures import AndonPlant


def _loop_with_full_cards(db: Database, station: str) -> tuple[str, Loop, list[str], list[str]]:
    """A loop used at `station` with full cards: (loop id, loop, full card codes, full card ids)."""
    with db.reading() as session:
        loops = [(lid, loop) for lid, loop in kanban_repo.loops_of_station(session, station)
                 if loop.consumer_station_id == station]
        cards = kanban_repo.cards_of_loops(session, [lid for lid, _ in loops])
    for loop_id, loop in loops:
        full = [c for c in cards[loop_id] if c.supply is Supply.FULL and c.admin is Admin.ACTIVE and c.added]
        if full:
            return loop_id, loop, [c.code for c in full], [c.card_id for c in full]
    raise AssertionError("the demo has a loop with full cards at the station")


def _calls(db: Database, station: str) -> list[tuple[str | None, str, Status]]:
    with db.reading() as session:
        return [(c.loop_id, c.source, c.status) for c in andon_repo.open_calls_at(session, station)]


def test_the_last_full_card_emptied_raises_a_material_call_and_a_fill_resolves_it(andon_plant: AndonPlant) -> None:
    db = andon_plant.db
    assert isinstance(db, Database)
    station = andon_plant.stations["L1-S2"]
    loop_id, _loop, codes, ids = _loop_with_full_cards(db, station)
    for code in codes[:-1]:
        assert record_scan(db, code).ok
        assert all(c[0] != loop_id for c in _calls(db, station))  # full cards left: no call yet
    last = record_scan(db, codes[-1])
    assert last.ok and last.changes.touches("andon_call", "station_andon")
    assert (loop_id, "kanban", Status.RAISED) in _calls(db, station)
    with db.reading() as session:
        call = andon_repo.open_call_of_loop(session, loop_id)
    assert call is not None and call.note.startswith("loop ")

    with transaction(db) as tx:  # a full card arrives (the fill, as any station's scan writes it)
        tx.append(CARD_FILLED, ids[0], move_payload(station), None)
        follow_card(tx, ids[0])
    assert all(c[0] != loop_id for c in _calls(db, station))
    with db.reading() as session:
        done = projections.load(session, CALL_PROJECTOR, call.call_id)
    assert done is not None and done[0].status is Status.RESOLVED and done[0].end_reason == "material_delivered"


def test_a_loop_switched_off_raises_no_call(andon_plant: AndonPlant) -> None:
    db = andon_plant.db
    assert isinstance(db, Database)
    station = andon_plant.stations["L1-S2"]
    loop_id, loop, codes, _ids = _loop_with_full_cards(db, station)
    save_loop(db, replace(loop, material_call=False), actor=andon_plant.users["B-9001"], loop_id=loop_id)
    with db.reading() as session:
        found = projections.load(session, LOOP_PROJECTOR, loop_id)
        assert found is not None and found[0].material_call is False
        assert kanban_repo.loops_of_station(session, station)  # the row reads back with its switch
    for code in codes:
        assert record_scan(db, code).ok
    assert all(c[0] != loop_id for c in _calls(db, station))

