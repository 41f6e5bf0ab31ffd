"""Scan answers a worker can trust: they name the part and the card's place in its loop, and a card
scanned at the wrong station says where it belongs (on the demo plant, station L1-S2)."""

from __future__ import annotations

from typing import Any

from jitdesk.services.kanban.scanning import record_scan


def _cards(hub: Any, where: str, supply: str) -> list[tuple[str, str, int, int]]:
    """(code, part name, card number, cards in loop) of cards in loops consumed at station `where`."""
    with hub.db.reading() as session:
        rows = session.connection().exec_driver_sql(
            "SELECT c.code, p.name, c.number, (SELECT count(*) FROM card k WHERE k.loop_id = c.loop_id) "
            "FROM card c JOIN loop l ON l.id = c.loop_id JOIN part p ON p.id = l.part_id "
            "WHERE c.supply = ? AND c.admin = 'ACTIVE' AND l.code LIKE ? ORDER BY c.code",
            (supply, f"{where}:%")).fetchall()
    return [tuple(r) for r in rows]


def test_an_emptied_card_names_its_part_and_card_number_of_the_loop(demo_hub: Any) -> None:
    code, part, number, of = _cards(demo_hub, "L1-S2", "FULL")[0]
    outcome = record_scan(demo_hub.db, code)
    assert outcome.result == "emptied"
    assert outcome.note is not None and outcome.note.code == "scan.emptied.named"
    assert outcome.message.startswith(f"{part}, card {number} of {of}, is now empty")


def test_a_card_of_another_station_says_where_it_belongs(demo_hub: Any) -> None:
    code, part, _number, _of = _cards(demo_hub, "L1-S1", "FULL")[0]
    outcome = record_scan(demo_hub.db, code)
    assert outcome.result == "wrong_station"
    assert outcome.message.startswith(f"{part} (card {code}, loop L1-S1:")
    assert "belongs at station L1-S1, not here" in outcome.message
