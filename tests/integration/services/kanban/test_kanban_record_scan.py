"""record_scan through the real database: every result per station role, double scans, the scan log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from jitdesk.domain.kanban.codes import card_code, serial_of, status_code
from jitdesk.domain.kanban.status import Supply
from jitdesk.services.kanban import loops
from jitdesk.services.kanban.loops import save_loop
from jitdesk.services.kanban.scanning import ScanOutcome, record_scan
from jitdesk.storage import eventlog, kanban_repo
from jitdesk.storage.database import open_database
from tests.helpers.kanban_plant import MIN, T0, KanbanPlant


class Floor:
    """Scans at named stations with a clock that moves 10 s per scan (never a double scan by accident)."""

    def __init__(self, plant: KanbanPlant) -> None:
        self.plant = plant
        self.now = T0

    def scan(self, code: str, station: str, *, after_ms: int = 10_000) -> ScanOutcome:
        self.now += after_ms
        return record_scan(self.plant.db, code, self.plant.stations[station], now_ms=self.now, source="test")

    def supply(self, card_id: str) -> Supply:
        with self.plant.db.reading() as session:
            return kanban_repo.cards_by_id(session, [card_id])[card_id].supply


@pytest.fixture
def floor(plant: KanbanPlant) -> Floor:
    return Floor(plant)


def events(plant: KanbanPlant) -> int:
    with plant.db.reading() as session:
        return eventlog.count(session)


def test_a_supermarket_loop_goes_round_with_every_role(floor: Floor, plant: KanbanPlant) -> None:
    card_id, code = plant.card("BOLT")
    steps = [
        ("SUP", "lookup", Supply.FULL),  # a supervisor's scan only shows the card
        ("SM-A", "already_full", Supply.FULL),  # not emptied at the line yet
        ("RCV", "already_full", Supply.FULL),
        ("LINE-2", "wrong_station", Supply.FULL),  # another line station does not use this loop
        ("LINE-1", "emptied", Supply.EMPTY),
        ("LINE-1", "already_empty", Supply.EMPTY),  # a second look at the bin never cancels the signal
        ("SM-B", "wrong_station", Supply.EMPTY),  # the loop names SM-A as its supermarket
        ("SM-A", "picked", Supply.PICKING),
        ("SM-A", "shipped", Supply.IN_TRANSIT),
        ("SM-A", "already_done", Supply.IN_TRANSIT),
        ("LINE-1", "filled", Supply.FULL),
    ]
    for station, result, supply in steps:
        before = events(plant)
        outcome = floor.scan(code, station)
        assert (station, outcome.result) == (station, result), outcome.message
        assert floor.supply(card_id) is supply
        assert events(plant) == before + (1 if outcome.ok else 0)
        assert outcome.card_code == code and outcome.message
        assert outcome.tone == ("success" if outcome.ok else "info" if result == "lookup" else "refused")


def test_required_steps_cannot_be_skipped(floor: Floor, plant: KanbanPlant) -> None:
    _card_id, code = plant.card("GEAR")  # WAIT and PICKING required
    assert floor.scan(code, "LINE-1").result == "emptied"
    assert floor.scan(code, "RCV").result == "not_ready"
    assert floor.scan(code, "SM-A").result == "batched"
    assert floor.scan(code, "SM-A").result == "picked"
    assert floor.scan(code, "SM-A").result == "shipped"
    assert floor.scan(code, "RCV").result == "filled"


def test_outside_supplier_loop_is_filled_at_the_dock(floor: Floor, plant: KanbanPlant) -> None:
    _card_id, code = plant.card("MOTOR")
    assert floor.scan(code, "LINE-1").result == "emptied"
    assert floor.scan(code, "RCV").result == "filled"
    asked = status_code(serial_of(code) or 0, Supply.PICKING)  # the loop does not use PICKING
    floor.scan(code, "LINE-1")
    assert floor.scan(asked, "SM-A").result == "not_used"


def test_refusals_for_codes_and_card_states(floor: Floor, plant: KanbanPlant) -> None:
    card_id, code = plant.card("BOLT", 1)
    assert floor.scan(card_code(30_000), "LINE-1").result == "unknown"
    assert floor.scan("hello world", "LINE-1").result == "unknown"
    bad = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert floor.scan(bad, "LINE-1").result == "bad_check"
    loops.hold_cards(plant.db, [card_id], actor=None, reason="damaged bin")
    assert floor.scan(code, "LINE-1").result == "on_hold"
    loops.release_cards(plant.db, [card_id], actor=None)
    assert floor.scan(code, "LINE-1").result == "emptied"
    other_id, other = plant.card("BOLT", 2)
    loops.retire_cards(plant.db, [other_id], actor=None)
    assert floor.scan(other, "LINE-1").result == "retired"


def test_a_loop_not_in_use_refuses_its_cards(floor: Floor, plant: KanbanPlant) -> None:
    from dataclasses import replace

    detail = loops.loop_detail(plant.db, plant.loops["BOLT"])
    save_loop(plant.db, replace(detail.loop, active=False), actor=None, loop_id=plant.loops["BOLT"])
    assert floor.scan(plant.card("BOLT")[1], "LINE-1").result == "loop_inactive"


def test_double_scan_within_the_window_is_not_a_second_event(floor: Floor, plant: KanbanPlant) -> None:
    card_id, code = plant.card("BOLT")
    assert floor.scan(code, "LINE-1").result == "emptied"
    before = events(plant)
    again = floor.scan(code, "LINE-1", after_ms=1_500)
    assert again.result == "double_scan" and again.tone == "info" and not again.ok
    assert events(plant) == before
    late = floor.scan(code, "LINE-1", after_ms=5_000)  # past the 3 s window: an honest second look
    assert late.result == "already_empty"
    short = record_scan(plant.db, code, plant.stations["LINE-1"], now_ms=floor.now + 1_500, double_scan_seconds=1.0)
    assert short.result == "already_empty"  # a 1 s window from the settings
    assert floor.supply(card_id) is Supply.EMPTY


def test_every_scan_is_in_the_scan_log_and_the_scan_logger(floor: Floor, plant: KanbanPlant,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="jitdesk.scan")
    code = plant.card("BOLT")[1]
    floor.scan(code, "LINE-1")
    floor.scan("\x00\xffNOISE\x1b[2J", "LINE-1")
    with plant.db.reading() as session:
        log = kanban_repo.recent_scans(session, plant.stations["LINE-1"], 10)
    assert [r.result for r in log] == ["unknown", "emptied"]
    assert log[1].event_id is not None and log[0].event_id is None
    assert log[0].text == "\\x00ÿNOISE\\x1b[2J"  # stored printable
    assert "unknown code" in log[0].message
    assert any("emptied" in r.getMessage() for r in caplog.records)
    assert any(r.levelno == logging.WARNING and "unknown" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("junk", ["", " ", "K" * 5000, "\u202eK000001W", "K000001W\x00", "ｋ０００００１Ｗ",
                                  "SX000001A", "K00000!W", "k000001w\r\n"])
def test_nothing_a_scanner_sends_raises_or_writes_a_wrong_event(floor: Floor, plant: KanbanPlant, junk: str) -> None:
    before = events(plant)
    outcome = floor.scan(junk, "LINE-1")
    assert outcome.result in {"unknown", "bad_check"} or outcome.ok
    if outcome.ok:  # lower case and terminators are read as the code they carry
        assert outcome.card_code == junk.strip("\r\n\x00 ").upper()
    assert events(plant) == before + (1 if outcome.ok else 0)


def test_a_device_without_a_station_refuses_in_plain_words(tmp_path: Path) -> None:
    db = open_database(tmp_path / "empty.db")
    try:
        outcome = record_scan(db, "K000001W", now_ms=T0)
        assert outcome.result == "wrong_station" and "no station" in outcome.message
        assert record_scan(db, "K000001W", "no-such-station", now_ms=T0 + MIN).result == "wrong_station"
    finally:
        db.close()
