"""Import a roster CSV: choose the file, match its columns, preview every row, import.

Four steps in one dialog over the core's import service (``import_roster``):

1. **File**: the CSV, a default school for rows without one, and the options
   (update interns on record; import the valid rows only).
2. **Columns**: each header of the file with a few of its values and the column it
   imports as, proposed by the core (aliases, then mappings remembered from earlier
   imports); the user's changes go to the import as ``mappings`` and are remembered
   when it commits.
3. **Preview**: a dry run (nothing written) listing every row with its action and
   its errors and warnings; Import stays disabled, with the reason, while rows have
   errors and the valid-rows-only option is off.
4. **Result**: what the commit imported and updated, and the rows it skipped.

Every database call runs on the runner's worker through the short functions at the
top of this module; a file the core refuses (unreadable, over the size limit, a
required column missing) is shown in the step, never raised. Nothing is written
before Import. The file is read by path, streamed as the command line streams it,
never held whole; the dry run and the commit read it again, and refuse it if it
changed since the mapping step read it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDir, QItemSelection, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from internhost.core.errors import DomainError
from internhost.core.importers import preview
from internhost.core.importers.preview import FilePreview, HeaderGuess
from internhost.core.importers.result import ImportRefused, ImportReport, Issue
from internhost.core.importers.roster import COLUMNS, REQUIRED, import_roster
from internhost.gui.database import Database
from internhost.gui.dialogs.base import BaseDialog
from internhost.gui.errors import report as describe
from internhost.gui.models.import_preview_model import (
    COLUMN_LABELS,
    ImportPreviewModel,
    column_label,
    issue_text,
)
from internhost.gui.models.import_preview_model import COLUMNS as PREVIEW_COLUMNS
from internhost.gui.settings import UiSettings
from internhost.gui.tasks import TaskRunner
from internhost.gui.theme import set_role
from internhost.gui.widgets.basics import Card, label
from internhost.gui.widgets.tables import columns_table

SETTINGS_KEY = "import_roster"
#: QSettings key of the folder the last roster was chosen from.
FOLDER_KEY = f"{SETTINGS_KEY}/folder"
FILE_FILTER = "Roster files (*.csv *.txt *.tsv);;All files (*)"
IGNORE = "— ignore —"
FROM_FILE = "From the file's School column"
#: Characters of each sample value shown in the mapping step.
SAMPLE_CHARS = 32
DEFAULT_WIDTH, DEFAULT_HEIGHT = 1040, 700
DELIMITER_WORDS = {",": "comma-separated", ";": "semicolon-separated", "\t": "tab-separated"}
ENCODING_WORDS = {"utf-8": "UTF-8", "windows-1252": "Windows-1252", "utf-16": "UTF-16"}
#: Why the mapping step proposes what it does, by ``HeaderGuess.source``.
SOURCE_NOTES = {
    preview.NAME: "matched by name",
    preview.ALIAS: "a usual name for this column",
    preview.REMEMBERED: "remembered from an earlier import",
    preview.EXPECTED: "an export's own column; not imported",
    preview.UNKNOWN: "choose the column it holds, or leave it ignored",
    preview.BLANK: "no header; ignored",
}


class Step(IntEnum):
    FILE = 0
    COLUMNS = 1
    PREVIEW = 2
    RESULT = 3


@dataclass(frozen=True)
class Options:
    """The file step's choices, as ``import_roster`` takes them."""

    school: str | None = None
    update_existing: bool = False
    skip_invalid: bool = False


# -- work on the database worker ---------------------------------------------------
# Each opens what it needs from the database and returns plain values.


def load_schools(database: Database) -> tuple[str, ...]:
    """The schools a roster can default to."""
    with database.reading() as s:
        return preview.school_names(s, database.actor)


def read_roster(database: Database, path: Path) -> FilePreview:
    """The mapping step's proposal for the file at ``path``, streamed (never held
    whole); ``ImportRefused`` (over the size limit, unreadable) or ``OSError``."""
    with database.reading() as s:
        return preview.preview_file(s, database.actor, Path(path))


