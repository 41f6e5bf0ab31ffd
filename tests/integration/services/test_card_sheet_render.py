"""Card sheet rendering from plain data: every barcode scans back to its card code, on every page."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from jitdesk.domain.kanban.codes import MAX_SERIAL, card_code, parse_scan
from jitdesk.services.card_sheet import (
    A4_2X4,
    CanvasWriter,
    CardFace,
    SheetLayout,
    code128_modules,
    draw_barcode,
    fit,
    fonts,
    render_sheets,
)
from tests.helpers.printing import decode_pdf, needs_tools, pdf_text, render_pages


def face(serial: int, **changes: object) -> CardFace:
    values: dict[str, object] = dict(
        code=card_code(serial), part_number=f"PN-{serial:05d}", part_name="Hex bolt M8x40 zinc",
        qty=48, unit="pcs", supplier="Supermarket A, aisle 3", consumer="ST-04 · Final assembly 1",
        number=(serial - 1) % 6 + 1, of=6, loop_code=f"L-{(serial - 1) // 6:03d}", version=1,
    )
    values.update(changes)
    return CardFace(**values)  # type: ignore[arg-type]


def write(tmp_path: Path, cards: list[CardFace], name: str = "cards.pdf", **kwargs: object) -> Path:
    pdf = tmp_path / name
    pdf.write_bytes(render_sheets(cards, **kwargs))  # type: ignore[arg-type]
    return pdf


@needs_tools
def test_every_barcode_on_every_page_decodes_to_its_card_code(tmp_path: Path) -> None:
    # Serials chosen to exercise Code 128's charsets: digit runs (C), letters (B), both mixed.
    serials = [1, 2, 31, 32, 1023, 1024, 32**3, 99_999, 123_456, 777_777, 1_000_001, 32**5,
               2**25 + 12345, 987_654_321, MAX_SERIAL - 1, MAX_SERIAL, 5, 6, 7]
    cards = [face(s, version=1 + i % 3) for i, s in enumerate(serials)]
    pdf = write(tmp_path, cards)

    pages = decode_pdf(pdf, tmp_path / "png")

    assert len(pages) == 3  # 8 + 8 + 3
    expected = [[c.code for c in cards[i:i + 8]] for i in range(0, len(cards), 8)]
    assert [sorted(p) for p in pages] == [sorted(e) for e in expected]
    for code in (c for page in pages for c in page):
        assert parse_scan(code).__class__.__name__ == "ParsedCode"  # check character intact


@needs_tools
def test_barcodes_still_decode_at_a_coarse_100_dpi(tmp_path: Path) -> None:
    """A cheap printer or a worn card: 100 dpi gives under 2 pixels per bar and still reads."""
    cards = [face(s) for s in range(1, 9)]
    pages = decode_pdf(write(tmp_path, cards), tmp_path / "png", dpi=100)
    assert sorted(pages[0]) == sorted(c.code for c in cards)


@needs_tools
def test_card_shows_what_the_floor_reads(tmp_path: Path) -> None:
    cards = [face(1, part_number="BRK-2210", part_name="Brake caliper left", qty=1200, unit="pcs",
                  supplier="Warehouse W2", consumer="ST-07 · Brake line", number=3, of=6,
                  loop_code="L-BRK-01", version=1),
             face(2, version=2)]
    text = pdf_text(write(tmp_path, cards))
    for shown in ("BRK-2210", "Brake caliper left", "1 200", "pcs", "FROM", "Warehouse W2", "TO",
                  "ST-07 · Brake line", "card 3 of 6", "LOOP", "L-BRK-01", card_code(1), "REPRINT 2",
                  "page 1 of 1"):
        assert shown in text, shown
    assert text.count("REPRINT") == 1  # the first print carries no mark


@needs_tools
def test_long_and_non_latin_text_is_fitted_and_the_barcode_still_reads(tmp_path: Path) -> None:
    card = face(MAX_SERIAL, part_number="VERY-LONG-PART-NUMBER-1234567890-ABCDEFGH",
                part_name="Żółw łódź Ünïcödé — a part name far longer than one card line can hold " * 2,
                qty=1_000_000, supplier="External supplier Müller & Söhne GmbH, Werk 7, Tor 3, Regal 44",
                consumer="ST-999 · A station with a very long name indeed", number=120, of=120,
                loop_code="LOOP-CODE-THAT-IS-FORTY-CHARACTERS-LONG", version=9999)
    pdf = write(tmp_path, [card])
    assert decode_pdf(pdf, tmp_path / "png") == [[card.code]]
    text = pdf_text(pdf)
    assert "Żółw łódź" in text and "REPRINT 9999" in text and "card 120 of 120" in text
    assert "…" in text  # cut, not run over the next card


def test_barcode_geometry_x_dimension_and_quiet_zones(tmp_path: Path) -> None:
    """Bars are at least the layout's X dimension, with 10X clear on both sides of the symbol."""
    canvas = Canvas(str(tmp_path / "geometry.pdf"))
    code = card_code(123_456)
    widths = []

    class Recording(CanvasWriter):
        def _finish(self) -> list[tuple[float, float]]:
            widths.extend(w for _, w in self.bars)
            return super()._finish()

    import barcode

    writer = Recording(canvas, 0, 0)
    barcode.get("code128", code, writer=writer).render(
        {"module_width": 0.5, "module_height": 13, "quiet_zone": 5.0, "write_text": False, "font_size": 0})
    total = draw_barcode(canvas, code, center_x=100, top=100, module_width=0.5, bar_height=13)
    assert min(widths) == pytest.approx(0.5)
    assert writer.bars[0][0] == pytest.approx(5.0)  # first bar after a 10X quiet zone
    last_x, last_w = writer.bars[-1]
    assert total - (last_x + last_w) == pytest.approx(5.0)
    assert total == pytest.approx(code128_modules(code) * 0.5 + 10)
    # The whole symbol fits a card with its padding, for the widest possible code.
    widest = code128_modules(card_code(MAX_SERIAL)) * A4_2X4.module_width + 20 * A4_2X4.module_width
    assert widest <= A4_2X4.card_width - 2 * A4_2X4.padding


@needs_tools
def test_other_layouts_place_every_card(tmp_path: Path) -> None:
    layout = SheetLayout(columns=3, rows=5, module_width=0.4, bar_height=10)
    cards = [face(s) for s in range(1, 17)]
    pages = decode_pdf(write(tmp_path, cards, layout=layout), tmp_path / "png", dpi=200)
    assert [sorted(p) for p in pages] == [sorted(c.code for c in cards[:15]), [cards[15].code]]


@needs_tools
def test_pages_are_a4(tmp_path: Path) -> None:
    pages = render_pages(write(tmp_path, [face(1)]), tmp_path / "png", dpi=50)
    from PIL import Image

    with Image.open(pages[0]) as image:
        width, height = image.size
    assert (width, height) == (pytest.approx(413, abs=2), pytest.approx(585, abs=2))  # 210 x 297 mm


def test_fit_shrinks_then_cuts() -> None:
    font = fonts()["bold"]
    assert fit("short", font, 20, 500, 10) == ("short", 20)
    text, size = fit("a fairly long line of text", font, 20, 120, 10)
    assert size < 20
    text, size = fit("x" * 200, font, 20, 100, 10)
    assert size == 10 and text.endswith("…") and len(text) < 200


def test_no_cards_is_refused() -> None:
    with pytest.raises(ValueError, match="no cards"):
        render_sheets([])
