"""Kanban card sheets: pure rendering of printable cards to PDF bytes from plain dataclasses.

One A4 page holds a grid of cards (2 columns x 4 rows by default) with cut marks between them.
Each card shows what a person on the floor needs at a glance (part number in large type, part name,
quantity per card, where it comes FROM and goes TO, "card n of N", the loop code, a REPRINT mark) and
a Code 128 barcode of the card code with the code in plain characters under it.

The barcode is made by python-barcode (`barcode.get("code128", code, writer=...)`) with a small
writer of our own, `CanvasWriter`, that paints each bar as a filled vector rectangle on the
reportlab canvas: bars stay exactly `module_width` wide at any printer resolution, with no image
resampling. The X dimension (narrowest bar) defaults to 0.5 mm with 10X quiet zones on both sides,
comfortably inside what a general-purpose 1D scanner reads at about 30 cm.

Nothing here touches the database or the file system (fonts aside): the caller writes the bytes.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import barcode
from barcode.writer import BaseWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from jitdesk.resources import resource

# --- what is printed ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CardFace:
    """Everything printed on one card, as plain values."""

    code: str  # the card code, also the barcode's content, e.g. "K000001W"
    part_number: str
    part_name: str
    qty: int
    unit: str
    supplier: str  # where full bins come FROM (supermarket, warehouse, external supplier)
    consumer: str  # where they go TO (the consuming station)
    number: int  # card n ...
    of: int  # ... of N in its loop
    loop_code: str
    version: int = 1  # print version this copy carries; > 1 prints a "REPRINT n" mark


@dataclass(frozen=True)
class SheetLayout:
    """Page geometry in millimetres. Cards fill the grid inside the margins edge to edge."""

    page_width: float = A4[0] / mm
    page_height: float = A4[1] / mm
    columns: int = 2
    rows: int = 4
    margin_x: float = 10.0
    margin_top: float = 10.0
    margin_bottom: float = 14.0  # room for the page footer
    padding: float = 4.5  # inside each card, kept clear of the cut
    module_width: float = 0.5  # the barcode's X dimension
    min_module_width: float = 0.33  # never narrower, whatever the card size
    bar_height: float = 13.0

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def card_width(self) -> float:
        return (self.page_width - 2 * self.margin_x) / self.columns

    @property
    def card_height(self) -> float:
        return (self.page_height - self.margin_top - self.margin_bottom) / self.rows


A4_2X4 = SheetLayout()

# --- fonts -------------------------------------------------------------------------------------

# Font roles -> TrueType file names, looked up in resources/fonts/, then the usual system folders;
# reportlab's own Vera fonts are the last resort (always present, Latin-1 only).
_FONT_FILES: dict[str, tuple[tuple[str, ...], str]] = {
    "sans": (("DejaVuSans.ttf", "arial.ttf", "Arial.ttf"), "Vera.ttf"),
    "bold": (("DejaVuSans-Bold.ttf", "arialbd.ttf", "Arial Bold.ttf"), "VeraBd.ttf"),
    "mono": (("DejaVuSansMono-Bold.ttf", "DejaVuSansMono.ttf", "courbd.ttf"), "VeraMoBd.ttf"),
}
_FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/local/share/fonts",
    "/Library/Fonts",
    "/System/Library/Fonts/Supplemental",
    "C:/Windows/Fonts",
)


def _font_file(names: tuple[str, ...], fallback: str) -> Path:
    import reportlab

    folders = [resource("fonts"), *map(Path, _FONT_DIRS)]
    for name in names:
        for folder in folders:
            if (folder / name).is_file():
                return folder / name
    return Path(reportlab.__file__).parent / "fonts" / fallback


@cache
def fonts() -> dict[str, str]:
    """Register the card fonts with reportlab once; returns role -> registered font name."""
    names: dict[str, str] = {}
    for role, (candidates, fallback) in _FONT_FILES.items():
        name = f"jitdesk-{role}"
        pdfmetrics.registerFont(TTFont(name, str(_font_file(candidates, fallback))))
        names[role] = name
    return names


def fit(text: str, font: str, size: float, width: float, min_size: float) -> tuple[str, float]:
    """Shrink `text` down to `min_size` to fit `width` (points); past that, cut it with an ellipsis."""
    while size > min_size and pdfmetrics.stringWidth(text, font, size) > width:
        size = max(min_size, size - 0.5)
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text, size
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…", size


# --- the barcode -------------------------------------------------------------------------------


class CanvasWriter(BaseWriter):
    """A python-barcode writer that paints the bars straight onto a reportlab canvas as vectors.

    python-barcode measures in millimetres from the top-left corner of the symbol (quiet zone
    included); `left` and `top` place that corner on the canvas, in points from the page's
    bottom-left. Only the bars are painted: the caller writes the human-readable text.
    """

    def __init__(self, canvas: Canvas, left: float, top: float) -> None:
        super().__init__(None, self._paint_module, None, self._finish)
        self._canvas = canvas
        self._left = left
        self._top = top
        self.bars: list[tuple[float, float]] = []  # (x, width) in mm from the symbol's left edge

    def _paint_module(self, xpos: float, ypos: float, width: float, color: Any) -> None:
        if color != self.foreground:
            return  # spaces are the white card itself
        self.bars.append((xpos, width))
        self._canvas.rect(self._left + xpos * mm, self._top - (ypos + self.module_height) * mm,
                          width * mm, self.module_height * mm, stroke=0, fill=1)

    def _finish(self) -> list[tuple[float, float]]:
        return self.bars


def code128_modules(code: str) -> int:
    """How many modules (X-widths) wide the Code 128 symbol of `code` is, without quiet zones."""
    return len(barcode.get("code128", code).build()[0])


def draw_barcode(canvas: Canvas, code: str, *, center_x: float, top: float, module_width: float,
                 bar_height: float) -> float:
    """Paint the Code 128 symbol of `code` centred on `center_x` below `top` (points); returns its
    width in mm including the quiet zones (10 modules on each side)."""
    quiet = 10 * module_width
    width = code128_modules(code) * module_width + 2 * quiet
    writer = CanvasWriter(canvas, center_x - width * mm / 2, top)
    symbol = barcode.get("code128", code, writer=writer)
    symbol.render({
        "module_width": module_width, "module_height": bar_height, "quiet_zone": quiet,
        "margin_top": 0, "margin_bottom": 0, "write_text": False, "font_size": 0,
    })
    return width


# --- one card ----------------------------------------------------------------------------------

_GREY = (0.35, 0.35, 0.35)


def _label(c: Canvas, text: str, x: float, y: float, f: dict[str, str]) -> None:
    c.setFillColorRGB(*_GREY)
    c.setFont(f["bold"], 6.5)
    c.drawString(x, y, text)
    c.setFillColorRGB(0, 0, 0)


def draw_card(c: Canvas, card: CardFace, x: float, y: float, layout: SheetLayout = A4_2X4) -> None:
    """Draw one card whose bottom-left corner is at (x, y) points."""
    f = fonts()
    pad = layout.padding * mm
    left, right = x + pad, x + layout.card_width * mm - pad
    top = y + layout.card_height * mm - pad
    inner = right - left

    # Top right: "card n of N", and under it the reprint mark, white on black so it cannot be missed.
    n_of = f"card {card.number} of {card.of}"
    n_w = pdfmetrics.stringWidth(n_of, f["bold"], 12)
    c.setFont(f["bold"], 12)
    c.drawRightString(right, top - 7 * mm, n_of)
    badge_w = 0.0
    if card.version > 1:
        badge = f"REPRINT {card.version}"
        c.setFont(f["bold"], 9)
        badge_w = pdfmetrics.stringWidth(badge, f["bold"], 9) + 3 * mm
        c.roundRect(right - badge_w, top - 13.4 * mm, badge_w, 4.8 * mm, 1 * mm, stroke=0, fill=1)
        c.setFillColorRGB(1, 1, 1)
        c.drawCentredString(right - badge_w / 2, top - 12 * mm, badge)
        c.setFillColorRGB(0, 0, 0)
        badge_w += 2 * mm

    # Part number, as large as fits; part name on one line beside the reprint mark.
    text, size = fit(card.part_number, f["bold"], 22, inner - n_w - 3 * mm, 10)
    c.setFont(f["bold"], size)
    c.drawString(left, top - 7 * mm, text)
    text, size = fit(card.part_name, f["sans"], 11, inner - badge_w, 8)
    c.setFont(f["sans"], size)
    c.drawString(left, top - 12 * mm, text)

    c.setLineWidth(0.5)
    c.line(left, top - 14.5 * mm, right, top - 14.5 * mm)

    # The way the bin travels, full width: a down arrow in front of FROM and TO reads as "flows to".
    c.setLineWidth(0.8)
    c.line(left + 1.2 * mm, top - 17.2 * mm, left + 1.2 * mm, top - 23.4 * mm)
    head = c.beginPath()
    head.moveTo(left + 0.1 * mm, top - 22.8 * mm)
    head.lineTo(left + 2.3 * mm, top - 22.8 * mm)
    head.lineTo(left + 1.2 * mm, top - 24.6 * mm)
    head.close()
    c.drawPath(head, stroke=0, fill=1)
    value_x = left + 14 * mm
    for row, (word, where) in enumerate((("FROM", card.supplier), ("TO", card.consumer))):
        base = top - (19.3 + 5.7 * row) * mm
        _label(c, word, left + 4 * mm, base, f)
        text, size = fit(where, f["bold"], 10.5, right - value_x, 7.5)
        c.setFont(f["bold"], size)
        c.drawString(value_x, base, text)

    c.setLineWidth(0.5)
    c.line(left, top - 27.5 * mm, right, top - 27.5 * mm)

    # Quantity per card (large) and the loop.
    row_y = top - 34 * mm
    _label(c, "QTY", left, row_y, f)
    qty = f"{card.qty:,}".replace(",", " ")  # a space groups thousands in any language
    q_text, q_size = fit(qty, f["bold"], 17, 24 * mm, 11)
    q_x = left + 6.5 * mm
    c.setFont(f["bold"], q_size)
    c.drawString(q_x, row_y, q_text)
    unit_x = q_x + pdfmetrics.stringWidth(q_text, f["bold"], q_size) + 1.2 * mm
    unit = fit(card.unit, f["sans"], 9, 10 * mm, 9)[0]
    c.setFont(f["sans"], 9)
    c.drawString(unit_x, row_y, unit)
    qty_end = unit_x + pdfmetrics.stringWidth(unit, f["sans"], 9)
    # The loop, right-aligned in what the quantity leaves.
    loop_x = qty_end + 5 * mm
    code_text, code_size = fit(card.loop_code, f["bold"], 10.5, right - loop_x - 10 * mm, 7)
    code_w = pdfmetrics.stringWidth(code_text, f["bold"], code_size)
    c.setFont(f["bold"], code_size)
    c.drawRightString(right, row_y, code_text)
    _label(c, "LOOP", right - code_w - 8.5 * mm, row_y, f)

    # The barcode: centred, as wide as its X dimension asks, narrower only when it must be.
    bottom = y + pad
    modules = code128_modules(card.code) + 20  # quiet zones included
    module = max(layout.min_module_width, min(layout.module_width, (layout.card_width - 2 * layout.padding) / modules))
    bar_top = bottom + (layout.bar_height + 5.5) * mm
    draw_barcode(c, card.code, center_x=x + layout.card_width * mm / 2, top=bar_top, module_width=module,
                 bar_height=layout.bar_height)
    # The human-readable code, letter-spaced (not with spaces: it must copy and type as the code).
    c.setFont(f["mono"], 11)
    c.drawCentredString(x + layout.card_width * mm / 2, bottom + 0.6 * mm, card.code, charSpace=2.5)


# --- the sheet ---------------------------------------------------------------------------------


def _cut_marks(c: Canvas, layout: SheetLayout) -> None:
    """Marks in the margins along every cut line, and a small cross where inner cuts meet."""
    xs = [(layout.margin_x + i * layout.card_width) * mm for i in range(layout.columns + 1)]
    y0 = layout.margin_bottom * mm
    ys = [y0 + j * layout.card_height * mm for j in range(layout.rows + 1)]
    gap, length, arm = 1.5 * mm, 4 * mm, 2 * mm
    c.setLineWidth(0.3)
    c.setStrokeColorRGB(0, 0, 0)
    for x in xs:
        c.line(x, ys[-1] + gap, x, ys[-1] + gap + length)
        c.line(x, ys[0] - gap, x, ys[0] - gap - length)
    for y in ys:
        c.line(xs[0] - gap, y, xs[0] - gap - min(length, xs[0] - gap - 2 * mm), y)
        c.line(xs[-1] + gap, y, xs[-1] + gap + min(length, layout.page_width * mm - xs[-1] - gap - 2 * mm), y)
    for x in xs[1:-1]:
        for y in ys:
            c.line(x, y - arm, x, y + arm)
    for y in ys[1:-1]:
        for x in xs:
            c.line(x - arm, y, x + arm, y)


def render_sheets(cards: Sequence[CardFace], *, footer: str = "", layout: SheetLayout = A4_2X4,
                  on_page: Callable[[int], None] | None = None) -> bytes:
    """The PDF of `cards` in order, `layout.per_page` to a page; `footer` is printed on every page."""
    if not cards:
        raise ValueError("no cards to render")
    f = fonts()
    out = io.BytesIO()
    c = Canvas(out, pagesize=(layout.page_width * mm, layout.page_height * mm), pageCompression=1)
    c.setTitle("Kanban cards")
    c.setCreator("jitdesk")
    c.setSubject(footer or "kanban cards")
    pages = math.ceil(len(cards) / layout.per_page)
    for page in range(pages):
        _cut_marks(c, layout)
        for slot, card in enumerate(cards[page * layout.per_page:(page + 1) * layout.per_page]):
            col, row = slot % layout.columns, slot // layout.columns
            x = (layout.margin_x + col * layout.card_width) * mm
            y = (layout.margin_bottom + (layout.rows - 1 - row) * layout.card_height) * mm
            draw_card(c, card, x, y, layout)
        c.setFont(f["sans"], 7)
        c.setFillColorRGB(*_GREY)
        c.drawString(layout.margin_x * mm, 6 * mm, fit(footer, f["sans"], 7, 150 * mm, 7)[0])
        c.drawRightString((layout.page_width - layout.margin_x) * mm, 6 * mm, f"page {page + 1} of {pages}")
        c.setFillColorRGB(0, 0, 0)
        c.showPage()
        if on_page is not None:
            on_page(page + 1)
    c.save()
    return out.getvalue()