def run_import(
    database: Database,
    path: Path,
    file: FilePreview,
    prepared: preview.Prepared,
    options: Options,
    *,
    dry_run: bool,
) -> ImportReport:
    """The core import of the file at ``path`` as the mapping step read it (a file
    changed since is refused): a dry run (read-only) or the all-or-nothing commit."""
    return import_roster(
        database.factory,
        database.actor,
        Path(path),
        school=options.school,
        mappings=prepared.mappings,
        ignore=prepared.ignore,
        digest=file.digest,
        dry_run=dry_run,
        skip_invalid=options.skip_invalid,
        update_existing=options.update_existing,
        today=database.today(),
    )


# -- presentation helpers ------------------------------------------------------------


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun if count == 1 else noun + 's'}"


def _short(text: str, limit: int = SAMPLE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def summary(report: ImportReport) -> str:
    """``12 rows: 10 would be imported, 2 have errors`` (a dry run)."""
    invalid = report.outcomes.count_of("invalid")
    updates = report.outcomes.count_of("update")
    unchanged = report.outcomes.count_of("unchanged")
    parts = [f"{report.would_import:,} would be imported"]
    if updates or unchanged:
        detail = [f"{report.would_import - updates - unchanged:,} new"]
        detail += [f"{updates:,} updated"] if updates else []
        detail += [f"{unchanged:,} unchanged"] if unchanged else []
        parts[0] += f" ({', '.join(detail)})"
    if invalid:
        parts.append(f"{invalid:,} {'has' if invalid == 1 else 'have'} errors")
    text = f"{_plural(report.rows, 'row')}: {', '.join(parts)}"
    if report.warnings:
        text += f"; {_plural(report.warning_count, 'warning')}"
    return text


def result_text(report: ImportReport, options: Options) -> tuple[str, str]:
    """The result step's heading and the sentence under it."""
    written = report.imported + report.updated
    done = [f"imported {_plural(report.imported, 'new intern')}"] if report.imported else []
    done += [f"updated {_plural(report.updated, 'intern')}"] if report.updated else []
    head = ", ".join(done) if written else "nothing was imported"
    head = head[0].upper() + head[1:]
    invalid = report.outcomes.count_of("invalid")
    lines = [f"{_plural(report.rows, 'row')} in the file."]
    if invalid and written:
        lines.append(
            f"{_plural(invalid, 'row')} with errors {'was' if invalid == 1 else 'were'} "
            "skipped; fix them in the file and import it again."
        )
    elif invalid:
        lines.append(
            f"{_plural(invalid, 'row')} had errors, so nothing was written"
            + ("." if options.skip_invalid else " (all rows or none).")
        )
    unchanged = report.outcomes.count_of("unchanged")
    if unchanged:
        lines.append(f"{_plural(unchanged, 'intern')} on record already matched the file.")
    if report.warnings:
        lines.append(f"{_plural(report.warning_count, 'warning')}: see the rows below.")
    return head, " ".join(lines)


def _message(exc: BaseException) -> str:
    """A domain error's own words (no traceback: it is the user's to act on), or the
    app's description of anything else."""
    if isinstance(exc, DomainError):
        return str(exc)
    return describe(exc)


def _file_issues(issues: Sequence[Issue]) -> list[str]:
    return [issue_text(i) for i in issues if i.line is None]


# -- the dialog ------------------------------------------------------------------------


class ImportRosterDialog(BaseDialog):
    """The roster import, step by step; ``ask`` runs it and returns the commit's report."""

    imported = Signal(object)
    """The commit finished: its ``ImportReport``."""

    def __init__(
        self,
        database: Database,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        settings: UiSettings | None = None,
    ) -> None:
        ui_settings = settings if settings is not None else UiSettings()
        super().__init__(parent, settings=ui_settings)
        self.settings = ui_settings
        self.database = database
        self.runner = runner
        self.path: Path | None = None
        self.file: FilePreview | None = None
        self.choices: list[str | None] = []
        self.prepared: preview.Prepared | None = None
        self.options = Options()
        self.dry_run: ImportReport | None = None
        self.report: ImportReport | None = None
        self._ticket = 0  # the newest request; older answers are stale
        self._pending = 0  # requests on the worker not answered yet
        self._busy = False
        self._committing = False
        self._closed = False
        self._taken_by: dict[int, str] = {}  # header index -> header that took its column

        self.setWindowTitle("Import a roster")
        self.setModal(True)
        self.setSizeGripEnabled(True)
        self._build()
        self.resize(DEFAULT_WIDTH, DEFAULT_HEIGHT)  # until the user's size is restored
        self._show_step(Step.FILE)
        self._submit(load_schools, self.database, on_done=self._schools_loaded)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        database: Database,
        runner: TaskRunner,
        *,
        settings: UiSettings | None = None,
    ) -> ImportReport | None:
        """Run the import dialog; the commit's report, or None if nothing was imported
        because the user cancelled before Import."""
        dialog = cls(database, runner, parent, settings=settings)
        try:
            dialog.exec()
            return dialog.report
        finally:
            dialog.release()

    # -- construction ----------------------------------------------------------------

    def _build(self) -> None:
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_file_page())
        self.stack.addWidget(self._build_columns_page())
        self.stack.addWidget(self._build_preview_page())
        self.stack.addWidget(self._build_result_page())

        self.steps = label(role="muted")
        self.title = label(role="title")

        self.status = label(role="muted", wrap=True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setFixedSize(90, 6)
        self.busy_bar.hide()
        self.back_button = _button("Back", "secondary")
        self.next_button = _button("Next", "primary")
        self.cancel_button = _button("Cancel", "secondary")
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.cancel_button.clicked.connect(self.reject)
        self.next_button.setDefault(True)

        footer = QHBoxLayout()
        footer.setSpacing(10)
        footer.addWidget(self.busy_bar, 0, Qt.AlignmentFlag.AlignVCenter)
        footer.addWidget(self.status, 1)
        footer.addSpacing(12)
        footer.addWidget(self.cancel_button)
        footer.addWidget(self.back_button)
        footer.addWidget(self.next_button)

        head = QVBoxLayout()
        head.setSpacing(2)
        head.addWidget(self.steps)
        head.addWidget(self.title)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 16)
        layout.setSpacing(14)
        layout.addLayout(head)
        layout.addWidget(self.stack, 1)
        layout.addLayout(footer)

    def _build_file_page(self) -> QWidget:
        page = QWidget()
        intro = label(
            "Choose the roster as a CSV file, saved from Excel (CSV UTF-8 or CSV) or exported "
            "from the student information system. Nothing is written until you press Import "
            "on the last step.",
            "muted",
            wrap=True,
        )
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("No file chosen")
        self.browse_button = _button("Choose file…", "secondary")
        self.browse_button.clicked.connect(self.choose_file)
        pick = QHBoxLayout()
        pick.setSpacing(8)
        pick.addWidget(self.path_edit, 1)
        pick.addWidget(self.browse_button)
        self.file_status = label("Choose a file to see its rows and columns.", "muted", wrap=True)
        self.file_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        file_card = Card()
        file_card.body.setSpacing(8)
        file_card.body.addWidget(label("Roster file", "heading"))
        file_card.body.addLayout(pick)
        file_card.body.addWidget(self.file_status)

        self.school_combo = QComboBox()
        self.school_combo.addItem(FROM_FILE, None)
        self.school_combo.setMinimumWidth(320)
        self.school_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.update_existing = QCheckBox("Update interns already on record")
        self.skip_invalid = QCheckBox("Import the valid rows only, skipping rows with errors")
        options_card = Card()
        options_card.body.setSpacing(6)
        options_card.body.addWidget(label("Options", "heading"))
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(4)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        school_help = label(
            "For rows whose School cell is empty; needed when the file has no School column.",
            "muted",
            wrap=True,
        )
        school_box = QVBoxLayout()
        school_box.setSpacing(4)
        school_box.addWidget(_left(self.school_combo))
        school_box.addWidget(school_help)
        form.addRow("Default school", school_box)
        options_card.body.addLayout(form)
        options_card.body.addSpacing(6)
        options_card.body.addWidget(self.update_existing)
        options_card.body.addWidget(
            _indented(
                label(
                    "A row naming an intern on record (same school and student ID, or same "
                    "name and birth date) updates them; blank cells keep what is stored. "
                    "Without this, such rows are errors.",
                    "muted",
                    wrap=True,
                )
            )
        )
        options_card.body.addWidget(self.skip_invalid)
        options_card.body.addWidget(
            _indented(
                label(
                    "Without this, the import is all or nothing: one row with an error "
                    "and no row is imported.",
                    "muted",
                    wrap=True,
                )
            )
        )
        self.school_combo.currentIndexChanged.connect(self._options_changed)
        self.update_existing.toggled.connect(self._options_changed)
        self.skip_invalid.toggled.connect(self._options_changed)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addWidget(file_card)
        layout.addWidget(options_card)
        layout.addStretch(1)
        return page

    def _build_columns_page(self) -> QWidget:
        page = QWidget()
        intro = label(
            "Each column of the file, a few of its values, and what it imports as. Change "
            "any that are wrong; your changes are remembered for the next roster.",
            "muted",
            wrap=True,
        )
        self.missing_label = label(role="error", wrap=True)
        self.mapping_error = label(role="error", wrap=True)
        self.mapping_error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.mapping_body = QWidget()
        self.mapping_grid = QGridLayout(self.mapping_body)
        self.mapping_grid.setContentsMargins(16, 12, 16, 12)
        self.mapping_grid.setHorizontalSpacing(18)
        self.mapping_grid.setVerticalSpacing(8)
        self.mapping_combos: list[QComboBox] = []
        self.mapping_notes: list[QLabel] = []
        self.mapping_flags: list[QLabel] = []
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.mapping_body)
        card = Card(margins=1)
        card.body.addWidget(scroll)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addWidget(self.missing_label)
        layout.addWidget(self.mapping_error)
        layout.addWidget(card, 1)
        return page

    def _build_preview_page(self) -> QWidget:
        page = QWidget()
        self.summary_label = label(role="heading", wrap=True)
        self.file_warnings = label(role="muted", wrap=True)
        self.problems_only = QCheckBox("Only rows with problems")
        self.problems_only.toggled.connect(self._filter_changed)
        self.shown_count = label(role="muted")
        tools = QHBoxLayout()
        tools.addWidget(self.problems_only)
        tools.addStretch(1)
        tools.addWidget(self.shown_count)

        self.preview_model = ImportPreviewModel(self)
        self.preview_table = _issues_table(self.preview_model)
        self.preview_table.selectionModel().selectionChanged.connect(self._row_selected)
        self.row_details = label(role="muted", wrap=True)
        self.row_details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.row_details.setMinimumHeight(self.row_details.fontMetrics().lineSpacing() * 2)
        self.import_block = label(role="error", wrap=True)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.file_warnings)
        layout.addLayout(tools)
        layout.addWidget(self.preview_table, 1)
        layout.addWidget(self.row_details)
        layout.addWidget(self.import_block)
        return page

    def _build_result_page(self) -> QWidget:
        page = QWidget()
        self.result_heading = label(role="heading", wrap=True)
        self.result_text = label(wrap=True)
        self.result_note = label(role="muted", wrap=True)
        self.result_model = ImportPreviewModel(self)
        self.result_model.set_problems_only(True)
        self.result_table = _issues_table(self.result_model)
        self.result_details = label(role="muted", wrap=True)
        self.result_details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_table.selectionModel().selectionChanged.connect(self._result_row_selected)
        self.result_empty = label("No row had a problem.", "muted")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.result_heading)
        layout.addWidget(self.result_text)
        layout.addWidget(self.result_note)
        layout.addWidget(self.result_table, 1)
        layout.addWidget(self.result_details)
        layout.addWidget(self.result_empty)
        layout.addStretch(0)
        return page

    # -- steps -------------------------------------------------------------------------

    @property
    def step(self) -> Step:
        return Step(self.stack.currentIndex())

    def _show_step(self, step: Step) -> None:
        titles = {
            Step.FILE: "Choose the roster file",
            Step.COLUMNS: "Match the columns",
            Step.PREVIEW: "Check the rows",
            Step.RESULT: "Import finished",
        }
        self.stack.setCurrentIndex(step)
        self.steps.setText(
            "   ›   ".join(
                (f"<b>{n}</b>" if s == step else n)
                for s, n in zip(
                    Step, ("1  File", "2  Columns", "3  Preview", "4  Result"), strict=True
                )
            )
        )
        self.title.setText(titles[step])
        self._set_status("")
        self._update_buttons()

    def _update_buttons(self) -> None:
        step = self.step
        busy = self._busy
        done = step == Step.RESULT
        self.back_button.setVisible(step in (Step.COLUMNS, Step.PREVIEW))
        self.back_button.setEnabled(not busy)
        self.next_button.setVisible(not done)
        self.cancel_button.setText("Close" if done else "Cancel")
        if self.cancel_button.property("role") != ("primary" if done else "secondary"):
            set_role(self.cancel_button, "primary" if done else "secondary")
        self.cancel_button.setEnabled(not self._committing)
        self.browse_button.setEnabled(not busy)
        if step == Step.FILE:
            self.next_button.setText("Next")
            self.next_button.setEnabled(not busy and self.file is not None)
        elif step == Step.COLUMNS:
            self.next_button.setText("Check the rows")
            self.next_button.setEnabled(not busy and not self._missing())
        elif step == Step.PREVIEW:
            count = self.dry_run.would_import if self.dry_run is not None else 0
            self.next_button.setText(f"Import {_plural(count, 'row')}" if count else "Import")
            self.next_button.setEnabled(not busy and self.import_blocked() is None)
        if done:
            self.cancel_button.setDefault(True)

    def go_next(self) -> None:
        if self._busy:
            return
        if self.step == Step.FILE and self.file is not None:
            self.options = self._read_options()
            self._show_step(Step.COLUMNS)
            self._update_missing()
        elif self.step == Step.COLUMNS and not self._missing():
            self.check_rows()
        elif self.step == Step.PREVIEW and self.import_blocked() is None:
            self.commit()

    def go_back(self) -> None:
        if self._busy:
            return
        if self.step == Step.PREVIEW:
            self._show_step(Step.COLUMNS)
            self._update_missing()
        elif self.step == Step.COLUMNS:
            self._show_step(Step.FILE)

    # -- step 1: the file --------------------------------------------------------------

    def choose_file(self) -> None:
        folder = self.settings.qsettings.value(FOLDER_KEY, "", type=str) or QDir.homePath()
        name, _ = QFileDialog.getOpenFileName(self, "Choose the roster", folder, FILE_FILTER)
        if name:
            self.load_file(Path(name))

    def load_file(self, path: Path) -> None:
        """Read ``path`` on the worker and propose its columns (the Next step's)."""
        path = Path(path)
        self.path = path
        self.path_edit.setText(str(path))
        self.path_edit.setToolTip(str(path))
        self.settings.qsettings.setValue(FOLDER_KEY, str(path.parent))
        self.file = self.dry_run = None
        self.choices = []
        self.file_status.setText("Reading…")
        set_role(self.file_status, "muted")
        self._submit(
            read_roster,
            self.database,
            path,
            label="Reading the roster…",
            on_done=self._file_read,
            on_error=self._file_failed,
        )

    def _file_read(self, file: FilePreview) -> None:
        self.file = file
        self.choices = self.file.proposed()
        self._fill_schools(self.file.schools)
        self._fill_mapping()
        file = self.file
        how = ", ".join(
            (
                ENCODING_WORDS.get(file.encoding, file.encoding),
                DELIMITER_WORDS.get(file.delimiter, "delimited"),
            )
        )
        text = f"{_plural(file.rows, 'row')} under {_plural(len(file.headers), 'column')} ({how})."
        warnings = _file_issues(file.warnings)
        if warnings:
            text += "\n" + "\n".join(warnings)
        self.file_status.setText(text)
        set_role(self.file_status, "muted")
        self._update_buttons()

    def _file_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ImportRefused):
            message = f"This file cannot be imported: {exc}."
        elif isinstance(exc, OSError):
            message = f"This file cannot be read: {exc.strerror or exc}."
        else:
            message = _message(exc)
        self.file_status.setText(message)
        set_role(self.file_status, "error")
        self._update_buttons()

    def _schools_loaded(self, names: tuple[str, ...]) -> None:
        self._fill_schools(names)
        self._update_buttons()
        if self.file is None:  # the button was disabled while they loaded
            self.browse_button.setFocus()

    def _fill_schools(self, names: Sequence[str]) -> None:
        current = self.school_combo.currentData()
        self.school_combo.blockSignals(True)
        self.school_combo.clear()
        self.school_combo.addItem(FROM_FILE, None)
        for name in names:
            self.school_combo.addItem(name, name)
        index = self.school_combo.findData(current) if current is not None else 0
        self.school_combo.setCurrentIndex(max(index, 0))
        self.school_combo.blockSignals(False)

    def _read_options(self) -> Options:
        return Options(
            school=self.school_combo.currentData(),
            update_existing=self.update_existing.isChecked(),
            skip_invalid=self.skip_invalid.isChecked(),
        )

    def _options_changed(self) -> None:
        self.options = self._read_options()
        self._update_buttons()

    # -- step 2: the columns -----------------------------------------------------------

    def _fill_mapping(self) -> None:
        grid = self.mapping_grid
        while grid.count():
            item = grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.mapping_combos = []
        self.mapping_notes = []
        self.mapping_flags = []
        self._taken_by = {}
        if self.file is None:
            return
        for col, text in enumerate(("Column in the file", "Sample values", "Imports as")):
            heading = label(text, "muted")
            heading.setStyleSheet("font-weight: 600;")
            grid.addWidget(heading, 0, col)
        for guess in self.file.headers:
            row = guess.index + 1
            name = label(guess.header or "(no header)")
            name.setStyleSheet("font-weight: 600;")
            name.setToolTip(guess.header)
            flag = label(role="badge")
            note = label(role="muted")
            note.setStyleSheet("font-size: 9pt;")
            top = QHBoxLayout()
            top.setSpacing(8)
            top.addWidget(name)
            top.addWidget(flag)
            top.addStretch(1)
            cell = QVBoxLayout()
            cell.setSpacing(1)
            cell.addLayout(top)
            cell.addWidget(note)
            samples = label(
                "   ·   ".join(_short(s) for s in guess.samples) or "(empty)", "muted", wrap=True
            )
            samples.setToolTip("\n".join(guess.samples))
            combo = _column_combo()
            combo.setCurrentIndex(max(combo.findData(self.choices[guess.index]), 0))
            combo.currentIndexChanged.connect(
                lambda _i, index=guess.index: self._choice_changed(index)
            )
            grid.addLayout(cell, row, 0)
            grid.addWidget(samples, row, 1)
            grid.addWidget(combo, row, 2, Qt.AlignmentFlag.AlignTop)
            self.mapping_combos.append(combo)
            self.mapping_notes.append(note)
            self.mapping_flags.append(flag)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 0)
        grid.setRowStretch(len(self.file.headers) + 1, 1)
        self._update_notes()

    def set_choice(self, header: str, column: str | None) -> None:
        """Choose what the (first) header named ``header`` imports as (for tests and
        keyboard-free use); None ignores it."""
        assert self.file is not None
        index = next(h.index for h in self.file.headers if h.header == header)
        combo = self.mapping_combos[index]
        combo.setCurrentIndex(combo.findData(column))

    def _choice_changed(self, index: int) -> None:
        column = self.mapping_combos[index].currentData()
        self.choices[index] = column
        self._taken_by.pop(index, None)
        if column is not None:  # one header per column: the other one lets go
            assert self.file is not None
            for other, chosen in enumerate(self.choices):
                if other != index and chosen == column:
                    self.choices[other] = None
                    self._taken_by[other] = self.file.headers[index].header
                    combo = self.mapping_combos[other]
                    combo.blockSignals(True)
                    combo.setCurrentIndex(0)
                    combo.blockSignals(False)
        self.dry_run = None
        self._update_notes()
        self._update_missing()

    def _note(self, guess: HeaderGuess) -> tuple[str, str]:
        """The line under a header, and a badge beside it when it wants a look."""
        chosen = self.choices[guess.index]
        if guess.index in self._taken_by:
            taken = self._taken_by[guess.index]
            return f"ignored: “{taken}” now imports as its column", "Changed"
        if chosen != guess.column:
            if chosen is None:
                return "ignored, as you chose", ""
            return "your choice, remembered for the next roster when you import", ""
        if guess.source == preview.DUPLICATE:
            also = column_label(guess.also)
            return f"also means {also}, which an earlier column fills; ignored", "Duplicate"
        flag = "Not recognised" if guess.source == preview.UNKNOWN else ""
        return SOURCE_NOTES.get(guess.source, ""), flag

    def _update_notes(self) -> None:
        if self.file is None:
            return
        rows = zip(self.file.headers, self.mapping_notes, self.mapping_flags, strict=True)
        for guess, note, flag in rows:
            text, badge = self._note(guess)
            note.setText(text)
            flag.setText(badge)
            flag.setVisible(bool(badge))

    def _missing(self) -> tuple[str, ...]:
        if self.file is None:
            return tuple(REQUIRED)
        return preview.missing_columns(self.choices, default_school=self.options.school is not None)

    def _update_missing(self) -> None:
        missing = self._missing()
        if not missing:
            self.missing_label.hide()
        else:
            names = ", ".join(COLUMN_LABELS[c] for c in missing)
            text = (
                f"Required, and no column of the file chosen for it yet: {names}. "
                "Pick the file's column for each under “Imports as”"
            )
            if "school" in missing:
                text += ", or go back and choose a default school"
            self.missing_label.setText(text + ".")
            self.missing_label.show()
        self.mapping_error.hide()
        self._update_buttons()

    # -- step 3: the preview -----------------------------------------------------------

    def check_rows(self) -> None:
        """Prepare the file for the choices and dry-run it on the worker."""
        assert self.path is not None and self.file is not None
        try:
            self.prepared = preview.apply_choices(self.file, self.choices)
        except ImportRefused as exc:
            self._mapping_failed(exc)
            return
        self.mapping_error.hide()
        self._submit(
            run_import,
            self.database,
            self.path,
            self.file,
            self.prepared,
            self.options,
            dry_run=True,
            label=f"Checking {_plural(self.file.rows, 'row')}…",
            on_done=self._checked,
            on_error=self._mapping_failed,
            status=f"Checking {_plural(self.file.rows, 'row')}…",
        )

    def _mapping_failed(self, exc: BaseException) -> None:
        message = f"The rows cannot be checked: {_message(exc)}"
        self.mapping_error.setText(message)
        self.mapping_error.show()
        self._update_buttons()

    def _checked(self, report: ImportReport) -> None:
        self.dry_run = report
        self.preview_model.set_report(report)
        self.summary_label.setText(summary(report))
        warnings = _file_issues(report.warnings)
        self.file_warnings.setText("\n".join(f"Warning: {w}" for w in warnings))
        self.file_warnings.setVisible(bool(warnings))
        self._update_shown()
        problems = any(o.line for o in report.errors + report.warnings)
        self.row_details.setText(
            "Select a row to read all of its problems." if problems else "No row has a problem."
        )
        blocked = self.import_blocked()
        invalid = report.outcomes.count_of("invalid")
        if blocked is None and invalid:
            skipped = f"{_plural(invalid, 'row')} with errors will be skipped"
            self.import_block.setText(f"{skipped}; the other rows are imported.")
            set_role(self.import_block, "muted")
        else:
            self.import_block.setText(blocked or "")
            set_role(self.import_block, "error")
        self.import_block.setVisible(bool(self.import_block.text()))
        self._show_step(Step.PREVIEW)
        if self.preview_model.rowCount():
            self.preview_table.scrollToTop()

    def import_blocked(self) -> str | None:
        """Why Import is disabled, or None when it may run."""
        report = self.dry_run
        if report is None:
            return "Check the rows first."
        if report.rows == 0:
            return "The file has no rows to import."
        invalid = report.outcomes.count_of("invalid")
        if report.errors and not self.options.skip_invalid:
            return (
                f"{_plural(invalid, 'row')} {'has' if invalid == 1 else 'have'} errors, and the "
                "import is all or nothing. Fix the file and choose it again, or go back to the "
                "first step and choose to import the valid rows only."
            )
        if report.would_import == 0:
            return "No row can be imported."
        return None

    def _filter_changed(self, on: bool) -> None:
        self.preview_model.set_problems_only(on)
        self._update_shown()

    def _update_shown(self) -> None:
        model = self.preview_model
        self.shown_count.setText(
            f"showing {model.rowCount():,} of {_plural(model.total, 'row')}"
            if model.problems_only
            else ""
        )

    def _row_selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        _show_details(self.preview_table, self.preview_model, self.row_details)

    def _result_row_selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        _show_details(self.result_table, self.result_model, self.result_details)

    # -- step 4: the commit ----------------------------------------------------------

    def commit(self) -> None:
        """Import for real (all or nothing, or the valid rows), on the worker."""
        assert self.prepared is not None and self.dry_run is not None
        self._committing = True
        self._submit(
            run_import,
            self.database,
            self.path,
            self.file,
            self.prepared,
            self.options,
            dry_run=False,
            label=f"Importing {_plural(self.dry_run.would_import, 'row')}…",
            on_done=self._committed,
            on_error=self._commit_failed,
            status=f"Importing {_plural(self.dry_run.would_import, 'row')}…",
        )

    def _committed(self, report: ImportReport) -> None:
        self._committing = False
        self.report = report
        head, text = result_text(report, self.options)
        self.result_heading.setText(head)
        self.result_text.setText(text)
        warnings = _file_issues(report.warnings)
        self.result_note.setText("\n".join(f"Warning: {w}" for w in warnings))
        self.result_note.setVisible(bool(warnings))
        self.result_model.set_report(report)
        has_rows = self.result_model.rowCount() > 0
        self.result_table.setVisible(has_rows)
        self.result_details.setVisible(has_rows)
        self.result_details.setText("Select a row to read all of its problems.")
        self.result_empty.setVisible(not has_rows)
        self._show_step(Step.RESULT)
        self.imported.emit(report)

    def _commit_failed(self, exc: BaseException) -> None:
        self._committing = False
        message = f"Nothing was imported: {_message(exc)}"
        self.import_block.setText(message)
        set_role(self.import_block, "error")
        self.import_block.show()
        self._update_buttons()

    # -- the worker --------------------------------------------------------------------

    def _submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
        label: str = "",
        status: str = "",
        **kwargs: Any,
    ) -> None:
        """Run ``fn`` on the database worker; only the newest request's answer counts,
        and none once the dialog is closed."""
        self._ticket += 1
        self._pending += 1
        ticket = self._ticket
        self._busy = True
        self._set_status(status, busy=True)
        self._update_buttons()

        def answered(result: Any) -> None:
            if self._answer(ticket):
                on_done(result)
                self._update_buttons()

        def failed(exc: BaseException) -> None:
            if not self._answer(ticket):
                return
            if on_error is not None:
                on_error(exc)
            else:
                self._set_status(_message(exc), error=True)
            self._update_buttons()

        self.runner.submit(fn, *args, label=label, on_done=answered, on_error=failed, **kwargs)

    def _answer(self, ticket: int) -> bool:
        """True when an answer is the newest request's and the dialog is open."""
        self._pending -= 1
        if self._closed:
            if not self._pending:
                self.deleteLater()
            return False
        if ticket != self._ticket:
            return False
        self._busy = False
        self._set_status("")
        return True

    def _set_status(self, text: str, *, busy: bool = False, error: bool = False) -> None:
        self.status.setText(text)
        set_role(self.status, "error" if error else "muted")
        self.busy_bar.setVisible(busy)

    @property
    def busy(self) -> bool:
        return self._busy

    # -- closing -----------------------------------------------------------------------

    def geometry_key(self) -> str:
        return SETTINGS_KEY

    def state(self) -> Any:
        """The file and the columns chosen for it: work to lose until it is imported."""
        return (self.path, tuple(self.choices), self.options)

    def is_dirty(self) -> bool:
        return self.report is None and super().is_dirty()

    def reject(self) -> None:
        if self._committing:  # the commit decides; closing now would hide its answer
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._committing:
            event.ignore()
            return
        super().closeEvent(event)

    def release(self) -> None:
        """Delete the dialog once nothing of its is still running on the worker."""
        self._closed = True
        if not self._pending:
            self.deleteLater()


