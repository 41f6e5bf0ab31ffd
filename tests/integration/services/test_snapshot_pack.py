"""Snapshot packing and its checks: the same events give the same hash; a snapshot made by other
folds, for another schema or plant, or damaged, is refused in plain words before anything is installed."""

from __future__ import annotations

import gzip
import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import orjson
import pytest

from bench.fold import generate
from jitdesk.services import snapshot_install
from jitdesk.services.snapshot_pack import Packed, SnapshotRefused, make, ranges, unpack
from jitdesk.storage.database import open_database


@pytest.fixture(scope="module")
def server_rows(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Any, ...]]:
    path = tmp_path_factory.mktemp("log") / "log.db"
    open_database(path).close()
    generate(path, 600)
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT event_id, plant_id, device_id, device_seq, hlc, wall_time, kind, entity_id, actor,"
                        " payload, schema_version, id, '2026-11-22T05:00:00.000Z' FROM events ORDER BY id").fetchall()
    conn.close()
    return rows


def repack(packed: Packed, **header: Any) -> tuple[dict[str, Any], bytes]:
    """The snapshot with header fields changed and a hash that matches the changed content."""
    lines = gzip.decompress(packed.body).split(b"\n")
    lines[0] = orjson.dumps({**orjson.loads(lines[0]), **header}, option=orjson.OPT_SORT_KEYS)
    content = b"\n".join(lines)
    meta = {**packed.meta(), "sha256": hashlib.sha256(content).hexdigest()}
    return meta, gzip.compress(content)


def test_the_same_events_give_the_same_hash(server_rows: list[tuple[Any, ...]]) -> None:
    first = make("plant", 600, [server_rows], tail_ms=0)
    again = make("plant", 600, [server_rows[:300], server_rows[300:]], tail_ms=0)
    assert first.sha256 == again.sha256 and first.header["events"] == 600 and first.header["tail"] == 0
    checked = unpack(first.meta(), first.body)
    assert sum(len(r) for r in checked.rows.values()) > 0 and checked.tail == []


@pytest.mark.parametrize(("change", "words"), [
    ({"folded_kinds": {"card": [99, ["kanban.card.emptied"]]}}, "made by other folds"),
    ({"schema": "0003"}, "made for database schema 0003"),
    ({"plant_id": "other"}, "plant_id (other) is not the one announced (plant)"),
    ({"format": "something-else/9"}, "in format something-else/9"),
])
def test_a_snapshot_that_does_not_fit_this_station_is_refused(
        server_rows: list[tuple[Any, ...]], change: dict[str, Any], words: str) -> None:
    meta, body = repack(make("plant", 600, [server_rows], tail_ms=0), **change)
    with pytest.raises(SnapshotRefused, match=words.replace("(", r"\(").replace(")", r"\)")):
        unpack(meta, body)


def test_a_damaged_download_is_refused(server_rows: list[tuple[Any, ...]]) -> None:
    packed = make("plant", 600, [server_rows], tail_ms=0)
    with pytest.raises(SnapshotRefused, match="download is damaged"):
        unpack(packed.meta(), packed.body[: len(packed.body) // 2])
    with pytest.raises(SnapshotRefused, match="does not match its hash"):
        unpack({**packed.meta(), "sha256": "0" * 64}, packed.body)


def test_a_station_of_another_plant_does_not_install_it(server_rows: list[tuple[Any, ...]], tmp_path: Path) -> None:
    packed = make("plant", 600, [server_rows], tail_ms=0)
    db = open_database(tmp_path / "station.db")
    try:
        with db.writing() as session:
            from jitdesk.storage import identity

            identity.set_setting(session, "plant_id", "elsewhere")
        with pytest.raises(SnapshotRefused, match="this station belongs to 'elsewhere'"):
            snapshot_install.install(db, unpack(packed.meta(), packed.body), "server-1")
        assert db.setting("snapshot_base") is None
    finally:
        db.close()


def test_the_tail_travels_as_events(server_rows: list[tuple[Any, ...]]) -> None:
    packed = make("plant", 600, [server_rows], tail_ms=24 * 3_600_000)
    checked = unpack(packed.meta(), packed.body)
    assert len(checked.tail) == 600 and json.loads(json.dumps(packed.header["covered"])) == {}


def test_ranges() -> None:
    assert ranges([7, 1, 2, 3, 8, 8]) == [[1, 3], [7, 8]]
    assert ranges([]) == []
