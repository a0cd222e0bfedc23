"""The interns table: a lazy model over an id list (``lazy_rows``), read on the
database worker.

Search and sort run in SQL (``list_intern_ids``) and yield ids only; rows
(``intern_rows``) are fetched a page at a time when the table first shows them, so
50,000 interns cost one id query and a page or two of rows, whatever the scroll
position. Only the last id list asked is applied, so a fast typist sees the last
keystroke's search.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor

from internhost.core.dto import InternRow
from internhost.core.services import interns
from internhost.gui.formatting import short_date, text_or_dash
from internhost.gui.models.columns import RIGHT, Column
from internhost.gui.models.lazy_rows import PENDING, LazyRowsModel
from internhost.gui.ops import Ops

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from internhost.core.actor import Actor

__all__ = ["COLUMNS", "PENDING", "InternsModel", "Query"]

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


@dataclass(frozen=True)
class Query:
    """What the id list was asked with."""

    search: str
    sort: str
    descending: bool
    today: date


class InternsModel(LazyRowsModel):
    """Interns matching the search, in SQL order, rows fetched on demand."""

    columns = COLUMNS

    def __init__(
        self,
        ops: Ops,
        parent: QObject | None = None,
        *,
        page_size: int = 200,
        cached_pages: int = 8,
    ) -> None:
        super().__init__(ops, parent, page_size=page_size, cached_pages=cached_pages)
        self._search = ""
        self._asking_search = ""
        self._sort_column = 0
        self._order = Qt.SortOrder.AscendingOrder
        self.refresh()

    # -- what the lazy model reads -----------------------------------------------

    def asked(self) -> Query:
        return Query(
            search=self._asking_search,
            sort=COLUMNS[self._sort_column].sort_key or "name",
            descending=self._order == Qt.SortOrder.DescendingOrder,
            today=self.ops.today(),
        )

    @staticmethod
    def list_ids(s: Session, actor: Actor, query: Query) -> list[int]:
        return interns.list_intern_ids(
            s,
            actor,
            search=query.search,
            sort=query.sort,
            descending=query.descending,
            today=query.today,
        )

    @staticmethod
    def read_rows(s: Session, actor: Actor, ids: Sequence[int], query: Query) -> list[InternRow]:
        return interns.intern_rows(s, actor, ids, query.today)

    def applied(self, query: Query) -> None:
        self._search = query.search

    def row_foreground(self, row: InternRow) -> Any:
        return ARCHIVED_COLOR if row.archived else None

    # -- public API ------------------------------------------------------------

    @property
    def search_text(self) -> str:
        """The search the rows shown match (a newer one may be on its way)."""
        return self._search

    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._order

    def set_search(self, text: str) -> None:
        """Show only interns whose names or student id contain ``text`` (accents
        ignored), once the worker answers."""
        self._asking_search = text.strip()
        self._ask_ids()

    def refresh(self) -> None:
        """Read the id list and the rows again (after a write, or others')."""
        self._asking_search = self._search
        self._ask_ids()

    def is_sortable(self, column: int) -> bool:
        return 0 <= column < len(COLUMNS) and COLUMNS[column].sort_key is not None

    def intern_id(self, row: int) -> int:
        return self.record_id(row)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Ask for the ids in the new order; when they come, selections follow their
        interns."""
        if not self.is_sortable(column):
            return
        if (column, order) == (self._sort_column, self._order):
            return
        self._sort_column, self._order = column, order
        self._ask_ids()
