"""The interns screen: search, the lazy table, and the selected intern's detail.

Typing re-queries ids in SQL after a short pause (``SEARCH_DELAY_MS``), so a
fast typist causes one query, not one per key; only the last search asked is
shown. Sorting is the model's (SQL) and only for columns the service can sort by;
the selection follows the intern. Every read and write runs on the database worker
(``gui.ops``); the screen shows what it showed until the answer comes. It reads
again when a write anywhere announces a record kind it shows (``SHOWS``), at once
if it is on screen, else when next shown.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QSignalBlocker,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from internhost.core.actor import Permission
from internhost.core.dto import InternDetail
from internhost.core.errors import DomainError, NotFound
from internhost.core.services import intern_records, interns
from internhost.gui.models.interns_model import COLUMNS, InternsModel
from internhost.gui.ops import Ops, touches
from internhost.gui.settings import UiSettings
from internhost.gui.views.intern_detail import InternDetailPane, PaneData, read_pane
from internhost.gui.widgets.basics import PAGE_MARGIN, button, label
from internhost.gui.widgets.records import already_announced
from internhost.gui.widgets.tables import fit_columns, plain_table

SEARCH_DELAY_MS = 200
LOADING = "Loading interns…"
#: The record kinds the list's rows show (names of schools, worksites, mentors).
LIST_SHOWS = frozenset({"intern", "placement", "school", "worksite", "staff"})
#: The record kinds the screen shows: the list's, and the detail's besides.
SHOWS = LIST_SHOWS | {"calendar", "checklist", "finding", "plan"}


class InternsView(QWidget):
    exported = Signal(str)

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.ops = ops
        self.model = InternsModel(ops, self)
        #: The intern to select once the list asked for comes (a new one, a link).
        self._select_when_listed: int | None = None
        #: (intern, finding) to show on the findings tab once that intern's pane shows.
        self._finding_to_show: tuple[int, int] | None = None
        #: Written meanwhile and not on screen: read again when shown.
        self._stale = False
        #: The detail waits for the checklist editor's edits to be saved or dropped.
        self._detail_stale = False
        self._listing = False

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by name or student ID")
        self.search.setMaxLength(interns.SEARCH_MAX)  # the service refuses longer
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        self.count = label(role="muted")  # the list area says it is loading
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
        header.sortIndicatorChanged.connect(self._sort_requested)
        fit_columns(self.table, COLUMNS)
        if ops.actor.can(Permission.PRINT_HR_BINDER):
            # HR picks several interns (Ctrl/Shift) for their binders; the detail shows
            # the one clicked last.
            self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.loaded.connect(self._listed)
        # Until the first list comes, say so rather than show an empty table.
        self.loading = label(LOADING, "empty")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.loading)
        self.list_stack.setCurrentWidget(self.loading)

        self.detail = InternDetailPane(ops)
        self.detail.checklist_tab.reverted.connect(self._catch_up)
        self.detail.plan_tab.reverted.connect(self._catch_up)

        # Table above, detail below: every column stays visible and the detail gets
        # the full width for its profile beside the contacts and placements.
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(14)
        self.splitter.addWidget(self.list_stack)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        # The detail's tabs (findings, checklist) want height more than the list does.
        self.splitter.setSizes([170, 530])

        top = QHBoxLayout()
        title = label("Interns", "title")
        top.addWidget(title)
        top.addSpacing(10)
        top.addWidget(self.count, 0, Qt.AlignmentFlag.AlignBottom)
        top.addStretch(1)
        top.addWidget(self.search)
        actor = ops.actor
        may_edit = actor.can(Permission.EDIT_RECORDS)
        self.new_button = button("New intern", "primary", self.new_record)
        self.edit_button = button("Edit…", "secondary", self.edit_selected)
        self.placement_button = button("Add placement…", "secondary", self.add_placement)
        self.archive_button = button("Archive", "secondary", self.toggle_archive)
        self.more = QMenu(self)
        self.import_action = self.more.addAction("Import roster…", self.import_roster)
        self.hours_action = self.more.addAction("Import hours…", self.import_hours)
        self.term_action = self.more.addAction("New term…", self.new_term)
        self.more.addSeparator()
        self.binder_action = self.more.addAction("HR binder for selected…", self.print_binders)
        self.binder_action.setVisible(actor.can(Permission.PRINT_HR_BINDER))
        self.export_action = self.more.addAction("Export CSV…", self.export_csv)
        self.import_action.setVisible(actor.can(Permission.IMPORT))
        self.hours_action.setVisible(actor.can(Permission.IMPORT))
        self.term_action.setVisible(may_edit)
        self.more_button = button("More", "secondary", self._show_more)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        for widget in (
            self.new_button,
            self.edit_button,
            self.placement_button,
            self.archive_button,
        ):
            actions.addWidget(widget)
        actions.addStretch(1)
        actions.addWidget(self.more_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(PAGE_MARGIN, 20, PAGE_MARGIN, 20)
        layout.setSpacing(14)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.splitter, 1)
        # Once parented: shown before, a button opens as a window of its own.
        for widget in (self.new_button, self.edit_button, self.placement_button):
            widget.setVisible(may_edit)
        self.archive_button.setVisible(may_edit)
        self._archiving = False
        self._update_buttons()
        ops.changed.connect(self._records_changed)

    # -- search and sort -------------------------------------------------------

    def apply_search(self) -> None:
        """Ask for the search now (the debounce timer calls this; so may tests)."""
        self._search_timer.stop()
        self.model.set_search(self.search.text())

    def _sort_requested(self, column: int, order: Qt.SortOrder) -> None:
        if not self.model.is_sortable(column):  # put the indicator back where it was
            with QSignalBlocker(self.table.horizontalHeader()):
                self.table.horizontalHeader().setSortIndicator(
                    self.model.sort_column, self.model.sort_order
                )

    # -- reading -----------------------------------------------------------------

    def _records_changed(self, changes: frozenset[str]) -> None:
        """A write changed records: read what this screen shows of them again, now if
        it is on screen, else when it is next shown."""
        if not touches(changes, SHOWS):
            return
        if not self.isVisible():
            self._stale = True
            return
        if touches(changes, LIST_SHOWS):
            self.model.refresh()
        self.show_selected()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def refresh(self) -> None:
        """Read the list again (the rows stay on screen until it comes)."""
        self.model.refresh()

    def reload(self, intern_id: int | None = None) -> None:
        """Read the list and the detail again, keeping the selection, or moving it
        to ``intern_id``."""
        self._stale = False
        if intern_id is not None:
            self._select_when_listed = intern_id
        self.model.refresh()
        if intern_id is None:
            self.show_selected()

    def _listed(self) -> None:
        """A list came: select the intern asked for, or keep the one on screen."""
        self.list_stack.setCurrentWidget(self.table)
        self._update_count()
        shown = self.detail.current
        wanted = self._select_when_listed
        self._select_when_listed = None
        keep = wanted if wanted is not None else (shown.id if shown is not None else None)
        row = self.model.row_of(keep) if keep is not None else None
        if row is None:
            if self.selected_intern_id() is None:
                self.detail.clear()
            self._update_buttons()
            return
        if self.selected_intern_id() != keep:
            self._listing = True  # the detail is read below, once
            try:
                self._select_only(row)
            finally:
                self._listing = False
        self.table.scrollTo(self.model.index(row, 0))
        self._update_buttons()
        if shown is None or shown.id != keep:
            self.show_selected()

    def _update_count(self) -> None:
        n = self.model.rowCount(QModelIndex())
        noun = "intern" if n == 1 else "interns"
        self.count.setText(f"{n} {noun}" + (" found" if self.model.search_text else ""))

    # -- selection -------------------------------------------------------------

    def selected_intern_id(self) -> int | None:
        """The intern the detail shows: the one clicked last among those selected."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        current = self.table.currentIndex()
        if current.isValid() and any(r.row() == current.row() for r in rows):
            return self.model.intern_id(current.row())
        return self.model.intern_id(rows[0].row())

    def _select_only(self, row: int) -> None:
        """Select ``row`` alone and make it current. (``selectRow`` in HR's extended
        selection would extend or toggle it with Shift or Ctrl held down.)"""
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(self.model.index(row, 0), flags)

    def selected_intern_ids(self) -> list[int]:
        """Every intern selected, in the list's order."""
        rows = sorted(r.row() for r in self.table.selectionModel().selectedRows())
        return [self.model.intern_id(r) for r in rows]

    def select_intern(self, intern_id: int, *, finding_id: int | None = None) -> bool:
        """Select (and scroll to) an intern, clearing a search that hides them; when
        the list is on its way, once it comes. False when they are not listed. With
        ``finding_id``, their findings tab shows that finding (the place to fix it)."""
        self._finding_to_show = (intern_id, finding_id) if finding_id is not None else None
        shown = self.detail.current
        if shown is not None and shown.id == intern_id == self.selected_intern_id():
            self._focus_finding()  # already on screen: no new read will show it
        row = self.model.row_of(intern_id)
        if row is not None and not self.model.asking:
            self._select_only(row)
            self.table.scrollTo(self.model.index(row, 0))
            return True
        listed = self.model.is_loaded and not self.model.asking
        if listed and not self.model.search_text and not self.search.text():
            return False
        self._select_when_listed = intern_id
        if self.search.text():
            self.search.clear()
            self.apply_search()
        return True

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_buttons()
        if not self._listing:
            self.show_selected()

    def show_selected(self) -> None:
        """Read the selected intern's detail pane again: profile, findings and
        checklist, in one read on the worker. The pane shows the last intern until
        the answer comes; it waits while the checklist editor holds edits."""
        intern_id = self.selected_intern_id()
        if intern_id is None:
            self.detail.clear()
            self._update_buttons()
            return
        if self._holding_edits(intern_id):
            return
        self._detail_stale = False
        self.ops.read(
            self,
            read_pane,
            intern_id,
            self.ops.today(),
            done=self._show_pane,
            failed=self._pane_failed,
            latest="detail",
        )

    def _holding_edits(self, intern_id: int) -> bool:
        """Whether the checklist editor holds edits to this intern not yet saved: the
        pane is not read under the user's hands, but once they are saved or dropped."""
        shown = self.detail.current
        holding = shown is not None and shown.id == intern_id and self.unsaved_edits()
        self._detail_stale = self._detail_stale or holding
        return holding

    def _show_pane(self, data: PaneData) -> None:
        if data.detail.id != self.selected_intern_id() or self._holding_edits(data.detail.id):
            return  # another intern was chosen meanwhile, or edits arrived
        self.detail.show_intern(
            data.detail, self.ops.today(), data.findings, data.checklist, data.plan
        )
        self._focus_finding()
        self._update_buttons()

    def _focus_finding(self) -> None:
        """The finding a link asked for, on the findings tab, once its intern shows."""
        wanted, self._finding_to_show = self._finding_to_show, None
        shown = self.detail.current
        if wanted is not None and shown is not None and shown.id == wanted[0]:
            self.detail.focus_finding(wanted[1])
        elif wanted is not None:
            self._finding_to_show = wanted  # that intern's pane is still on its way

    def _pane_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, NotFound):
            self.ops.tell(self, exc)
            return
        self.detail.clear()  # deleted, or out of the user's sight, since the list was read
        self._update_buttons()

    def _catch_up(self) -> None:
        """The checklist or plan editor's edits were saved or dropped: read what waited."""
        if self._detail_stale:
            self._detail_stale = False
            self.show_selected()

    def unsaved_edits(self) -> bool:
        """Whether the selected intern's checklist item or plan step's note holds an
        edit not yet saved."""
        return self.detail.checklist_tab.unsaved_edits() or self.detail.plan_tab.unsaved_edits()

    def discard_edits(self) -> None:
        self.detail.checklist_tab._revert()
        self.detail.plan_tab._revert()

    # -- actions ---------------------------------------------------------------

    def _update_buttons(self) -> None:
        chosen = self.selected_intern_id() is not None
        self.binder_action.setEnabled(chosen)
        for widget in (self.edit_button, self.placement_button):
            widget.setEnabled(chosen)
        shown = self.detail.current
        self.archive_button.setEnabled(chosen and shown is not None and not self._archiving)
        archived = chosen and shown is not None and shown.archived
        self.archive_button.setText("Restore" if archived else "Archive")

    def new_record(self) -> None:
        """Open the editor on a new intern; once saved, they are selected."""
        from internhost.gui.dialogs.intern_editor import edit_intern

        edit_intern(self, self.ops, None, self._created)

    def _created(self, detail: InternDetail) -> None:
        self.select_intern(detail.id)

    def edit_selected(self) -> None:
        from internhost.gui.dialogs.intern_editor import edit_intern

        intern_id = self.selected_intern_id()
        if intern_id is not None:
            edit_intern(self, self.ops, intern_id, already_announced)

    def add_placement(self) -> None:
        from internhost.gui.views.placements import edit_placement

        intern_id = self.selected_intern_id()
        if intern_id is not None:
            edit_placement(self, self.ops, None, already_announced, intern_id=intern_id)

    def toggle_archive(self) -> None:
        """Archive the selected intern (or restore an archived one) on the worker."""
        intern_id, shown = self.selected_intern_id(), self.detail.current
        if intern_id is None or shown is None or self._archiving:
            return
        action: Callable[..., list[str]] = (
            intern_records.restore_intern
            if shown.archived
            else partial(intern_records.archive_intern, today=self.ops.today())
        )
        self._set_archiving(True)
        self.ops.write(
            self,
            action,
            intern_id,
            changes={"intern"},
            done=self._archived,
            failed=self._archive_refused,
        )

    def _set_archiving(self, archiving: bool) -> None:
        self._archiving = archiving
        self._update_buttons()

    def _archived(self, notes: list[str]) -> None:
        self._set_archiving(False)
        if notes:
            QMessageBox.information(self, "Interns", "\n".join(notes))

    def _archive_refused(self, exc: BaseException) -> None:
        self._set_archiving(False)
        if isinstance(exc, DomainError):
            QMessageBox.warning(self, "Interns", str(exc))
        else:
            self.ops.tell(self, exc)

    def _show_more(self) -> None:
        below = self.more_button.rect().bottomLeft()
        self.more.popup(self.more_button.mapToGlobal(below))

    def import_roster(self) -> None:
        """The roster import (it announces what it wrote, so every screen reads it)."""
        from internhost.gui.dialogs.import_roster import ImportRosterDialog

        ImportRosterDialog.ask(self, self.ops)

    def import_hours(self) -> None:
        """A time clock's punches, through the same import dialog (it announces them)."""
        from internhost.gui.dialogs.import_roster import ImportRosterDialog
        from internhost.gui.dialogs.import_roster.kinds import HOURS

        ImportRosterDialog.ask(self, self.ops, kind=HOURS)

    def new_term(self) -> None:
        from internhost.gui.dialogs.new_term import NewTermDialog

        NewTermDialog.ask(self, self.ops)  # it announces what it copied

    def print_binders(self) -> bool:
        """The HR binders of the interns selected (one file per intern); False when
        none is selected."""
        from pathlib import Path

        from internhost.gui.dialogs.print_packets import print_packets
        from internhost.gui.printing import HR, BatchRequest

        chosen = self.selected_intern_ids()
        if not chosen:
            return False
        request = BatchRequest(folder=Path(), kind=HR, intern_ids=tuple(chosen))
        about = f"HR binders of {len(chosen)} intern{'s' if len(chosen) != 1 else ''}"
        print_packets(self, self.ops, request, about=about, kind_fixed=True)
        return True

    def export_csv(self) -> None:
        """Ask where, then write the interns as ``internhost export`` does (on the worker)."""
        from internhost.gui.widgets.records import export_entity

        export_entity(self, self.ops, "interns", "Export interns", done=self.exported.emit)

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
