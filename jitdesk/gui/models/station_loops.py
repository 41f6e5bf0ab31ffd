"""The station's loops: part, how many cards are full and how many are on their way back, late ones."""

from __future__ import annotations

from PySide6.QtCore import Qt

from jitdesk.gui.models.table import RowsModel
from jitdesk.services.kanban.station import StationLoop


class StationLoopsModel(RowsModel[StationLoop]):
    HEADERS = ("Part", "Full", "Coming", "Late")
    BOLD_COLUMNS = (1,)

    def cell(self, row: StationLoop, column: int) -> str:
        if column == 0:
            return f"{row.part_number}  {row.part_name}" + ("  (supplied here)" if row.role == "supplies" else "")
        if column == 1:
            text = f"{row.full} of {row.cards}" + (f", {row.held} held" if row.held else "")
            return ("✖ " + text) if row.full == 0 and row.cards else text
        if column == 2:
            return str(row.in_replenishment)
        return f"▲ {row.late}" if row.late else "–"

    def colours(self, row: StationLoop, column: int) -> tuple[str, str] | None:
        if column == 1 and row.full == 0 and row.cards:
            return "#D50000", "#FFFFFF"
        if column == 3 and row.late:
            return "#EF6C00", "#000000"
        return None

    def tooltip(self, row: StationLoop, column: int) -> str | None:
        return f"Loop {row.code}"

    def align(self, column: int) -> Qt.AlignmentFlag:
        if column >= 1:
            return Qt.AlignmentFlag.AlignCenter
        return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
