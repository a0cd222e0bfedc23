"""A table over an id list read on the database worker, its rows fetched a page at a
time (Anki's browser pattern): the interns list and the Compliance screen's findings.

Filtering and sorting run in SQL and yield ids only; rows are fetched a page at a
time when ``data()`` first asks for one, and kept in a small LRU cache. Every read
is asked through ``gui.ops`` and answered by callback, so the GUI thread never waits
for the database: 50,000 records cost one id query (which brings the page on screen
with it) and a page or two of rows, whatever the scroll position.

While an answer is on its way the table shows what it showed before: a new id list
keeps the rows it already knows (by id) until their page is read again, and a page
never read shows "…" for a moment. Only the last id list asked is applied
(``latest``), so a fast typist sees the last keystroke's search. While rows are
wanted faster than the worker reads them (the scroll bar dragged through the list),
one page is read at a time, the one wanted last first; pages scrolled past are
forgotten.

A subclass says what to read: ``asked()`` (the query, an immutable value, built on
the GUI thread), ``list_ids(s, actor, query)`` and ``read_rows(s, actor, ids,
query)`` (run on the worker), and ``applied(query)`` when a list asked with it shows.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal

from internhost.gui.models.columns import PILLS_ROLE, Column, Index, cell, header
from internhost.gui.ops import Ops

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from internhost.core.actor import Actor

#: What a row whose page is being read shows in its first column.
PENDING = "…"


@dataclass(frozen=True)
class Listed:
    """An id list as the worker read it, with the look-ups the model keeps built there
    too, so applying 50,000 ids holds the GUI thread for a swap, not a frame."""

    ids: list[int]
    row_of: dict[int, int]
    members: frozenset[int]
    #: The same records as the list on screen when it was asked (perhaps reordered).
    same: bool
    #: The page of rows read with it, and its number.
    page: int
    rows: list[Any]


class LazyRowsModel(QAbstractTableModel):
    """Records matching a query, in SQL order, rows (DTOs with an ``id``) on demand."""

    loaded = Signal()
    """An id list was applied (the first one, a search's, a sort's or a refresh's)."""

    columns: tuple[Column[Any], ...] = ()

    def __init__(
        self,
        ops: Ops,
        parent: QObject | None = None,
        *,
        page_size: int = 200,
        cached_pages: int = 8,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.page_size = page_size
        self.cached_pages = cached_pages
        self._ids: list[int] = []
        self._row_of: dict[int, int] = {}
        self._members: frozenset[int] = frozenset()
        #: Pages read for the current id list (page number -> id -> row), LRU.
        self._pages: OrderedDict[int, dict[int, Any]] = OrderedDict()
        #: Rows read for an earlier id list, shown until their page is read again.
        self._stale: dict[int, Any] = {}
        #: Pages wanted and not yet asked for, the one wanted last at the end.
        self._wanted: OrderedDict[int, None] = OrderedDict()
        #: The page being read: (id list, page number).
        self._reading: tuple[int, int] | None = None
        self._list = 0  # which id list the pages belong to
        self._last_page = 0
        self._shown_query: Any = None  # what the list on screen was asked with
        self.is_loaded = False
        #: An id list was asked for and has not come yet.
        self.asking = False
        self.pages_fetched = 0

    # -- what a subclass says ------------------------------------------------------

    def asked(self) -> Any:
        """The query for the list to read now (immutable: the worker reads it)."""
        raise NotImplementedError

    @staticmethod
    def list_ids(s: Session, actor: Actor, query: Any) -> list[int]:
        raise NotImplementedError

    @staticmethod
    def read_rows(s: Session, actor: Actor, ids: Sequence[int], query: Any) -> list[Any]:
        raise NotImplementedError

    def applied(self, query: Any) -> None:
        """A list asked with ``query`` shows now."""

    def row_foreground(self, row: Any) -> Any:
        """The text colour of a whole row (None: each column's own)."""
        return None

    # -- asking ----------------------------------------------------------------

    def _ask_ids(self) -> None:
        """Ask for the id list (with the page last looked at); only the last one
        asked is applied."""
        query = self.asked()
        self.asking = True
        self.ops.read(
            self,
            _read_listed,
            type(self).list_ids,
            type(self).read_rows,
            query,
            self._last_page,
            self.page_size,
            self._members,
            done=partial(self._ids_came, query),
            latest="ids",
        )

    def _want(self, page: int) -> None:
        if self._reading == (self._list, page):
            return
        self._wanted[page] = None
        self._wanted.move_to_end(page)
        while len(self._wanted) > self.cached_pages:  # scrolled past: forget it
            self._wanted.popitem(last=False)
        self._ask_page()

    def _ask_page(self) -> None:
        """Read the page wanted last, one at a time."""
        while self._reading is None and self._wanted:
            page = self._wanted.popitem()[0]
            if page in self._pages:
                continue
            ids = self._ids[page * self.page_size : (page + 1) * self.page_size]
            self._reading = (self._list, page)
            self.ops.read(
                self,
                type(self).read_rows,
                ids,
                self._shown_query,
                done=partial(self._page_came, self._list, page),
                failed=self._page_failed,
            )

    # -- answers ---------------------------------------------------------------

    def _ids_came(self, query: Any, listed: Listed) -> None:
        """Apply a new id list: rows that only moved keep their selection (a layout
        change); rows that came or went reset the table. Only the last list asked
        is applied, so ``listed.same`` compared it with the list on screen now."""
        self.asking = False  # this is the last asked: the earlier answers are dropped
        self._shown_query = query
        self.applied(query)
        old_ids = self._ids
        for read in self._pages.values():
            self._stale.update(read)
        self._pages.clear()
        self._wanted.clear()
        self._list += 1
        self._pages[listed.page] = {row.id: row for row in listed.rows}
        for row in listed.rows:
            self._stale.pop(row.id, None)
        if self.is_loaded and listed.same:
            self.layoutAboutToBeChanged.emit()
            self._set_ids(listed)
            old = self.persistentIndexList()
            new = [self.index(self._row_of[old_ids[i.row()]], i.column()) for i in old]
            self.changePersistentIndexList(old, new)
            self.layoutChanged.emit()
        else:
            self.beginResetModel()
            self._set_ids(listed)
            self.endResetModel()
        self._keep_stale()
        self.is_loaded = True
        self.loaded.emit()

    def _set_ids(self, listed: Listed) -> None:
        self._ids, self._row_of, self._members = listed.ids, listed.row_of, listed.members

    def _keep_stale(self) -> None:
        """Forget the rows of records no longer listed, and the oldest beyond the cache."""
        limit = self.page_size * self.cached_pages
        kept = [(i, r) for i, r in self._stale.items() if i in self._row_of]
        self._stale = dict(kept[-limit:])

    def _page_came(self, listed: int, page: int, rows: list[Any]) -> None:
        self._reading = None
        self.pages_fetched += 1
        if listed != self._list:  # the id list changed meanwhile: the rows still hold
            self._stale.update((r.id, r) for r in rows if r.id in self._row_of)
        else:
            self._pages[page] = {row.id: row for row in rows}
            for row in rows:
                self._stale.pop(row.id, None)
            while len(self._pages) > self.cached_pages:
                self._pages.popitem(last=False)
            first = page * self.page_size
            last = min(first + self.page_size, len(self._ids)) - 1
            if first <= last:
                self.dataChanged.emit(
                    self.index(first, 0), self.index(last, len(self.columns) - 1), list(_ROLES)
                )
        self._ask_page()

    def _page_failed(self, exc: BaseException) -> None:
        """A page that could not be read is asked again when next shown."""
        self._reading = None
        self._wanted.clear()
        self.ops.tell(self, exc)

    # -- public API ------------------------------------------------------------

    def refresh(self) -> None:
        """Read the id list and the rows again (after a write, or others')."""
        self._ask_ids()

    def record_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, record_id: int) -> int | None:
        return self._row_of.get(record_id)

    def row_at(self, row: int) -> Any | None:
        """The row's DTO, or None while its page is read (it is asked for) or if the
        record vanished meanwhile."""
        if not 0 <= row < len(self._ids):
            return None
        page_no = self._last_page = row // self.page_size
        page = self._pages.get(page_no)
        if page is None:
            self._want(page_no)
            return self._stale.get(self._ids[row])
        if page_no != next(reversed(self._pages)):
            self._pages.move_to_end(page_no)
        return page.get(self._ids[row])

    # -- Qt model interface ----------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in _ROLES:
            return None
        row = self.row_at(index.row())
        if row is None:
            pending = self._pages.get(index.row() // self.page_size) is None
            if pending and index.column() == 0 and role == Qt.ItemDataRole.DisplayRole:
                return PENDING
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            whole = self.row_foreground(row)
            if whole is not None:
                return whole
        return cell(self.columns[index.column()], row, role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header(self.columns, section, orientation, role)


def _read_listed(
    s: Session,
    actor: Actor,
    list_ids: Any,
    read_rows: Any,
    query: Any,
    page: int,
    page_size: int,
    shown: frozenset[int],
) -> Listed:
    """The ids matching ``query`` and page ``page`` of their rows (the first page when
    the list is shorter), in one read session, so the table the answer fills shows
    rows at once, not a screenful of "…"; ``shown`` is the list on screen, compared
    here. Runs on the worker; ``shown`` is immutable, so reading it here is safe."""
    ids = list_ids(s, actor, query)
    if page * page_size >= len(ids):
        page = 0
    rows = read_rows(s, actor, ids[page * page_size : (page + 1) * page_size], query)
    members = frozenset(ids)
    return Listed(
        ids=ids,
        row_of={record_id: row for row, record_id in enumerate(ids)},
        members=members,
        same=members == shown,
        page=page,
        rows=rows,
    )


_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.DecorationRole,
        PILLS_ROLE,
    }
)
