"""Reading printed card sheets back as a person with a scanner would: PDF -> PNG pages -> decoded barcodes.

pdftoppm (poppler-utils) rasterises each page at a printer-like resolution and zbarimg (zbar-tools)
decodes every Code 128 symbol on it. Both are Debian packages that scripts/setup.sh installs; tests
that need them skip with the reason when they are missing.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

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
