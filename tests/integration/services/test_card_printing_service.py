"""The print use case on a real station database: which cards, the PDF scans back, print state recorded."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jitdesk.domain.auth import Role
from jitdesk.domain.errors import BadInput, NotAllowed, NotFound, StorageProblem
from jitdesk.domain.kanban.card import CARD_PRINTED
from jitdesk.domain.kanban.status import Admin
from jitdesk.services import card_printing, master
from jitdesk.services.card_printing import NothingToPrint, OutputProblem, print_cards, printable_loops
from jitdesk.services.kanban import loops as kanban_loops
from jitdesk.storage.database import Database
from jitdesk.storage.schema import EventRow, table
from tests.helpers.printing import Plant, cards_of, decode_pdf, needs_tools, pdf_text

EVENTS = table(EventRow)


def printed_events(db: Database) -> int:
    with db.reading() as session:
        return int(session.execute(select(func.count()).where(EVENTS.c.kind == CARD_PRINTED)).scalar_one())


def versions(db: Database, plant: Plant, code: str) -> dict[int, int]:
    return {c.number: c.print_version for c in cards_of(db, plant, code)}


def in_use_codes(db: Database, plant: Plant, *loops: str) -> list[str]:
    return [c.code for loop in loops for c in cards_of(db, plant, loop) if c.admin is not Admin.RETIRED]


@needs_tools
def test_print_all_prints_every_never_printed_card_and_records_version_1(
        plant_db: tuple[Database, Plant], tmp_path: Path) -> None:
    db, plant = plant_db
    out = tmp_path / "cards.pdf"

    report = print_cards(db, loop_ids=None, reprint=False, out=out, actor=None)

    expected = in_use_codes(db, plant, "L-BRK-01", "L-SCR-02")  # the inactive loop is not "all"
    assert report.cards == 6 + 9 == len(expected)
    assert (report.loops, report.pages) == (2, 2)
    assert report.summary == "printed 15 cards of 2 loops to cards.pdf"
    assert list(report.codes) == expected  # by loop code, then card number
    pages = decode_pdf(out, tmp_path / "png")
    assert [sorted(p) for p in pages] == [sorted(expected[:8]), sorted(expected[8:])]
    # The print state: version 1 on every printed card (the held one too), none on the retired card.
    a = versions(db, plant, "L-BRK-01")
    assert a == {1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 0}
    assert set(versions(db, plant, "L-SCR-02").values()) == {1}
    assert set(versions(db, plant, "L-OLD-09").values()) == {0}
    assert printed_events(db) == 15
    assert report.changes.touches("card") and len(report.changes.events) == 15
    text = pdf_text(out)
    assert "REPRINT" not in text and "card 6 of 6" in text and "card 9 of 9" in text
    assert "BRK-2210" in text and "Warehouse W2, rack 14" in text and "ST-07 · Brake line" in text


@needs_tools
def test_reprint_by_loop_code_prints_all_cards_again_as_version_2(plant_db: tuple[Database, Plant],
                                                                  tmp_path: Path) -> None:
    db, plant = plant_db
    print_cards(db, loop_ids=None, reprint=False, out=tmp_path / "first.pdf", actor=None)

    with pytest.raises(NothingToPrint, match="printed already"):
        print_cards(db, loop_ids=["L-BRK-01"], reprint=False, out=tmp_path / "again.pdf", actor=None)
    assert not (tmp_path / "again.pdf").exists()

    out = tmp_path / "reprint.pdf"
    report = print_cards(db, loop_ids=["L-BRK-01"], reprint=True, out=out, actor=None)
    assert report.summary == "printed 6 cards of 1 loop to reprint.pdf"
    assert sorted(decode_pdf(out, tmp_path / "png")[0]) == sorted(in_use_codes(db, plant, "L-BRK-01"))
    assert versions(db, plant, "L-BRK-01") == {1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 0}
    assert set(versions(db, plant, "L-SCR-02").values()) == {1}  # the other loop untouched
    assert pdf_text(out).count("REPRINT 2") == 6
    assert printed_events(db) == 15 + 6


def test_only_new_cards_print_after_a_loop_grew(plant_db: tuple[Database, Plant], tmp_path: Path) -> None:
    db, plant = plant_db
    print_cards(db, loop_ids=None, reprint=False, out=tmp_path / "first.pdf", actor=None)
    kanban_loops.add_cards(db, plant.loop_ids["L-SCR-02"], 2, actor=None)

    report = print_cards(db, loop_ids=[plant.loop_ids["L-SCR-02"]], reprint=False, out=tmp_path / "new.pdf",
                         actor=None)

    assert report.cards == 2
    new = [c for c in cards_of(db, plant, "L-SCR-02") if c.number > 9]
    assert list(report.codes) == [c.code for c in new]
    assert [c.print_version for c in new] == [1, 1]


def test_unknown_loops_are_named_and_nothing_happens(plant_db: tuple[Database, Plant], tmp_path: Path) -> None:
    db, _plant = plant_db
    out = tmp_path / "cards.pdf"
    with pytest.raises(NotFound, match="Unknown loops 'NOPE', 'L-XYZ-99'"):
        print_cards(db, loop_ids=["L-BRK-01", "NOPE", "L-XYZ-99"], reprint=False, out=out, actor=None)
    assert not out.exists()
    assert printed_events(db) == 0


def test_an_inactive_loop_named_on_purpose_is_refused(plant_db: tuple[Database, Plant], tmp_path: Path) -> None:
    db, _plant = plant_db
    with pytest.raises(BadInput, match="L-OLD-09 is no longer active"):
        print_cards(db, loop_ids=["L-OLD-09"], reprint=True, out=tmp_path / "old.pdf", actor=None)


def test_loop_ids_and_codes_mix_and_repeat(plant_db: tuple[Database, Plant], tmp_path: Path) -> None:
    db, plant = plant_db
    report = print_cards(db, loop_ids=["l-scr-02", plant.loop_ids["L-SCR-02"], " L-BRK-01 "], reprint=False,
                         out=tmp_path / "c.pdf", actor=None)
    assert (report.loops, report.cards) == (2, 15)


def test_nothing_to_print_and_no_loops_chosen(plant_db: tuple[Database, Plant], tmp_path: Path) -> None:
    db, plant = plant_db
    with pytest.raises(BadInput, match="at least one loop"):
        print_cards(db, loop_ids=[], reprint=False, out=tmp_path / "x.pdf", actor=None)
    kanban_loops.retire_cards(db, plant.card_ids["L-SCR-02"], actor=None)
    with pytest.raises(NothingToPrint, match="loop L-SCR-02 has no cards in use"):
        print_cards(db, loop_ids=["L-SCR-02"], reprint=True, out=tmp_path / "x.pdf", actor=None)
    assert not (tmp_path / "x.pdf").exists()


def test_an_empty_database_has_nothing_to_print(db: Database, tmp_path: Path) -> None:
    with pytest.raises(NothingToPrint, match="no active loop"):
        print_cards(db, loop_ids=None, reprint=False, out=tmp_path / "x.pdf", actor=None)


@pytest.mark.parametrize("where", ["missing folder", "folder is a file", "out is a folder"])
def test_unwritable_output_records_nothing(plant_db: tuple[Database, Plant], tmp_path: Path, where: str) -> None:
    db, plant = plant_db
    (tmp_path / "a-file").write_text("not a folder")
    (tmp_path / "a-folder").mkdir()
    out = {"missing folder": tmp_path / "no" / "such" / "cards.pdf",
           "folder is a file": tmp_path / "a-file" / "cards.pdf",
           "out is a folder": tmp_path / "a-folder"}[where]
    with pytest.raises(OutputProblem, match=r"Cannot write .*Nothing was recorded as printed"):
        print_cards(db, loop_ids=None, reprint=False, out=out, actor=None)
    assert printed_events(db) == 0
    assert set(versions(db, plant, "L-BRK-01").values()) == {0}
    assert list((tmp_path / "a-folder").iterdir()) == []


def test_a_full_disk_records_nothing_and_leaves_the_old_file(plant_db: tuple[Database, Plant], tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC surfaces at write or at fsync; a real full disk cannot be made without root mounts, so the
    fsync of the new file fails as the kernel would report it."""
    db, plant = plant_db
    out = tmp_path / "cards.pdf"
    out.write_bytes(b"the previous print")
    real_fsync = os.fsync

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(card_printing.os, "fsync", full)
    with pytest.raises(OutputProblem, match="is full; free some space"):
        print_cards(db, loop_ids=None, reprint=False, out=out, actor=None)
    monkeypatch.setattr(card_printing.os, "fsync", real_fsync)

    assert out.read_bytes() == b"the previous print"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no partial file
    assert printed_events(db) == 0
    assert set(versions(db, plant, "L-SCR-02").values()) == {0}
    # Once there is room again, the same print works.
    assert print_cards(db, loop_ids=None, reprint=False, out=out, actor=None).cards == 15


