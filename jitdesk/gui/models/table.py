"""`RowsModel`: a read-only table model over a list of rows, with per-cell text, colours and alignment.

Subclasses say their `HEADERS` and implement `cell(row, column)` -> text, and optionally
`colours(row, column)` -> (background, foreground) and `align(column)`. `set_rows` resets the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeAlias, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

T = TypeVar("T")
Index: TypeAlias = QModelIndex | QPersistentModelIndex


class RowsModel(QAbstractTableModel, Generic[T]):
    HEADERS: tuple[str, ...] = ()
    BOLD_COLUMNS: tuple[int, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[T] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(row, column)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            found = self.colours(row, column)
            if found is None:
                return None
            return QBrush(QColor(found[0] if role == Qt.ItemDataRole.BackgroundRole else found[1]))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.align(column)
        if role == Qt.ItemDataRole.FontRole and column in self.BOLD_COLUMNS:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, column)
        return None

    def cell(self, row: T, column: int) -> str:
        raise NotImplementedError

    def colours(self, row: T, column: int) -> tuple[str, str] | None:
        return None

    def align(self, column: int) -> Qt.AlignmentFlag:
        return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

    def tooltip(self, row: T, column: int) -> str | None:
        return None
