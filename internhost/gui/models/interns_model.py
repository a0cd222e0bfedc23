"""The interns table: a lazy model over an id list (Anki's browser pattern).

Search and sort run in SQL (``list_intern_ids``) and yield ids only; rows are
fetched a page at a time, when ``data()`` first asks for one, each page in its own
short read session and kept in a small LRU cache. 50,000 interns cost one id
query and a page or two of rows, whatever the scroll position.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QColor

from internhost.core.dto import InternRow
from internhost.core.services import interns
from internhost.gui.database import Database
from internhost.gui.formatting import short_date, text_or_dash
from internhost.gui.models.columns import RIGHT, Column, Index, cell, header

ARCHIVED_COLOR = QColor("#9aa1ab")


def _age_tooltip(row: InternRow) -> str:
    if row.birth_date is not None:
        return f"Born {short_date(row.birth_date)}"
    return f"Age band {row.age_band}"


COLUMNS: tuple[Column[InternRow], ...] = (
    Column("Name", lambda r: r.name, "name", sample="Hernández, Maya", elide=False),
    Column("Preferred", lambda r: r.preferred_name, sample="Preferred"),
    Column(
        "Age",
        lambda r: r.age_band if r.age is None else str(r.age),
        "age",
        RIGHT,
        _age_tooltip,
        sample="16–17",  # a mentor sees the age band
    ),
    Column("School", lambda r: r.school, "school", sample="Jefferson High School"),
    Column("Grade", lambda r: text_or_dash(r.grade), "grade", RIGHT, sample="Grade"),
    Column("Worksite", lambda r: text_or_dash(r.worksite), "worksite", sample="Rockford Plant"),
    Column("Mentor", lambda r: text_or_dash(r.mentor), "mentor", sample="Maria Kowalski"),
    Column(
        "Start",
        lambda r: short_date(r.placement_start),
        "start",
        sample="Aug 31, 2026",
        elide=False,
    ),
    Column("End", lambda r: short_date(r.placement_end), sample="Aug 31, 2026", elide=False),
)


class InternsModel(QAbstractTableModel):
    """Interns matching the search, in SQL order, rows fetched on demand."""

    def __init__(
        self,
        database: Database,
        parent: QObject | None = None,
        *,
        page_size: int = 200,
        cached_pages: int = 8,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.page_size = page_size
        self.cached_pages = cached_pages
        self._search = ""
        self._sort_column = 0
        self._order = Qt.SortOrder.AscendingOrder
        self._ids: list[int] = []
        self._pages: OrderedDict[int, dict[int, InternRow]] = OrderedDict()
        self.pages_fetched = 0
        self._ids = self._query_ids()

    # -- queries ---------------------------------------------------------------

    def _query_ids(self) -> list[int]:
        key = COLUMNS[self._sort_column].sort_key or "name"
        with self.database.reading() as s:
            return interns.list_intern_ids(
                s,
                self.database.actor,
                search=self._search,
                sort=key,
                descending=self._order == Qt.SortOrder.DescendingOrder,
            )

    def _page(self, number: int) -> dict[int, InternRow]:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        ids = self._ids[number * self.page_size : (number + 1) * self.page_size]
        with self.database.reading() as s:
            rows = interns.intern_rows(s, self.database.actor, ids, self.database.today())
        page = {row.id: row for row in rows}
        self.pages_fetched += 1
        self._pages[number] = page
        while len(self._pages) > self.cached_pages:
            self._pages.popitem(last=False)
        return page

    # -- public API ------------------------------------------------------------

    @property
    def search_text(self) -> str:
        return self._search

    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._order

    def set_search(self, text: str) -> None:
        """Show only interns whose names or student id contain ``text`` (accents ignored)."""
        text = text.strip()
        if text == self._search:
            return
        self._search = text
        self.refresh()

    def refresh(self) -> None:
        """Re-read the id list (after a search or an edit elsewhere)."""
        self.beginResetModel()
        self._pages.clear()
        self._ids = self._query_ids()
        self.endResetModel()

    def is_sortable(self, column: int) -> bool:
        return 0 <= column < len(COLUMNS) and COLUMNS[column].sort_key is not None

    def intern_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, intern_id: int) -> int | None:
        try:
            return self._ids.index(intern_id)
        except ValueError:
            return None

    def row_at(self, row: int) -> InternRow | None:
        """The row's DTO (fetching its page if needed); None if it vanished meanwhile."""
        if not 0 <= row < len(self._ids):
            return None
        return self._page(row // self.page_size).get(self._ids[row])

    # -- Qt model interface ----------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in _ROLES:
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return ARCHIVED_COLOR if row.archived else None
        return cell(COLUMNS[index.column()], row, role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header(COLUMNS, section, orientation, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Re-query the ids in the new order; selections follow their interns."""
        if not self.is_sortable(column):
            return
        if (column, order) == (self._sort_column, self._order):
            return
        self._sort_column, self._order = column, order
        old_ids, new_ids = self._ids, self._query_ids()
        if sorted(new_ids) != sorted(old_ids):  # rows came or went meanwhile
            self.beginResetModel()
            self._ids = new_ids
            self._pages.clear()
            self.endResetModel()
            return
        self.layoutAboutToBeChanged.emit()
        self._ids = new_ids
        self._pages.clear()
        new_row = {intern_id: row for row, intern_id in enumerate(new_ids)}
        old = self.persistentIndexList()
        new = [self.index(new_row[old_ids[i.row()]], i.column()) for i in old]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()


_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.ForegroundRole,
    }
)
