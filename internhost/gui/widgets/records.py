"""One screen shape for every short list of records: staff, schools, calendars,
worksites, placements.

A ``RecordKind`` says how to load the rows (a read service, run on the database
worker through ``gui.ops``), which columns to show, how to open the editor, which
record kinds the rows show and which export and archive kinds apply; ``RecordsView``
does the rest: a search that filters as you type, "show archived", New / Edit /
Archive (Restore) and Export CSV. These lists hold tens or hundreds of rows, so they
are read whole and filtered in memory; the interns list, which can hold tens of
thousands, has its own lazy view.

Nothing here touches the database on the GUI thread: the rows arrive by callback
(the previous rows stay on screen meanwhile), a save or an archive announces what it
changed, and every list showing that kind reads again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from internhost.core.actor import Actor, Permission
from internhost.core.errors import DomainError
from internhost.core.text import fold
from internhost.gui.database import Database
from internhost.gui.models.columns import Column, RowsModel
from internhost.gui.ops import Ops, kinds
from internhost.gui.widgets.basics import PAGE_MARGIN, button, label, shown
from internhost.gui.widgets.refreshing import Refreshing
from internhost.gui.widgets.tables import columns_table

#: Called on the GUI thread with what the editor's save returned.
Saved = Callable[[Any], None]
#: Opens the editor on a record (None: a new one), reading what it needs through
#: ``ops`` first; calls ``saved(result)`` once the dialog saved, never when cancelled.
Editor = Callable[[QWidget, Ops, "int | None", Saved], None]
#: A read service ``(session, actor, today) -> rows``, run on the database worker.
Loader = Callable[[Any, Actor, date], Sequence[Any]]
#: A service ``(session, actor, record id, today=...) -> warnings`` (archive or restore).
Archiver = Callable[..., list[str]]
LOADING = "Loading…"


@dataclass(frozen=True)
class Archiving:
    archive: Archiver
    restore: Archiver
    #: The record kinds (``ops.KINDS``) archiving or restoring one changes.
    changes: Iterable[str]

    def __post_init__(self) -> None:
        object.__setattr__(self, "changes", kinds(self.changes))


def directory_archiving(kind: str) -> Archiving:
    """Archive and restore through ``directory`` (worksites, equipment, staff, schools;
    each ``kind`` is also the record kind it announces)."""
    from internhost.core.services import directory

    return Archiving(
        archive=lambda s, actor, record_id, *, today: directory.archive(
            s, actor, kind, record_id, today=today
        ),
        restore=lambda s, actor, record_id, *, today: directory.restore(s, actor, kind, record_id),
        changes=frozenset({kind}),
    )


@dataclass(frozen=True)
class RecordKind:
    key: str
    title: str
    #: "staff member", for buttons and messages.
    noun: str
    columns: Sequence[Column[Any]]
    load: Loader
    row_id: Callable[[Any], int]
    edit: Editor
    search_text: Callable[[Any], str]
    #: The record kinds (``ops.KINDS``) the rows show: a write announcing one of them
    #: makes every list of these records read again.
    shows: Iterable[str]
    archived: Callable[[Any], bool] = lambda row: False
    #: How to archive and restore; None: these records are not archived from here.
    archiving: Archiving | None = None
    #: ``exports`` entity written by Export CSV; None: no export.
    export_entity: str | None = None
    empty_text: str = "Nothing recorded yet."
    can_create: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "shows", kinds(self.shows))  # a typo fails at import


def saved_id(result: Any) -> int | None:
    """The id of the record an editor saved: services return it, or a row holding it."""
    if isinstance(result, int) and not isinstance(result, bool):
        return result
    found = getattr(result, "id", None)
    return found if isinstance(found, int) else None


class RecordsView(Refreshing, QWidget):
    """A searchable table of one kind of record, with its actions."""

    exported = Signal(str)
    """An export was written; the argument says where, for the status bar."""
    loaded = Signal()
    """The rows arrived (at first, and after each read again)."""

    def __init__(
        self,
        kind: RecordKind,
        ops: Ops,
        parent: QWidget | None = None,
        *,
        compact: bool = False,
    ) -> None:
        """``compact``: a panel inside a wizard page: no title, search, archive or export."""
        super().__init__(parent)
        self.setObjectName("panel" if compact else "page")
        self.kind = kind
        self.ops = ops
        #: Every row read (archived ones too); None until the first answer.
        self._rows: list[Any] | None = None
        #: A record saved here, to select once the rows holding it arrive.
        self._select_next: int | None = None
        may_edit = ops.actor.can(Permission.EDIT_RECORDS)

        self.model: RowsModel[Any] = RowsModel(kind.columns, self)
        self.table = columns_table(self.model, kind.columns)
        self.table.setObjectName(f"{kind.key}Table")
        if may_edit:
            self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.search = QLineEdit()
        self.search.setPlaceholderText(f"Search {kind.title.lower()}")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(240)
        self.search.textChanged.connect(self._filter)
        self.show_archived = QCheckBox("Show archived")
        shown(self.show_archived, kind.archiving is not None)
        self.show_archived.toggled.connect(self._filter)
        self.count = label(role="muted")

        self.new_button = button(f"New {kind.noun}", "primary", self.new_record)
        shown(self.new_button, may_edit and kind.can_create)
        self.edit_button = button("Edit…", "secondary", self.edit_selected)
        # Read-only roles see the list (and export it); the editors are HR's.
        shown(self.edit_button, may_edit)
        self.archive_button = button("Archive", "secondary", self.toggle_archive)
        shown(self.archive_button, may_edit and kind.archiving is not None)
        self.export_button = button("Export CSV…", "secondary", self.export_csv)
        shown(self.export_button, kind.export_entity is not None)

        self.empty = label(kind.empty_text, "empty", wrap=True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading = label(LOADING, "empty")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty)
        self.body.addWidget(self.loading)

        top = QHBoxLayout()
        top.addWidget(label(kind.title, "title"))
        top.addSpacing(10)
        top.addWidget(self.count, 0, Qt.AlignmentFlag.AlignBottom)
        top.addStretch(1)
        top.addWidget(self.search)
        self.button_row = actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.new_button)
        actions.addWidget(self.edit_button)
        actions.addWidget(self.archive_button)
        actions.addStretch(1)
        actions.addWidget(self.show_archived)
        actions.addSpacing(12)
        actions.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        if compact:
            layout.setContentsMargins(0, 0, 0, 0)
            layout.setSpacing(8)
            for widget in (self.show_archived, self.export_button, self.archive_button):
                widget.hide()
        else:
            layout.setContentsMargins(PAGE_MARGIN, 20, PAGE_MARGIN, 20)
            layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.body, 1)
        self._filter()
        self.follow(ops, kind.shows)
        self.refresh()

    # -- rows --------------------------------------------------------------------

    def load(self) -> None:
        """Read the rows on the worker; until they arrive the previous ones stay."""
        self.ops.read(self, self.kind.load, self.ops.today(), done=self._show_rows, latest="rows")

    def _show_rows(self, rows: Sequence[Any]) -> None:
        keep = self.selected_id()
        self._rows = list(rows)
        self._filter()
        if self._select_next is not None and self._select_saved(self._select_next):
            self._select_next = None
        elif keep is not None:
            self.select(keep)
        self.loaded.emit()

    def records(self) -> list[Any] | None:
        """Every row read, archived ones too; None until the first answer."""
        return None if self._rows is None else list(self._rows)

    def _filter(self) -> None:
        if self._rows is None:
            self.body.setCurrentWidget(self.loading)
            self.count.setText("")
            self._update_buttons()
            return
        needle = fold(self.search.text().strip())
        archived = self.show_archived.isChecked()
        listed = [
            row
            for row in self._rows
            if (archived or not self.kind.archived(row))
            and (not needle or needle in fold(self.kind.search_text(row)))
        ]
        self.model.set_rows(listed)
        total = len(self._rows)
        self.body.setCurrentWidget(self.table if total else self.empty)
        noun = self.kind.title.lower()
        self.count.setText(
            f"{len(listed)} of {total} {noun}" if len(listed) != total else f"{total} {noun}"
        )
        self._update_buttons()

    def rows(self) -> list[Any]:
        return [self.model.row_at(r) for r in range(self.model.rowCount())]

    def selected_row(self) -> Any | None:
        picked = self.table.selectionModel().selectedRows()
        return self.model.row_at(picked[0].row()) if picked else None

    def selected_id(self) -> int | None:
        row = self.selected_row()
        return None if row is None else self.kind.row_id(row)

    def select(self, record_id: int) -> bool:
        for r in range(self.model.rowCount()):
            if self.kind.row_id(self.model.row_at(r)) == record_id:
                self.table.selectRow(r)
                self.table.scrollTo(self.model.index(r, 0))
                return True
        return False

    def _update_buttons(self, *_args: object) -> None:
        row = self.selected_row()
        self.edit_button.setEnabled(row is not None)
        self.archive_button.setEnabled(row is not None)
        archived = row is not None and self.kind.archived(row)
        self.archive_button.setText("Restore" if archived else "Archive")

    # -- actions -----------------------------------------------------------------

    def new_record(self) -> None:
        """Open the editor on a new record; once saved, the new row is selected when
        the rows read again hold it (the search is cleared when it would hide it)."""
        self.kind.edit(self, self.ops, None, self._created)

    def _created(self, result: Any) -> None:
        record_id = saved_id(result)
        if record_id is not None and not self._select_saved(record_id):
            self._select_next = record_id

    def _select_saved(self, record_id: int) -> bool:
        """Select a record just saved, if the rows read hold it."""
        if record_id not in {self.kind.row_id(r) for r in self._rows or ()}:
            return False
        if not self.select(record_id):
            self.search.clear()
            self.select(record_id)
        return True

    def edit_selected(self) -> None:
        record_id = self.selected_id()
        if record_id is not None:
            self.kind.edit(self, self.ops, record_id, already_announced)

    def toggle_archive(self) -> None:
        row = self.selected_row()
        archiving = self.kind.archiving
        if row is None or archiving is None:
            return
        action = archiving.restore if self.kind.archived(row) else archiving.archive
        self.ops.write(
            self,
            action,
            self.kind.row_id(row),
            today=self.ops.today(),
            changes=archiving.changes,
            done=self._archived,
            failed=self.ops.expected(self, self._refused),
        )

    def _archived(self, notes: list[str]) -> None:
        if notes:
            QMessageBox.information(self, self.kind.title, "\n".join(map(_sentence, notes)))

    def _refused(self, exc: BaseException) -> None:
        QMessageBox.warning(self, self.kind.title, _sentence(str(exc)))

    def export_csv(self) -> None:
        """Ask where, then write the list as the CSV the command line writes."""
        entity = self.kind.export_entity
        if entity is not None:
            title = f"Export {self.kind.title.lower()}"
            export_entity(self, self.ops, entity, title, done=self.exported.emit)


def export_entity(
    parent: QWidget,
    ops: Ops,
    entity: str,
    title: str,
    path: Path | None = None,
    *,
    done: Callable[[str], None],
) -> None:
    """Write ``entity`` as CSV (asking where unless ``path`` is given), masked for the
    acting user like ``internhost export``, on the database worker; ``done`` gets a
    sentence for the status bar. A file that cannot be written is a message box."""
    if path is None:
        name, _ = QFileDialog.getSaveFileName(parent, title, f"{entity}.csv", "CSV files (*.csv)")
        if not name:
            return
        path = Path(name)

    def refused(exc: BaseException) -> None:
        QMessageBox.warning(parent, title, f"The file could not be written: {exc}")

    ops.call(
        parent,
        _write_export,
        ops.database,
        entity,
        path,
        label=f"Exporting {entity}…",
        done=done,
        failed=ops.expected(parent, refused, OSError, DomainError),
    )


def _write_export(database: Database, entity: str, path: Path) -> str:
    """On the worker: the export written whole, or nothing left behind."""
    from internhost.core.fileio.exporting import atomic_text_file
    from internhost.core.services.exports import write_export

    with atomic_text_file(path, database.path) as stream:
        count = database.read(write_export, entity, "csv", stream)
    return f"Exported {count} rows to {path}"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def already_announced(_result: Any) -> None:
    """After an edit: nothing to do here, every list showing the record reads it again
    when the save announces its kind (``gui.ops``)."""
