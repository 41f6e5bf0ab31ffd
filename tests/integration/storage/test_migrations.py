"""Migrations from empty to head on a real file; unreadable and future databases give clear errors."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from jitdesk.domain.errors import StorageProblem
from jitdesk.resources import migrations_dir
from jitdesk.storage import migrate
from jitdesk.storage.database import open_database
from jitdesk.storage.engine import make_engine


def test_numbered_file_names_agree_with_alembic() -> None:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    script = ScriptDirectory.from_config(config)
    assert script.get_current_head() == migrate.head_revision()
    assert sorted(r.revision for r in script.walk_revisions()) == migrate.known_revisions()


def test_empty_file_migrates_to_head_with_pragmas(db_path: Path) -> None:
    db = open_database(db_path)
    db.close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == migrate.head_revision()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"events", "device_state", "plant", "line", "station", "part", "user"} <= tables
    conn.close()


def test_engine_sets_durability_pragmas(db_path: Path) -> None:
    engine = make_engine(db_path)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
    engine.dispose()


def test_database_from_the_future_is_refused(db_path: Path) -> None:
    open_database(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    with pytest.raises(StorageProblem, match="made by a newer jitdesk"):
        open_database(db_path)


def test_corrupt_file_is_refused_in_plain_words(tmp_path: Path) -> None:
    path = tmp_path / "garbage.db"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StorageProblem, match="not a jitdesk database or is damaged"):
        open_database(path)


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StorageProblem, match="not a jitdesk database"):
        open_database(path)


def test_folder_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(StorageProblem, match="is a folder"):
        open_database(tmp_path)


def _jitdesk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jitdesk", *args], capture_output=True, text=True, timeout=120)


def test_db_upgrade_command(db_path: Path) -> None:
    first = _jitdesk("db", "upgrade", "--db", str(db_path))
    assert first.returncode == 0, first.stderr
    assert "upgraded from empty" in first.stdout
    again = _jitdesk("db", "upgrade", "--db", str(db_path))
    assert "already at the newest schema" in again.stdout


def test_db_upgrade_on_garbage_says_so_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.db"
    path.write_bytes(b"\x00\x01garbage" * 1000)
    result = _jitdesk("db", "upgrade", "--db", str(path))
    assert result.returncode == 2
    assert "not a jitdesk database or is damaged" in result.stderr
    assert "Traceback" not in result.stderr
