"""The kanban board's rows: one per loop, its cards by status, and its risk in colour, symbol and words.

Risk reasons and anomaly notes are messages, rendered with the page's `Words` (the plant's time
zone, station codes, Qt's translation), which the view sets with each page.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from jitdesk.domain.kanban.risk import RiskLevel
from jitdesk.domain.kanban.status import Supply
from jitdesk.gui.kanban.words import RISK, SUPPLY_COLUMN, SUPPLY_ORDER
from jitdesk.gui.models.table import RowsModel
from jitdesk.gui.words import qt_words
from jitdesk.services.kanban.board import BoardRow
from jitdesk.services.words import Words

RISK_COLUMN, PART_COLUMN, STATION_COLUMN, SUPPLIER_COLUMN = 0, 1, 2, 3
FIRST_STATUS = 4
WHY_COLUMN = FIRST_STATUS + len(SUPPLY_ORDER)
NOTES_SHOWN = 3  # the newest anomaly notes of a loop in its tooltip


def short_reasons(row: BoardRow, plant: Words | None = None) -> str:
    """The risk in a few words for the board (the tooltip has the full sentences)."""
    risk = row.risk
    plant = plant or Words()
    words = []
    if risk.stockout:
        words.append("no full card")
    if risk.late:
        words.append(f"{len(risk.late)} late, by {plant.duration(risk.late[0].late_by_ms)}")
    if risk.too_many_empty:
        words.append(f"{risk.not_full} of {risk.cards_in_use} out")
    if risk.stale:
        words.append(f"{len(risk.stale)} not moving")
    if risk.anomalous:
        words.append(f"{len(risk.anomalous)} to check")
    if row.held:
        words.append(f"{row.held} on hold")
    return " · ".join(words)


class BoardModel(RowsModel[BoardRow]):
    HEADERS = ("Risk", "Part", "Used at", "From", *(SUPPLY_COLUMN[s] for s in SUPPLY_ORDER), "Why")
    BOLD_COLUMNS = (RISK_COLUMN, FIRST_STATUS)

    def __init__(self) -> None:
        super().__init__()
        self.words = qt_words()

    def cell(self, row: BoardRow, column: int) -> str:
        if column == RISK_COLUMN:
            symbol, words, _bg, _fg = RISK[row.risk.level]
            return f"{symbol} {words}"
        if column == PART_COLUMN:
            return f"{row.part_number}  {row.part_name}"
        if column == STATION_COLUMN:
            return row.station_code
        if column == SUPPLIER_COLUMN:
            return row.loop.supplier_location
        if column == WHY_COLUMN:
            return short_reasons(row, self.words) or "–"
        supply = SUPPLY_ORDER[column - FIRST_STATUS]
        if not row.loop.rules.uses(supply):
            return "·"  # the loop does not use this step
        return str(row.count(supply))

    def colours(self, row: BoardRow, column: int) -> tuple[str, str] | None:
        level = row.risk.level
        if column == RISK_COLUMN:
            _s, _w, background, foreground = RISK[level]
            return background, foreground
        if column == FIRST_STATUS and row.count(Supply.FULL) == 0:
            return RISK[RiskLevel.STOCKOUT][2], RISK[RiskLevel.STOCKOUT][3]
        return None

    def tooltip(self, row: BoardRow, column: int) -> str | None:
        cards = ", ".join(f"#{c.number} {c.code} {c.supply.value.lower()}" for c in row.cards)
        text = (f"Loop {row.loop.code}: {row.loop.qty_per_card} per card, lead time {row.loop.lead_time_minutes} min"
                f"\n{cards}\n" + "\n".join(self.words.render(reason) for reason in row.risk.reasons))
        notes = anomaly_notes(row, self.words)
        return text + ("\n" + "\n".join(notes) if notes else "")

    def align(self, column: int) -> Qt.AlignmentFlag:
        if FIRST_STATUS <= column < WHY_COLUMN:
            return Qt.AlignmentFlag.AlignCenter
        return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def anomaly_notes(row: BoardRow, words: Words, shown: int = NOTES_SHOWN) -> list[str]:
    """The loop's newest anomaly notes, each with its card code and time in the plant's zone."""
    notes = [(card.code, note) for card in row.cards for note in card.anomalies]
    notes.sort(key=lambda found: _at(found[1].params.get("at_ms")), reverse=True)
    return [f"{code}: {words.note(note)}" for code, note in notes[:shown]]


def _at(value: object) -> int:
    return value if isinstance(value, int) else 0
