"""Printing test helpers: a small plant with loops and cards, and reading printed sheets back as a
person with a scanner would: PDF -> PNG pages -> decoded barcodes.

pdftoppm (poppler-utils) rasterises each page at a printer-like resolution and zbarimg (zbar-tools)
decodes every Code 128 symbol on it. Both are Debian packages that scripts/setup.sh installs; tests
that need them skip with the reason when they are missing.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from jitdesk.domain.kanban.card import Card
from jitdesk.domain.kanban.loop import Loop
from jitdesk.domain.master import Part, Station
from jitdesk.services import master
from jitdesk.services.kanban import loops as kanban_loops
from jitdesk.storage.database import Database

PDFTOPPM = shutil.which("pdftoppm")
ZBARIMG = shutil.which("zbarimg")
PDFTOTEXT = shutil.which("pdftotext")

needs_tools = pytest.mark.skipif(
    PDFTOPPM is None or ZBARIMG is None or PDFTOTEXT is None,
    reason="needs pdftoppm, pdftotext (Debian poppler-utils) and zbarimg (Debian zbar-tools); "
           "scripts/setup.sh installs them",
)


def render_pages(pdf: Path, workdir: Path, dpi: int = 150) -> list[Path]:
    """The PDF's pages as grey PNG files, in page order."""
    assert PDFTOPPM is not None
    workdir.mkdir(parents=True, exist_ok=True)
    prefix = workdir / pdf.stem
    subprocess.run([PDFTOPPM, "-r", str(dpi), "-gray", "-png", str(pdf), str(prefix)],
                   check=True, capture_output=True, timeout=120)
    # pdftoppm pads page numbers to the width of the page count: sort by the number, not the text.
    pages = sorted(workdir.glob(f"{pdf.stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    assert pages, f"pdftoppm made no page of {pdf}"
    return pages


def decode_page(png: Path) -> list[str]:
    """Every Code 128 symbol zbar finds on one page (only Code 128 is enabled)."""
    assert ZBARIMG is not None
    done = subprocess.run([ZBARIMG, "--quiet", "--raw", "--nodbus", "-Sdisable", "-Scode128.enable", str(png)],
                          capture_output=True, text=True, timeout=120)
    # zbarimg exits 4 when it found no symbol at all; anything else non-zero is a failure.
    assert done.returncode in (0, 4), f"zbarimg failed on {png}: {done.stderr}"
    return [line for line in done.stdout.splitlines() if line.strip()]


def decode_pdf(pdf: Path, workdir: Path, dpi: int = 150) -> list[list[str]]:
    """The decoded codes of each page, page by page."""
    return [decode_page(page) for page in render_pages(pdf, workdir, dpi)]


def pdf_text(pdf: Path) -> str:
    assert PDFTOTEXT is not None
    done = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True,
                          timeout=60)
    return done.stdout


# --- a small plant ---------------------------------------------------------------------------------


@dataclass
class Plant:
    """Ids of what `small_plant` made. Loops: A (7 cards, one retired, one held), B (9), OLD (inactive, 2)."""

    path: Path
    loop_ids: dict[str, str] = field(default_factory=dict)  # loop code -> id
    card_ids: dict[str, list[str]] = field(default_factory=dict)  # loop code -> card ids by number
    retired: str = ""
    held: str = ""


def build_plant(db: Database, path: Path) -> Plant:
    plant = Plant(path)
    part_a, _ = master.save(db, Part("BRK-2210", "Brake caliper left", "pcs"), actor=None)
    part_b, _ = master.save(db, Part("SCR-0840", "Hex screw M8x40 zinc", "pcs"), actor=None)
    line, _ = master.save(db, Station("ST-07", "Brake line", "line"), actor=None)
    specs = [("L-BRK-01", part_a, 7, 12), ("L-SCR-02", part_b, 9, 500), ("L-OLD-09", part_b, 2, 50)]
    for code, part_id, count, qty in specs:
        loop_id, _ = kanban_loops.save_loop(db, Loop(code=code, part_id=part_id, supplier_kind="warehouse",
                                                     supplier_location="Warehouse W2, rack 14",
                                                     consumer_station_id=line, qty_per_card=qty,
                                                     lead_time_minutes=240), actor=None)
        plant.loop_ids[code] = loop_id
        plant.card_ids[code], _ = kanban_loops.add_cards(db, loop_id, count, actor=None)
    old = plant.loop_ids["L-OLD-09"]
    kanban_loops.save_loop(db, Loop(**{**kanban_loops.loop_detail(db, old).loop.__dict__, "active": False}),
                           actor=None, loop_id=old)
    plant.retired = plant.card_ids["L-BRK-01"][6]  # card 7 of loop A leaves the loop
    plant.held = plant.card_ids["L-BRK-01"][2]
    kanban_loops.retire_cards(db, [plant.retired], actor=None)
    kanban_loops.hold_cards(db, [plant.held], actor=None)
    return plant


def cards_of(db: Database, plant: Plant, code: str) -> list[Card]:
    return list(kanban_loops.loop_detail(db, plant.loop_ids[code]).cards)
