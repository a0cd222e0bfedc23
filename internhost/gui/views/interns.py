"""The interns screen: search, the lazy table, and the selected intern's detail.

Typing re-queries ids in SQL after a short pause (``SEARCH_DELAY_MS``), so a
fast typist causes one query, not one per key. Sorting is the model's (SQL) and
only for columns the service can sort by; the selection follows the intern.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QModelIndex, QSignalBlocker, Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from internhost.core.errors import NotFound
from internhost.core.services import compliance, interns
from internhost.gui.database import Database
from internhost.gui.models.interns_model import COLUMNS, InternsModel
from internhost.gui.settings import UiSettings
from internhost.gui.views.intern_detail import InternDetailPane
from internhost.gui.views.widgets import PAGE_MARGIN, label, plain_table, size_columns

SEARCH_DELAY_MS = 200


class InternsView(QWidget):
    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.database = database
        self.model = InternsModel(database, self)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by name or student ID")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        self.count = label(role="muted")
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self.apply_search)

        self.table = plain_table()
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        # Indicator first: enabling sorting sorts by whatever the indicator says.
        header.setSortIndicator(self.model.sort_column, self.model.sort_order)
        self.table.setSortingEnabled(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.sortIndicatorChanged.connect(self._sort_requested)
        size_columns(self.table, COLUMNS)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._after_reset)

        self.detail = InternDetailPane(database)

        # Table above, detail below: every column stays visible and the detail gets
        # the full width for its profile beside the contacts and placements.
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(14)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        # The detail's tabs (findings, checklist) want height more than the list does.
        self.splitter.setSizes([220, 480])

        top = QHBoxLayout()
        title = label("Interns", "title")
        top.addWidget(title)
        top.addSpacing(10)
        top.addWidget(self.count, 0, Qt.AlignmentFlag.AlignBottom)
        top.addStretch(1)
        top.addWidget(self.search)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(PAGE_MARGIN, 20, PAGE_MARGIN, 20)
        layout.setSpacing(16)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        self._update_count()

    # -- search and sort -------------------------------------------------------

    def apply_search(self) -> None:
        """Run the search now (the debounce timer calls this; so may tests)."""
        self._search_timer.stop()
        self.model.set_search(self.search.text())

    def _sort_requested(self, column: int, order: Qt.SortOrder) -> None:
        if not self.model.is_sortable(column):  # put the indicator back where it was
            with QSignalBlocker(self.table.horizontalHeader()):
                self.table.horizontalHeader().setSortIndicator(
                    self.model.sort_column, self.model.sort_order
                )

    # -- selection -------------------------------------------------------------

    def selected_intern_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.intern_id(rows[0].row()) if rows else None

    def select_intern(self, intern_id: int) -> bool:
        """Select (and scroll to) an intern, clearing a search that hides them."""
        row = self.model.row_of(intern_id)
        if row is None and self.model.search_text:
            self.search.clear()
            self.apply_search()
            row = self.model.row_of(intern_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        intern_id = self.selected_intern_id()
        if intern_id is None:
            self.detail.clear()
            return
        today = self.database.today()
        actor = self.database.actor
        try:  # one short session for the whole pane: profile, findings, checklist
            with self.database.reading() as s:
                detail = interns.get_intern(s, actor, intern_id, today)
                findings = compliance.list_findings(s, actor, intern_id)
                checklist = compliance.list_checklist(s, actor, intern_id)
        except NotFound:  # deleted or archived away since the list was read
            self.detail.clear()
            return
        self.detail.show_intern(detail, today, findings, checklist)

    def _after_reset(self) -> None:
        """After a search, keep the intern on screen selected if they still match."""
        self._update_count()
        shown = self.detail.current
        row = self.model.row_of(shown.id) if shown is not None else None
        if row is None:
            self.detail.clear()
        else:
            self.table.selectRow(row)

    def _update_count(self) -> None:
        n = self.model.rowCount(QModelIndex())
        noun = "intern" if n == 1 else "interns"
        self.count.setText(f"{n} {noun}" + (" found" if self.model.search_text else ""))

    def refresh(self) -> None:
        self.model.refresh()

    # -- UI state --------------------------------------------------------------

    def save_state(self, settings: UiSettings) -> None:
        settings.save_state("interns/splitter", self.splitter)
        settings.save_state("interns/header", self.table.horizontalHeader())

    def restore_state(self, settings: UiSettings) -> None:
        settings.restore_state("interns/splitter", self.splitter)
        header = self.table.horizontalHeader()
        if settings.restore_state("interns/header", header):
            # The saved header carries the last sort: apply it to the model (in SQL).
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
            self._sort_requested(header.sortIndicatorSection(), header.sortIndicatorOrder())
