"""Tables: the plain read-only table, the one column-sizing policy every table follows
(``fit_columns``), and the fitted table that is as tall as its rows.

The policy, declared per column (``models.columns.Column``): a key column is as wide
as its widest text (its ``sample`` while the table is empty); the table's one
``long`` column takes the width the key columns leave and wraps, its rows as tall as
their text. When the key columns alone do not fit, the widest give up width first
(``elide=False`` ones last) and elide, and the cell's tooltip shows the whole text
(``cells.CellDelegate``). A column the user resized keeps the user's width.

Big lazy models stay cheap: past ``MEASURED_ROWS`` rows only the rows in view are
measured, and past ``WRAPPED_ROWS`` the long column elides instead of wrapping, so
no work is done per row of a 50,000-row list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from internhost.gui.models.columns import PILLS_ROLE, Column
from internhost.gui.widgets.cells import ROW_PADDING, CellDelegate, text_margin

#: Models with more rows are measured on the rows in view only.
MEASURED_ROWS = 500
#: Models with more rows do not wrap their long column (it elides, with a tooltip).
WRAPPED_ROWS = 1000
#: The long column never gets narrower than its sample, or without one this many
#: average characters (nor than its content, if shorter): it wraps, but a row of a
#: word per line helps nobody.
LONG_MIN_CHARS = 28
#: Beside a long column, the most of the width a key column that may elide takes.
KEY_MAX_SHARE = 0.35


def plain_table(view: QTableView | None = None) -> QTableView:
    """A read-only, row-selecting table without a vertical header or grid."""
    view = view if view is not None else QTableView()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    # By pixel: rows of wrapped text differ in height, and the columns fill the width
    # exactly (by item, Qt may offer a scroll bar for the last pixel).
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + ROW_PADDING)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    )
    return view


def columns_table(model: Any, columns: Sequence[Column[Any]] | None = None) -> QTableView:
    """A ``plain_table`` of ``model``, its columns sized by ``fit_columns``."""
    view = plain_table()
    view.setModel(model)
    fit_columns(view, columns)
    return view


def fit_columns(view: QTableView, columns: Sequence[Column[Any]] | None = None) -> ColumnFit:
    """Size ``view``'s columns by the policy (module docstring), now and whenever its
    rows or its width change. ``columns`` describe the model's columns; by default the
    model's own ``columns`` (read at each fit: a model may change them)."""
    fit = view.findChild(ColumnFit)
    if fit is None:
        fit = ColumnFit(view, columns)
    elif columns is not None:
        fit.declared = tuple(columns)
    fit.refit()
    return fit


@dataclass(frozen=True)
class Want:
    """What one shown column asks of the width."""

    natural: int  # its content's width
    floor: int  # the narrowest it may be squeezed to (its header)
    keep: bool = False  # squeezed only after the others (dates, phone numbers)
    long: bool = False  # takes what is left, and wraps


def plan_widths(wants: Sequence[Want], available: int, long_floor: int) -> list[int]:
    """Widths for ``wants`` in ``available`` pixels: key columns at their natural
    width, the long column (or, without one, the last) taking the rest; when that
    leaves the long column under ``long_floor``, the key columns are squeezed. Beside
    a long column no key column that may elide takes more than ``KEY_MAX_SHARE``."""
    if not wants:
        return []
    long = next((i for i, w in enumerate(wants) if w.long), None)
    if long is None:
        keys = _squeeze_keys(wants, available)
        return [*keys[:-1], keys[-1] + max(0, available - sum(keys))]
    need = max(wants[long].natural, wants[long].floor)
    floor = min(max(long_floor, wants[long].floor), need)
    others = [w for i, w in enumerate(wants) if i != long]
    keys = _squeeze_keys(others, available - floor)
    if available - sum(keys) < need:  # the long text wraps: no key column hogs the width
        cap = int(KEY_MAX_SHARE * available)
        capped = [
            w if w.keep else replace(w, natural=min(w.natural, max(cap, w.floor))) for w in others
        ]
        keys = _squeeze_keys(capped, available - floor)
        if available - sum(keys) > need:  # more than the long text needs: give some back
            keys = _squeeze_keys(others, available - need)
    return [*keys[:long], max(floor, available - sum(keys)), *keys[long:]]


def _squeeze_keys(wants: Sequence[Want], available: int) -> list[int]:
    """Natural widths, squeezed to ``available`` when they do not fit: the columns
    that may elide first, the ``keep`` ones only if that is not enough."""
    natural = [w.natural for w in wants]
    floors = [w.floor for w in wants]
    first = [w.natural if w.keep else w.floor for w in wants]
    return _squeeze(_squeeze(natural, first, available), floors, available)