# -- widgets ------------------------------------------------------------------------------


def _button(text: str, role: str) -> QPushButton:
    button = QPushButton(text)
    button.setProperty("role", role)
    button.setAutoDefault(False)
    return button


def _left(widget: QWidget) -> QWidget:
    """``widget`` at its own width, on the left of a form row."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(widget)
    row.addStretch(1)
    return box


def _indented(widget: QWidget) -> QWidget:
    """Explanatory text under a check box, lined up with its text."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(24, 0, 0, 4)
    row.addWidget(widget)
    return box


def _column_combo() -> QComboBox:
    combo = QComboBox()
    combo.addItem(IGNORE, None)
    for column in COLUMNS:
        text = COLUMN_LABELS.get(column, column)
        combo.addItem(f"{text} (required)" if column in REQUIRED else text, column)
        combo.setItemData(combo.count() - 1, column, Qt.ItemDataRole.ToolTipRole)
    combo.setMinimumWidth(230)
    combo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return combo


def _show_details(view: QTableView, model: ImportPreviewModel, target: QLabel) -> None:
    """The selected row's problems, each on its own line, in ``target``."""
    rows = view.selectionModel().selectedRows()
    if not rows:
        target.setText("")
        return
    row = model.row_at(rows[0].row())
    target.setText(f"Line {row.line}, {row.label}:\n{row.details() or 'No problems.'}")


def _issues_table(model: ImportPreviewModel) -> QTableView:
    return columns_table(model, PREVIEW_COLUMNS)
