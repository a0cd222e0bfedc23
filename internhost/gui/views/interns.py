"""The interns screen: search, the lazy table, and the selected intern's detail.

Typing re-queries ids in SQL after a short pause (``SEARCH_DELAY_MS``), so a
fast typist causes one query, not one per key. Sorting is the model's (SQL) and
only for columns the service can sort by; the selection follows the intern.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QModelIndex, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from internhost.core.actor import Permission
from internhost.core.errors import DomainError, NotFound
from internhost.core.services import compliance, interns
from internhost.gui.database import Database
from internhost.gui.models.interns_model import COLUMNS, InternsModel
from internhost.gui.ops import Ops
from internhost.gui.settings import UiSettings
from internhost.gui.tasks import TaskRunner
from internhost.gui.views.intern_detail import InternDetailPane
from internhost.gui.widgets.basics import PAGE_MARGIN, button, label
from internhost.gui.widgets.tables import fit_columns, plain_table

SEARCH_DELAY_MS = 200


class InternsView(QWidget):
    changed = Signal()
    """An intern was created, edited, archived, imported or given a placement."""
    exported = Signal(str)

    def __init__(
        self, database: Database, runner: TaskRunner | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.database = database
        self.runner = runner or TaskRunner(self)
        self.model = InternsModel(database, self)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by name or student ID")
        self.search.setMaxLength(interns.SEARCH_MAX)  # the service refuses longer
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
        header.sortIndicatorChanged.connect(self._sort_requested)
        fit_columns(self.table, COLUMNS)
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
        self.splitter.setSizes([170, 530])

        top = QHBoxLayout()
        title = label("Interns", "title")
        top.addWidget(title)
        top.addSpacing(10)
        top.addWidget(self.count, 0, Qt.AlignmentFlag.AlignBottom)
        top.addStretch(1)
        top.addWidget(self.search)
        actor = database.actor
        may_edit = actor.can(Permission.EDIT_RECORDS)
        self.new_button = button("New intern", "primary", self.new_record)
        self.edit_button = button("Edit…", "secondary", self.edit_selected)
        self.placement_button = button("Add placement…", "secondary", self.add_placement)
        self.archive_button = button("Archive", "secondary", self.toggle_archive)
        for widget in (self.new_button, self.edit_button, self.placement_button):
            widget.setVisible(may_edit)
        self.archive_button.setVisible(may_edit)
        self.more = QMenu(self)
        self.import_action = self.more.addAction("Import roster…", self.import_roster)
        self.term_action = self.more.addAction("New term…", self.new_term)
        self.more.addSeparator()
        self.export_action = self.more.addAction("Export CSV…", self.export_csv)
        self.import_action.setVisible(actor.can(Permission.IMPORT))
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
        self._update_buttons()
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
        self._update_buttons()
        self.show_selected()

    def show_selected(self) -> None:
        """Read the selected intern's detail pane again."""
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

    def unsaved_edits(self) -> bool:
        """Whether the selected intern's checklist item holds an edit not yet saved."""
        return self.detail.checklist_tab.editor.dirty()

    def discard_edits(self) -> None:
        self.detail.checklist_tab._revert()

    # -- actions ---------------------------------------------------------------

    def _update_buttons(self) -> None:
        chosen = self.selected_intern_id() is not None
        for widget in (self.edit_button, self.placement_button, self.archive_button):
            widget.setEnabled(chosen)
        shown = self.detail.current
        archived = chosen and shown is not None and shown.archived
        self.archive_button.setText("Restore" if archived else "Archive")

    def reload(self, intern_id: int | None = None) -> None:
        """Re-read the list (and the pane), keeping the selection, or moving it to
        ``intern_id``."""
        keep = intern_id or self.selected_intern_id()
        self.model.refresh()
        if keep is not None:
            self.select_intern(keep)
        self.show_selected()
        self._update_buttons()

    def _changed(self, intern_id: int | None = None) -> None:
        """After a save: reload, and tell the others."""
        self.reload(intern_id)
        self.changed.emit()

    def new_record(self) -> None:
        from internhost.gui.dialogs.intern_editor import InternEditor

        saved = InternEditor(self.database, None, self).run()
        if saved is not None:
            self._changed(saved.id)

    def edit_selected(self) -> None:
        from internhost.gui.dialogs.intern_editor import edit_intern

        intern_id = self.selected_intern_id()
        if intern_id is not None and edit_intern(self, self.database, intern_id):
            self._changed(intern_id)

    def add_placement(self) -> None:
        from internhost.gui.views.placements import edit_placement

        intern_id = self.selected_intern_id()
        if intern_id is not None and edit_placement(self, self.database, None, intern_id=intern_id):
            self._changed(intern_id)

    def toggle_archive(self) -> None:
        from internhost.core.services import intern_records

        intern_id, shown = self.selected_intern_id(), self.detail.current
        if intern_id is None or shown is None:
            return
        action = intern_records.restore_intern if shown.archived else intern_records.archive_intern
        kwargs = {} if shown.archived else {"today": self.database.today()}
        try:
            notes = self.database.write(action, intern_id, **kwargs)
        except DomainError as exc:
            QMessageBox.warning(self, "Interns", str(exc))
            return
        if notes:
            QMessageBox.information(self, "Interns", "\n".join(notes))
        self._changed(intern_id)

    def _show_more(self) -> None:
        below = self.more_button.rect().bottomLeft()
        self.more.popup(self.more_button.mapToGlobal(below))

    def import_roster(self) -> None:
        from internhost.gui.dialogs.import_roster import ImportRosterDialog
        from internhost.gui.ops import Ops

        if ImportRosterDialog.ask(self, Ops(self.database, self.runner, self)) is not None:
            self._changed()

    def _ops(self) -> Ops:
        """This screen's database and worker as ``gui.ops``, for the dialogs that take
        it, until the screen is converted itself (issue 12 §3)."""
        return Ops(self.database, self.runner, self)

    def new_term(self) -> None:
        from internhost.gui.dialogs.new_term import NewTermDialog

        if NewTermDialog.ask(self, self._ops()) is not None:
            self._changed()

    def export_csv(self) -> None:
        from internhost.gui.widgets.records import export_entity

        export_entity(self, self._ops(), "interns", "Export interns", done=self.exported.emit)

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