def _squeeze(natural: list[int], floors: list[int], available: int) -> list[int]:
    """``natural`` when it fits ``available``; otherwise the widest columns give up
    width first (one common cap), none below its floor, so short columns stay whole."""
    if not natural or sum(natural) <= available:
        return natural

    def capped(cap: int) -> list[int]:
        return [min(n, max(cap, f)) for n, f in zip(natural, floors, strict=True)]

    low, high = 0, max(natural)  # the largest cap whose widths still fit
    while low < high:
        mid = (low + high + 1) // 2
        low, high = (mid, high) if sum(capped(mid)) <= available else (low, mid - 1)
    return capped(low)


class ColumnFit(QObject):
    """The policy attached to one table (made by ``fit_columns``): it fits the columns
    after each change of rows and of width, and the wrapped rows' heights after it."""

    fitted = Signal()
    """Columns and row heights were fitted (a ``FittedTable`` then sets its height)."""

    def __init__(self, view: QTableView, columns: Sequence[Column[Any]] | None) -> None:
        super().__init__(view)
        self.view = view
        self.declared: tuple[Column[Any], ...] | None = tuple(columns) if columns else None
        #: Columns the user resized by hand: their width is left alone.
        self.pinned: set[int] = set()
        self._fitting = False
        self._dragging = False
        self._wrapped_for: tuple[int, int] | None = None  # (column, width) rows fit
        self._arrow_room: int | None = None  # what a sort arrow adds to a header
        delegate = view.itemDelegate()
        if not isinstance(delegate, CellDelegate):
            delegate = CellDelegate(view)
            view.setItemDelegate(delegate)
        self.delegate: CellDelegate = delegate
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.sectionResized.connect(self._section_resized)
        # Held here: events still come while the view is being deleted.
        self._viewport = view.viewport()
        header.viewport().installEventFilter(self)
        self._viewport.installEventFilter(self)
        self._later = QTimer(self, singleShot=True, interval=0)
        self._later.timeout.connect(self.refit)
        model = view.model()
        for signal in (
            model.modelReset,
            model.layoutChanged,
            model.rowsInserted,
            model.rowsRemoved,
            model.columnsInserted,
        ):
            signal.connect(self._rows_changed)
        model.dataChanged.connect(self._data_changed)  # a lazy model's rows arriving

    # -- what the columns are ---------------------------------------------------------

    @property
    def columns(self) -> tuple[Column[Any], ...]:
        own = getattr(self.view.model(), "columns", None)
        return tuple(own) if own is not None else self.declared or ()

    def long_column(self) -> int:
        """The shown long column, or -1."""
        return next(
            (
                c
                for c, column in enumerate(self.columns)
                if column.long and not self.view.isColumnHidden(c)
            ),
            -1,
        )

    def wraps(self) -> bool:
        """Whether the long column wraps (not past ``WRAPPED_ROWS`` rows)."""
        return self.long_column() >= 0 and self.view.model().rowCount() <= WRAPPED_ROWS

    # -- fitting ------------------------------------------------------------------------

    def refit(self) -> None:
        """Fit the columns to the view's width, then the wrapped rows to the columns."""
        if self._fitting:
            return
        self._later.stop()
        view = self.view
        model = view.model()
        if model is None:
            return
        view.ensurePolished()  # the stylesheet's font decides every width below
        shown = [c for c in range(model.columnCount()) if not view.isColumnHidden(c)]
        wants = [self._want(c) for c in shown]
        fixed = sum(view.columnWidth(c) for c in shown if c in self.pinned)
        free = [(c, w) for c, w in zip(shown, wants, strict=True) if c not in self.pinned]
        available = view.viewport().width() - fixed
        widths = plan_widths([w for _c, w in free], available, self._long_floor())
        header = view.horizontalHeader()
        header.setStretchLastSection(False)  # a header state saved by an older version
        self._fitting = True
        try:
            for (column, _want), width in zip(free, widths, strict=True):
                if header.sectionSize(column) != width:
                    header.resizeSection(column, width)
        finally:
            self._fitting = False
        self._fit_rows()
        self.fitted.emit()

    def _long_floor(self) -> int:
        long = self.long_column()
        sample = self.columns[long].sample if long >= 0 else ""
        metrics = QFontMetrics(self.view.font())
        if sample:
            return metrics.horizontalAdvance(sample) + text_margin(self.view)
        return LONG_MIN_CHARS * metrics.averageCharWidth()

    def _want(self, column: int) -> Want:
        declared = self.columns[column] if column < len(self.columns) else None
        floor = self._header_width(column)
        content = self._content_width(column)
        if content is None:  # no rows: the declared sample stands in for them
            sample = declared.sample if declared is not None else ""
            metrics = QFontMetrics(self.view.font())
            content = metrics.horizontalAdvance(sample) + text_margin(self.view) if sample else 0
        return Want(
            natural=max(floor, content),
            floor=floor,
            keep=declared is not None and not declared.elide,
            long=declared is not None and declared.long,
        )

    def _header_width(self, column: int) -> int:
        """The header's label; room for the sort arrow only on the sorted column (Qt
        would keep that room on every column of a sortable table)."""
        header = self.view.horizontalHeader()
        width = header.sectionSizeFromContents(column).width()
        if not header.isSortIndicatorShown() or header.sortIndicatorSection() == column:
            return width
        if self._arrow_room is None:
            header.setSortIndicatorShown(False)
            self._arrow_room = width - header.sectionSizeFromContents(column).width()
            header.setSortIndicatorShown(True)
        return width - self._arrow_room

    def _measured_rows(self) -> range:
        """Every row of a small model; of a big one, the rows in view."""
        view = self.view
        count = view.model().rowCount()
        if count <= MEASURED_ROWS:
            return range(count)
        first = max(view.rowAt(0), 0)
        last = view.rowAt(view.viewport().height() - 1)
        return range(first, (last if last >= 0 else min(count - 1, first + 50)) + 1)

    def _content_width(self, column: int) -> int | None:
        """The widest cell of the measured rows (text, pills, icon and margins); None
        without rows."""
        rows = self._measured_rows()
        if not rows:
            return None
        view, model = self.view, self.view.model()
        metrics = QFontMetrics(view.font())
        texts = [model.index(r, column) for r in rows]
        widest = max(
            texts,
            key=lambda i: (
                metrics.horizontalAdvance(str(i.data() or ""))
                + self.delegate.pills_width(i.data(PILLS_ROLE), view.font())
            ),
        )
        option = QStyleOptionViewItem()
        view.initViewItemOption(option)
        return self.delegate.sizeHint(option, widest).width()

    def _fit_rows(self) -> None:
        """Each row as tall as its wrapped long text (only the long column is measured,
        and only when it wraps and its width or the rows changed)."""
        view = self.view
        long = self.long_column()
        self.delegate.wrap_column = long if self.wraps() else -1
        if self.delegate.wrap_column < 0:
            self._wrapped_for = None
            return
        width = view.columnWidth(long)
        if self._wrapped_for == (long, width):
            return
        self._wrapped_for = (long, width)
        model, rows = view.model(), view.verticalHeader()
        font, margin = view.font(), text_margin(view)
        line = rows.defaultSectionSize()
        for row in range(model.rowCount()):
            height = self.delegate.wrapped_height(model.index(row, long), width, font, margin)
            rows.resizeSection(row, max(line, height))

    # -- what sets it off ---------------------------------------------------------------

    def _rows_changed(self, *_args: object) -> None:
        self._wrapped_for = None  # new rows: their heights are unknown
        self.refit()

    def _data_changed(self, *_args: object) -> None:
        self._wrapped_for = None
        self._later.start()

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        if self._dragging and not self._fitting:
            self.pinned.add(column)
            self._wrapped_for = None
            self._later.start()  # the others take up what the user's column left

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._viewport and kind == QEvent.Type.Resize:
            self._later.start()
        elif kind == QEvent.Type.MouseButtonPress:
            self._dragging = True
        elif kind == QEvent.Type.MouseButtonRelease:
            self._dragging = False
        return False


class FittedTable(QTableView):
    """A short table that never scrolls: as tall as its rows, and as wide as its
    parent; its columns follow the policy (``fit_columns``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fitted")  # a smaller font (theme): these tables are secondary
        plain_table(self)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.fit: ColumnFit | None = None

    def setModel(self, model: Any) -> None:
        super().setModel(model)
        self.ensurePolished()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + ROW_PADDING)
        self.fit = fit_columns(self)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.fit.fitted.connect(self._fit_height)
        self._fit_height()

    def refit(self) -> None:
        if self.fit is not None:
            self.fit.refit()

    def _fit_height(self) -> None:
        rows = self.verticalHeader()
        height = rows.length() if self.model().rowCount() else rows.defaultSectionSize()
        self.setFixedHeight(
            self.horizontalHeader().sizeHint().height() + height + 2 * self.frameWidth()
        )