def test_a_failed_recording_takes_the_new_pdf_away(plant_db: tuple[Database, Plant], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    db, _plant = plant_db
    out = tmp_path / "cards.pdf"

    def broken(*_args: object, **_kwargs: object) -> object:
        raise StorageProblem("The disk holding the database is full. Free some space and try again.")

    monkeypatch.setattr(card_printing, "transaction", broken)
    with pytest.raises(StorageProblem):
        print_cards(db, loop_ids=None, reprint=False, out=out, actor=None)
    assert not out.exists()
    assert printed_events(db) == 0


def test_printing_needs_an_admin_once_the_plant_has_one(plant_db: tuple[Database, Plant], tmp_path: Path) -> None:
    db, _plant = plant_db
    admin_id, _ = master.save_user(db, actor=None, name="Ada Admin", badge="B-ADMIN", role="admin", pin="1234")
    operator_id, _ = master.save_user(db, actor=admin_id, name="Otto Op", badge="B-OP", role="operator", pin="5678")
    out = tmp_path / "cards.pdf"
    with pytest.raises(NotAllowed, match="Sign in"):
        print_cards(db, loop_ids=None, reprint=False, out=out, actor=None)
    with pytest.raises(NotAllowed, match=Role.ADMIN.label):
        print_cards(db, loop_ids=None, reprint=False, out=out, actor=operator_id)
    assert not out.exists() and printed_events(db) == 0
    report = print_cards(db, loop_ids=None, reprint=False, out=out, actor=admin_id)
    assert report.cards == 15
    assert {e.actor for e in report.changes.events} == {admin_id}
    # The command line runs without a user: it holds the database file itself.
    report = print_cards(db, loop_ids=None, reprint=True, out=out, actor=None, check_access=False)
    assert report.cards == 15


def test_printable_loops_lists_active_loops_with_counts(plant_db: tuple[Database, Plant], tmp_path: Path) -> None:
    db, plant = plant_db
    choices = printable_loops(db)
    assert [(c.code, c.part_number, c.cards, c.unprinted) for c in choices] == [
        ("L-BRK-01", "BRK-2210", 6, 6), ("L-SCR-02", "SCR-0840", 9, 9)]
    print_cards(db, loop_ids=["L-BRK-01"], reprint=False, out=tmp_path / "a.pdf", actor=None)
    assert [c.unprinted for c in printable_loops(db)] == [0, 9]
    assert choices[0].loop_id == plant.loop_ids["L-BRK-01"]
