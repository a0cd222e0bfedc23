"""Column specs and a small table model over a fixed list of DTO rows.

Both the lazy interns model and the detail pane's short tables describe their
columns the same way: a header, how to turn a row into text, and an alignment;
optionally an icon, a text colour and pills (small badges that ``CellDelegate``
draws before the text). How wide a column is follows from its declaration too
(``widgets.tables.fit_columns``): a key column is as wide as its content, and the
table's one ``long`` column takes the width left and wraps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, NamedTuple, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
#: ``data()`` role carrying a cell's pills (a tuple of ``Pill``), for ``CellDelegate``.
PILLS_ROLE = Qt.ItemDataRole.UserRole + 1


class Pill(NamedTuple):
    text: str
    #: A key of ``theme.PILL_TONES``: warning, danger, info, muted, success.
    tone: str


@dataclass(frozen=True)
class Column(Generic[Row]):
    header: str
    text: Callable[[Row], str]
    #: The service's sort key for this column; None: not sortable.
    sort_key: str | None = None
    align: Qt.AlignmentFlag = LEFT
    tooltip: Callable[[Row], str | None] | None = None
    #: Typical content: a key column's width (in the user's font) while it has no
    #: rows; the narrowest a long column gets.
    sample: str = ""
    #: False: a table too narrow for every column elides the other key columns first
    #: (dates, phone numbers, statuses stay whole).
    elide: bool = True
    #: The table's long-text column (at most one): it takes the width the key columns
    #: leave and wraps its text; every other column is a key column, as wide as its
    #: content. A table without one gives the spare width to its last column.
    long: bool = False
    #: DecorationRole: a QIcon drawn before the text (a severity dot).
    icon: Callable[[Row], Any] | None = None
    #: ForegroundRole: a QColor for the text, or None for the palette's.
    foreground: Callable[[Row], Any] | None = None
    #: PILLS_ROLE: badges drawn before the text (``Pill`` tuples).
    pills: Callable[[Row], Sequence[Pill]] | None = None


class RowsModel(QAbstractTableModel, Generic[Row]):
    """A read-only table over rows already fetched (a few placements or contacts)."""

    def __init__(self, columns: Sequence[Column[Row]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._rows: tuple[Row, ...] = ()

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return cell(self.columns[index.column()], self._rows[index.row()], role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header(self.columns, section, orientation, role)


def cell(column: Column[Row], row: Row, role: int) -> Any:
    """``data()`` for one cell: display text, alignment, tooltip, icon, colour, pills."""
    if role == Qt.ItemDataRole.DisplayRole:
        return column.text(row)
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return column.align
    if role == Qt.ItemDataRole.ToolTipRole:  # the delegate adds the text of an elided cell
        return column.tooltip(row) if column.tooltip is not None else None
    if role == Qt.ItemDataRole.DecorationRole:
        return column.icon(row) if column.icon is not None else None
    if role == Qt.ItemDataRole.ForegroundRole:
        return column.foreground(row) if column.foreground is not None else None
    if role == PILLS_ROLE:
        return tuple(column.pills(row)) if column.pills is not None else None
    return None


def header(
    columns: Sequence[Column[Any]], section: int, orientation: Qt.Orientation, role: int
) -> Any:
    if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(columns):
        return None
    if role == Qt.ItemDataRole.DisplayRole:
        return columns[section].header
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return columns[section].align
    return None
