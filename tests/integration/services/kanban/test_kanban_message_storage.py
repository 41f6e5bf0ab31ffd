"""Messages as codes in storage: the scan log keeps each answer's code and parameters (and its words in
the plant's time zone), reads give the plant's Words, and a database made by the old code path (scan
log rows with only words, anomaly notes stored as sentences) still shows those as they were."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from zoneinfo import ZoneInfo

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from jitdesk.domain.kanban.card import CARD_EMPTIED, move_payload
from jitdesk.domain.master import Plant
from jitdesk.domain.messages import Message, legacy
from jitdesk.resources import migrations_dir
from jitdesk.services import master
from jitdesk.services.kanban.board import board_page
from jitdesk.services.kanban.scanning import record_scan
from jitdesk.services.kanban.station import station_panel
from jitdesk.services.uow import transaction
from jitdesk.services.words import Words
from jitdesk.storage import kanban_repo
from jitdesk.storage.database import PLANT_ID, Database, open_database
from jitdesk.storage.engine import make_engine
from tests.helpers.kanban_plant import MIN, T0, KanbanPlant, build_plant

BERLIN = ZoneInfo("Europe/Berlin")


def plant_in(db: Database, zone: str) -> None:
    """The test plant, now in time zone `zone`."""
    master.save(db, Plant(code="TP", name="Test plant", timezone=zone), actor=None, entity_id=db.setting(PLANT_ID),
                now_ms=lambda: T0 - 30 * MIN)  # before the scans: their clock must not run behind


def test_scan_answers_are_stored_as_codes_and_shown_in_the_plant_time_zone(plant: KanbanPlant) -> None:
    db = plant.db
    plant_in(db, "Europe/Berlin")
    _card_id, code = plant.card("BOLT")
    line = plant.stations["LINE-1"]
    assert record_scan(db, code, line, now_ms=T0).result == "emptied"
    again = record_scan(db, code, line, now_ms=T0 + 10 * MIN)
    assert again.result == "already_empty"
    assert again.note == Message("scan.already_empty", {"code": code, "since_ms": T0})
    when = Words(BERLIN).time(T0)
    assert when.endswith("CEST")  # T0 is in September
    assert again.message == f"card {code} is already empty (since {when})"
    with db.reading() as session:
        stored = session.connection().exec_driver_sql(
            "SELECT code, params, message FROM scan_log ORDER BY id DESC LIMIT 1").fetchone()
    assert tuple(stored) == ("scan.already_empty", json.dumps({"code": code, "since_ms": T0}, separators=(",", ":")),
                             again.message)
    panel = station_panel(db, now_ms=T0 + 11 * MIN)
    assert panel.scans[0].note == again.note and panel.scans[0].shown == again.note
    assert panel.words.render(panel.scans[0].shown) == again.message
    assert panel.words.clock(panel.scans[0].at_ms) == Words(BERLIN).clock(T0 + 10 * MIN)


def test_without_a_plant_times_are_utc(db: Database) -> None:
    outcome = record_scan(db, "K000001W", "nowhere", now_ms=T0)
    assert outcome.note == Message("scan.station_unknown", {})
    assert station_panel(db, "nowhere", now_ms=T0).words.zone is not BERLIN
    assert "UTC" in station_panel(db, "nowhere", now_ms=T0).words.time(T0)


def test_a_plant_zone_this_machine_does_not_know_falls_back_to_utc(plant: KanbanPlant) -> None:
    plant_in(plant.db, "Atlantis/Capital")
    assert station_panel(plant.db, now_ms=T0).words.time(T0).endswith("UTC")


def test_board_notes_and_reasons_are_codes_rendered_with_station_codes(plant: KanbanPlant) -> None:
    db = plant.db
    plant_in(db, "Europe/Berlin")
    card_id, _code = plant.card("GEAR")
    for offset, station in ((0, "LINE-1"), (5, "LINE-2")):  # two stations emptied it while offline
        with transaction(db, now_ms=lambda offset=offset: T0 + offset * MIN) as tx:
            tx.append(CARD_EMPTIED, card_id, move_payload(plant.stations[station]), None)
    page = board_page(db, now_ms=T0 + 6 * MIN)
    row = next(r for r in page.rows if r.loop.code == "GEAR")
    card = next(c for c in row.cards if c.card_id == card_id)
    assert card.anomalies[0].code == "card.moved_twice"
    assert page.words.stations == {plant.stations["LINE-1"]: "LINE-1", plant.stations["LINE-2"]: "LINE-2"}
    assert page.words.note(card.anomalies[0]) == (
        f"{Words(BERLIN).time(T0 + 5 * MIN)}: emptied twice at station LINE-2: already empty since "
        f"{Words(BERLIN).time(T0)} (station LINE-1)")
    assert Message("loop.anomalies", {"count": 1}) in row.risk.reasons


def downgrade_below_messages(path: Path) -> None:
    """Take a database back to the schema before scan_log had codes (what an older version made)."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    before = ScriptDirectory.from_config(config).get_revision("0007").down_revision
    engine = make_engine(path)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, str(before))
    engine.dispose()


def test_rows_written_by_an_older_version_show_as_they_were(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = open_database(path)
    plant = build_plant(db)
    card_id, code = plant.card("BOLT")
    line = plant.stations["LINE-1"]
    db.close()
    downgrade_below_messages(path)
    old_answer = "unknown code: this is not a kanban card"
    old_note = "2026-09-21 13:33:20 UTC: emptied twice at station line-2: already EMPTY since 2026-09-21 13:30:00 UTC"
    conn = sqlite3.connect(path)
    assert "code" not in {row[1] for row in conn.execute("PRAGMA table_info(scan_log)")}
    # the old code path's writes: the scan log's INSERT of the older version, a card row with sentence notes
    conn.execute("INSERT INTO scan_log (at_ms, station_id, source, text, result, tone, message, card_id, event_id)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (T0, line, "manual", "hello", "unknown", "refused", old_answer, None, None))
    conn.execute("UPDATE card SET anomalies = ?, anomaly_count = 1 WHERE id = ?", (json.dumps([old_note]), card_id))
    conn.commit()
    conn.close()

    db = open_database(path)  # upgrades the schema; old rows stay as they are
    try:
        plant_in(db, "Europe/Berlin")
        new = record_scan(db, "hello", line, now_ms=T0 + MIN)
        panel = station_panel(db, now_ms=T0 + 2 * MIN)
        assert [(r.text, r.note) for r in panel.scans] == [("hello", new.note), ("hello", None)]
        assert [panel.words.render(r.shown) for r in panel.scans] == [old_answer, old_answer]
        page = board_page(db, now_ms=T0 + 2 * MIN)
        row = next(r for r in page.rows if r.loop.code == "BOLT")
        card = next(c for c in row.cards if c.card_id == card_id)
        assert card.anomalies == (legacy(old_note),)
        assert page.words.note(card.anomalies[0]) == old_note
        assert Message("loop.anomalies", {"count": 1}) in row.risk.reasons
        # the card folds on from the old row: the old note stays, new notes are codes
        assert record_scan(db, code, line, now_ms=T0 + 3 * MIN).result == "emptied"
        with transaction(db, now_ms=lambda: T0 + 10 * MIN) as tx:
            tx.append(CARD_EMPTIED, card_id, move_payload(line), None)
        with db.reading() as session:
            folded = kanban_repo.cards_by_id(session, [card_id])[card_id]
        assert folded.anomalies[0] == legacy(old_note) and folded.anomalies[1].code == "card.moved_twice"
    finally:
        db.close()
