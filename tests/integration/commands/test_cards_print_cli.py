"""`jitdesk cards print` as a person or a script runs it: a real process, exit codes, one-line answers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from jitdesk.storage.database import open_database
from tests.helpers.printing import Plant, build_plant, cards_of, decode_pdf, needs_tools


@pytest.fixture
def plant_file(tmp_path: Path) -> tuple[Path, Plant]:
    path = tmp_path / "plant.db"
    db = open_database(path)
    try:
        plant = build_plant(db, path)
    finally:
        db.close()
    return path, plant


def jitdesk(*args: str) -> subprocess.CompletedProcess[str]:
    # The suite's private user dirs (JITDESK_*_DIR) are in os.environ and pass on to the child.
    return subprocess.run([sys.executable, "-m", "jitdesk", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


@needs_tools
def test_print_all_then_reprint_one_loop(plant_file: tuple[Path, Plant], tmp_path: Path) -> None:
    db, plant = plant_file
    out = tmp_path / "cards.pdf"

    done = jitdesk("cards", "print", "--db", str(db), "--all", "--out", str(out))

    assert done.returncode == 0, done.stderr
    assert done.stdout == "printed 15 cards of 2 loops to cards.pdf\n"
    assert sum(len(page) for page in decode_pdf(out, tmp_path / "png")) == 15

    again = jitdesk("cards", "print", "--db", str(db), "--all", "--out", str(tmp_path / "again.pdf"))
    assert again.returncode == 2
    assert again.stderr.startswith("jitdesk: Nothing to print: every card of the active loops has been printed")
    assert "Traceback" not in again.stderr
    assert not (tmp_path / "again.pdf").exists()

    out2 = tmp_path / "reprint.pdf"
    done = jitdesk("cards", "print", "--db", str(db), "--loop", "L-SCR-02", "--loop", plant.loop_ids["L-BRK-01"],
                   "--reprint", "--out", str(out2))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "printed 15 cards of 2 loops to reprint.pdf"
    db_ = open_database(db)
    try:
        assert {c.print_version for c in cards_of(db_, plant, "L-SCR-02")} == {2}
    finally:
        db_.close()


def test_unknown_loops_are_named(plant_file: tuple[Path, Plant], tmp_path: Path) -> None:
    db, _plant = plant_file
    out = tmp_path / "cards.pdf"
    done = jitdesk("cards", "print", "--db", str(db), "--loop", "L-BRK-01", "--loop", "NOPE", "--out", str(out))
    assert done.returncode == 2
    assert done.stderr.strip() == "jitdesk: Unknown loop 'NOPE': no loop has that id or code."
    assert done.stdout == "" and not out.exists()


def test_unwritable_output_path(plant_file: tuple[Path, Plant], tmp_path: Path) -> None:
    db, _plant = plant_file
    (tmp_path / "a-file").write_text("x")
    out = tmp_path / "a-file" / "cards.pdf"
    done = jitdesk("cards", "print", "--db", str(db), "--all", "--out", str(out))
    assert done.returncode == 2
    assert "Cannot write" in done.stderr and "is not a folder" in done.stderr
    assert "Nothing was recorded as printed" in done.stderr and "Traceback" not in done.stderr
    # Nothing was recorded: a good path afterwards still prints all 15 cards.
    done = jitdesk("cards", "print", "--db", str(db), "--all", "--out", str(tmp_path / "ok.pdf"))
    assert done.returncode == 0 and done.stdout.startswith("printed 15 cards")


def test_missing_database_is_not_created(tmp_path: Path) -> None:
    db = tmp_path / "nothing-here.db"
    done = jitdesk("cards", "print", "--db", str(db), "--all", "--out", str(tmp_path / "c.pdf"))
    assert done.returncode == 2
    assert done.stderr.strip() == f"jitdesk: There is no database at {db}."
    assert not db.exists()


@pytest.mark.parametrize("args", [
    ["--all"],  # no --out
    ["--out", "c.pdf"],  # neither --loop nor --all
    ["--all", "--loop", "L-1", "--out", "c.pdf"],  # both
])
def test_bad_arguments_exit_2_with_usage(tmp_path: Path, args: list[str]) -> None:
    done = jitdesk("cards", "print", "--db", str(tmp_path / "x.db"), *args)
    assert done.returncode == 2
    assert "usage: jitdesk cards print" in done.stderr


def test_help_explains_the_command() -> None:
    done = jitdesk("cards", "print", "--help")
    assert done.returncode == 0
    for words in ("--loop ID", "--all", "--reprint", "--out FILE.pdf", "Code 128", "REPRINT n", "examples:"):
        assert words in done.stdout, words
