"""Two admin devices add cards while offline and hand out the same serial: when their events meet,
both cards are kept (sync never stalls on them), a scan of the shared code is refused in plain words,
and retiring one of the two makes the code scan again."""

from __future__ import annotations

import shutil
from pathlib import Path

from jitdesk.services.kanban.loops import add_cards, retire_cards
from jitdesk.services.kanban.scanning import record_scan
from jitdesk.services.uow import transaction
from jitdesk.storage import identity, kanban_repo
from jitdesk.storage.database import DEVICE_ID, open_database
from tests.helpers.kanban_plant import T0, build_plant


def test_same_code_from_two_offline_devices(tmp_path: Path) -> None:
    first = open_database(tmp_path / "a.db")
    plant = build_plant(first)
    first.close()
    shutil.copy(tmp_path / "a.db", tmp_path / "b.db")
    with open_database(tmp_path / "b.db").writing() as session:
        identity.set_setting(session, DEVICE_ID, "device-b")
    a, b = open_database(tmp_path / "a.db"), open_database(tmp_path / "b.db")
    try:
        (card_a,), _ = add_cards(a, plant.loops["BOLT"], 1, actor=None)
        (card_b,), made_b = add_cards(b, plant.loops["GEAR"], 1, actor=None)
        with a.reading() as session:
            code = kanban_repo.cards_by_id(session, [card_a])[card_a].code
        with b.reading() as session:
            assert kanban_repo.cards_by_id(session, [card_b])[card_b].code == code  # the clash
        with transaction(a) as tx:
            assert all(tx.ingest(e) for e in made_b.events)
        with a.reading() as session:
            assert sorted(kanban_repo.card_ids_by_code(session, code)) == sorted([card_a, card_b])
        refused = record_scan(a, code, plant.stations["LINE-1"], now_ms=T0 + 5_000)
        assert refused.result == "duplicate_code"
        assert "two cards carry the code" in refused.message
        assert refused.event_id is None
        retire_cards(a, [card_b], actor=None, reason="duplicate code")
        again = record_scan(a, code, plant.stations["LINE-1"], now_ms=T0 + 6_000)
        assert again.result == "emptied"
        assert again.card_id == card_a
    finally:
        a.close()
        b.close()
