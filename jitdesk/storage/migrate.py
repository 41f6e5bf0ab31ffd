"""Alembic migrations run from code: at start-up and by `jitdesk db upgrade`.

Revisions are numbered ("0001_foundation.py" has revision "0001") and form one chain, so the newest
is known from the files without loading Alembic: an up-to-date database opens fast.
"""

from __future__ import annotations

import logging
import re
import sqlite3

from sqlalchemy import Engine, exc, text

from jitdesk.domain.errors import StorageProblem
from jitdesk.resources import migrations_dir

log = logging.getLogger("jitdesk.db")


_REVISION = re.compile(r"^revision = ['\"]([^'\"]+)['\"]", re.MULTILINE)


def known_revisions() -> list[str]:
    """Revision ids in chain order, read from each numbered file's `revision` line."""
    out = []
    for path in migrations_dir("versions").glob("[0-9][0-9][0-9][0-9]_*.py"):
        found = _REVISION.search(path.read_text(encoding="utf-8"))
        out.append(found.group(1) if found else path.name.split("_", 1)[0])
    return sorted(out)


def head_revision() -> str:
    return known_revisions()[-1]


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision; None for an empty database. Unreadable files raise StorageProblem."""
    try:
        with engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
            has_table = conn.execute(
                text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
            ).first()
            if has_table is None:
                other = conn.execute(text("SELECT count(*) FROM sqlite_master WHERE type='table'")).scalar()
                if other:
                    raise StorageProblem(
                        f"{_where(engine, True)} is an SQLite file, but not a jitdesk database."
                    )
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (exc.DatabaseError, sqlite3.DatabaseError) as error:
        raise unreadable(engine, error) from error


def environment_problem(engine: Engine, error: BaseException) -> StorageProblem | None:
    """The plain-words problem behind an SQLite error the environment caused, or None (a bug)."""
    detail = str(getattr(error, "orig", error))
    if "disk is full" in detail:
        return StorageProblem(f"The disk holding {_where(engine)} is full. Free some space and try again.")
    if "unable to open" in detail or "readonly" in detail:
        return StorageProblem(f"Cannot write {_where(engine)}: check that the folder exists and is writable.")
    if "locked" in detail:
        return StorageProblem(f"{_where(engine, True)} is busy: another program holds it. Try again shortly.")
    if "disk I/O error" in detail:
        return StorageProblem(f"The disk holding {_where(engine)} failed to read or write (disk I/O error).")
    return None


def unreadable(engine: Engine, error: BaseException) -> StorageProblem:
    known = environment_problem(engine, error)
    if known is not None:
        return known
    detail = str(getattr(error, "orig", error))
    return StorageProblem(
        f"{_where(engine, True)} is not a jitdesk database or is damaged ({detail}). "
        "Restore it from a backup or start with a new file."
    )


def _where(engine: Engine, start: bool = False) -> str:
    return f"{'The' if start else 'the'} database file {engine.url.database}"


def upgrade(engine: Engine) -> bool:
    """Bring the database to the newest schema; True when anything was done."""
    current = current_revision(engine)
    known = known_revisions()
    if current == known[-1]:
        return False
    if current is not None and current not in known:
        raise StorageProblem(
            f"{_where(engine, True)} was made by a newer jitdesk (schema {current}; this one knows up to "
            f"{known[-1]}). Install the newer jitdesk, or open another file."
        )
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    log.info("migrating %s from %s to %s", engine.url.database, current, known[-1])
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    except (exc.OperationalError, sqlite3.OperationalError) as error:
        raise unreadable(engine, error) from error
    return True
