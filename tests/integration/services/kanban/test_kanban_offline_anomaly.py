"""Two stations working offline empty the same card; when their events meet, both keep both events,
reach the same state, and the card carries an anomaly note (nothing is dropped)."""

from __future__ import annotations

import shutil
from pathlib import Path

from jitdesk.domain.kanban.status import Supply
from jitdesk.services.kanban.scanning import record_scan
from jitdesk.services.uow import transaction
from jitdesk.services.words import plant_words, stations_named
from jitdesk.storage import identity, kanban_repo
from jitdesk.storage.database import DEVICE_ID, open_database
from tests.helpers.kanban_plant import T0, build_plant


def test_concurrent_offline_empties_are_kept_and_flagged(tmp_path: Path) -> None:
    first = open_database(tmp_path / "a.db")
    plant = build_plant(first)
    first.close()
    shutil.copy(tmp_path / "a.db", tmp_path / "b.db")
    a = open_database(tmp_path / "a.db")
    b = open_database(tmp_path / "b.db")
    try:
        with b.writing() as session:  # a copied database is another device
            identity.set_setting(session, DEVICE_ID, "device-b")
        b.close()
        b = open_database(tmp_path / "b.db")
        card_id, code = plant.card("BOLT")
        line = plant.stations["LINE-1"]
        one = record_scan(a, code, line, now_ms=T0 + 1_000)
        two = record_scan(b, code, line, now_ms=T0 + 2_000)
        assert one.result == two.result == "emptied"
        with transaction(a) as tx:
            for event in two.changes.events:
                tx.ingest(event)
        with transaction(b) as tx:
            for event in one.changes.events:
                tx.ingest(event)
        states = []
        for db in (a, b):
            with db.reading() as session:
                states.append(kanban_repo.cards_by_id(session, [card_id])[card_id])
        assert states[0] == states[1]
        card = states[0]
        assert card.supply is Supply.EMPTY and card.anomaly_count == 1
        assert card.anomalies[0].code == "card.moved_twice"
        assert card.anomalies[0].params["station"] == card.anomalies[0].params["since_station"] == line
        words = plant_words(a, stations_named(card.anomalies))
        assert "emptied twice at station LINE-1: already empty since" in words.render(card.anomalies[0])
        for db in (a, b):  # the queue's derived table follows the re-fold too
            with db.reading() as session:
                items, total, _late = kanban_repo.queue(session, T0, 10)
            assert [i.card_id for i in items] == [card_id] and total == 1
    finally:
        a.close()
        b.close()
