"""The import dialog: the frame that moves between its four steps, for a school's
roster or a time clock's punches (``kinds``: what differs between the two).

1. **File** (``FileStep``): the CSV, a default school, the options.
2. **Columns** (``ColumnsStep``): what each header imports as.
3. **Preview** (``ReviewStep``): a dry run's verdict on every row.
4. **Result** (``ResultStep``): what the commit kept.

The frame holds the title, the Back/Next/Cancel buttons and a status line, and runs
the two pieces of work between steps on the database worker through ``gui.ops``:
the dry run (Columns → Preview) and the commit (Preview → Result), each one task
with ``steps``: the runner's progress window shows its batches of rows and a
Cancel that stops it at the next batch. The import is all or nothing in one
transaction, so a stopped import (or a failed one) keeps nothing and the dialog
stays on the preview, saying so; an import that finished before the Cancel took
effect shows its result like any other. Nothing here or in the steps touches the
database on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from internhost.core.importers.preview import FilePreview, Prepared
from internhost.core.importers.result import ImportRefused, ImportReport
from internhost.core.progress import Cancelled
from internhost.gui.dialogs.base import BaseDialog
from internhost.gui.dialogs.import_roster.columns_step import ColumnsStep
from internhost.gui.dialogs.import_roster.file_step import FileStep
from internhost.gui.dialogs.import_roster.kinds import ROSTER, ImportKind
from internhost.gui.dialogs.import_roster.result_step import ResultStep
from internhost.gui.dialogs.import_roster.review_step import ReviewStep
from internhost.gui.dialogs.import_roster.wording import importing, message, plural
from internhost.gui.dialogs.import_roster.work import Options, run_import
from internhost.gui.ops import Ops
from internhost.gui.settings import UiSettings
from internhost.gui.theme import set_role
from internhost.gui.widgets.basics import button, label

SETTINGS_KEY = "import_roster"
DEFAULT_WIDTH, DEFAULT_HEIGHT = 1040, 700
CHECK_STOPPED = "You stopped the check; nothing was written."
IMPORT_STOPPED = "You stopped the import, so nothing was imported; Import runs it again."


class Step(IntEnum):
    FILE = 0
    COLUMNS = 1
    PREVIEW = 2
    RESULT = 3


#: Each step's place in the trail at the top, and its title.
STEPS = {
    Step.FILE: ("1  File", "Choose the roster file"),
    Step.COLUMNS: ("2  Columns", "Match the columns"),
    Step.PREVIEW: ("3  Preview", "Check the rows"),
    Step.RESULT: ("4  Result", "Import finished"),
}


class ImportRosterDialog(BaseDialog):
    """An import, step by step; ``ask`` runs it and returns the commit's report.
    ``kind``: the roster (by default) or the time clock's file (``kinds.HOURS``)."""

    imported = Signal(object)
    """The commit finished: its ``ImportReport``."""

    def __init__(
        self,
        ops: Ops,
        parent: QWidget | None = None,
        *,
        settings: UiSettings | None = None,
        kind: ImportKind = ROSTER,
    ) -> None:
        ui_settings = settings if settings is not None else UiSettings()
        self.kind = kind  # before the base restores the geometry kept under its key
        super().__init__(parent, settings=ui_settings)
        self.ops = ops
        self.prepared: Prepared | None = None
        self.dry_run: ImportReport | None = None
        self.report: ImportReport | None = None
        self._working = False  # the dry run or the commit is on the worker
        self._committing = False

        self.setWindowTitle(kind.title)
        self.setModal(True)
        self.setSizeGripEnabled(True)
        self.file_step = FileStep(ops, ui_settings, kind=kind)
        self.columns_step = ColumnsStep(spec=kind.spec, noun=kind.noun)
        self.review_step = ReviewStep()
        self.result_step = ResultStep(kind=kind)
        self._build()
        self.file_step.changed.connect(self._update_buttons)
        self.columns_step.changed.connect(self._choices_changed)
        self.resize(DEFAULT_WIDTH, DEFAULT_HEIGHT)  # until the user's size is restored
        self._show_step(Step.FILE)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        ops: Ops,
        *,
        settings: UiSettings | None = None,
        kind: ImportKind = ROSTER,
    ) -> ImportReport | None:
        """Run the import dialog; the commit's report, or None if nothing was imported
        because the user cancelled before Import. An answer still on its way when
        the dialog closes is dropped (``ops`` delivers none to a deleted widget)."""
        dialog = cls(ops, parent, settings=settings, kind=kind)
        try:
            dialog.exec()
            return dialog.report
        finally:
            dialog.deleteLater()

    def _build(self) -> None:
        self.stack = QStackedWidget()
        for step in (self.file_step, self.columns_step, self.review_step, self.result_step):
            self.stack.addWidget(step)
        self.trail = label(role="muted")
        self.title = label(role="title")

        self.status = label(role="muted", wrap=True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setFixedSize(90, 6)
        self.busy_bar.hide()
        self.back_button = _button("Back", "secondary", self.go_back)
        self.next_button = _button("Next", "primary", self.go_next)
        self.cancel_button = _button("Cancel", "secondary", self.reject)
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
        head.addWidget(self.trail)
        head.addWidget(self.title)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 16)
        layout.setSpacing(14)
        layout.addLayout(head)
        layout.addWidget(self.stack, 1)
        layout.addLayout(footer)

    # -- what the steps hold -------------------------------------------------------------

    @property
    def step(self) -> Step:
        return Step(self.stack.currentIndex())

    @property
    def path(self) -> Path | None:
        return self.file_step.path

    @property
    def file(self) -> FilePreview | None:
        return self.file_step.file

    @property
    def options(self) -> Options:
        return self.file_step.options()

    @property
    def choices(self) -> list[str | None]:
        return self.columns_step.choices

    @property
    def busy(self) -> bool:
        """Waiting for the worker: reading the file or the schools, checking, importing."""
        return self._working or self.file_step.busy

    def load_file(self, path: Path) -> None:
        """Read ``path`` and propose its columns (as choosing it does)."""
        self.file_step.load_file(path)

    def set_choice(self, header: str, column: str | None) -> None:
        """Choose what the header ``header`` imports as; None ignores it."""
        self.columns_step.set_choice(header, column)

    # -- moving between the steps --------------------------------------------------------

    def _show_step(self, step: Step) -> None:
        self.stack.setCurrentIndex(step)
        self.trail.setText(
            "   ›   ".join(
                f"<b>{crumb}</b>" if s == step else crumb for s, (crumb, _) in STEPS.items()
            )
        )
        title = STEPS[step][1]
        self.title.setText(f"Choose the {self.kind.noun}" if step == Step.FILE else title)
        self._set_status("")
        self._update_buttons()

    def go_next(self) -> None:
        if self.busy:
            return
        if self.step == Step.FILE and self.file is not None:
            if self.columns_step.file is not self.file:  # a new file: its own columns
                self.columns_step.set_file(self.file)
                self.dry_run = None
            self.columns_step.set_default_school(self.options.school is not None)
            self._show_step(Step.COLUMNS)
        elif self.step == Step.COLUMNS and not self.columns_step.missing():
            self.check_rows()
        elif self.step == Step.PREVIEW and self.review_step.blocked() is None:
            self.commit()

    def go_back(self) -> None:
        if self.busy:
            return
        if self.step == Step.PREVIEW:
            self._show_step(Step.COLUMNS)
            self.columns_step.update_missing()
        elif self.step == Step.COLUMNS:
            self._show_step(Step.FILE)

    def _update_buttons(self) -> None:
        step, busy = self.step, self.busy
        done = step == Step.RESULT
        self.back_button.setVisible(step in (Step.COLUMNS, Step.PREVIEW))
        self.back_button.setEnabled(not busy)
        self.next_button.setVisible(not done)
        self.cancel_button.setText("Close" if done else "Cancel")
        if self.cancel_button.property("role") != ("primary" if done else "secondary"):
            set_role(self.cancel_button, "primary" if done else "secondary")
        self.cancel_button.setEnabled(not self._committing)
        if step == Step.FILE:
            self.next_button.setText("Next")
            self.next_button.setEnabled(not busy and self.file is not None)
        elif step == Step.COLUMNS:
            self.next_button.setText("Check the rows")
            self.next_button.setEnabled(not busy and not self.columns_step.missing())
        elif step == Step.PREVIEW:
            count = self.dry_run.would_import if self.dry_run is not None else 0
            self.next_button.setText(f"Import {plural(count, 'row')}" if count else "Import")
            self.next_button.setEnabled(not busy and self.review_step.blocked() is None)
        if done:
            self.cancel_button.setDefault(True)

    def _choices_changed(self) -> None:
        self.dry_run = None
        self._update_buttons()

    # -- the dry run and the commit, on the worker --------------------------------------

    def check_rows(self) -> None:
        """Dry-run the file with the chosen columns (nothing written); the preview
        shows its report."""
        assert self.file is not None
        try:
            self.prepared = self.columns_step.prepared()
        except ImportRefused as exc:
            self._check_failed(exc)
            return
        self.columns_step.error.hide()
        work = f"Checking {plural(self.file.rows, 'row')}…"
        self._run(work, dry_run=True, done=self._checked, failed=self._check_failed)

    def _checked(self, report: ImportReport) -> None:
        self.dry_run = report
        self.review_step.show_report(report, skip_invalid=self.options.skip_invalid)
        self._show_step(Step.PREVIEW)

    def _check_failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            self._set_status(CHECK_STOPPED)
        else:
            self.columns_step.show_error(f"The rows cannot be checked: {message(exc)}")

    def commit(self) -> None:
        """Import for real (all or nothing, or the valid rows)."""
        assert self.dry_run is not None
        self._committing = True
        self._run(
            importing(self.dry_run), dry_run=False, done=self._committed, failed=self._commit_failed
        )

    def _committed(self, report: ImportReport) -> None:
        self._committing = False
        self.report = report
        self.result_step.show_report(report, skip_invalid=self.options.skip_invalid)
        if report.imported or report.updated:
            self.ops.announce(self.kind.changes)
        self._show_step(Step.RESULT)
        self.imported.emit(report)

    def _commit_failed(self, exc: BaseException) -> None:
        self._committing = False
        if isinstance(exc, Cancelled):
            self._set_status(IMPORT_STOPPED)
        else:
            self.review_step.show_failure(f"Nothing was imported: {message(exc)}")

    def _run(
        self,
        work: str,
        *,
        dry_run: bool,
        done: Callable[[ImportReport], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        """The import of the file as the columns step prepared it, one task with steps
        on the worker (``work`` names it in the status line and the progress window)."""
        assert self.path is not None and self.file is not None and self.prepared is not None
        self._working = True
        self._set_status(work, busy=True)
        self._update_buttons()

        def answered(callback: Callable[[Any], None]) -> Callable[[Any], None]:
            def call(value: Any) -> None:
                self._working = False
                self._set_status("")
                callback(value)
                self._update_buttons()

            return call

        self.ops.call(
            self,
            run_import,
            self.ops.database,
            self.path,
            self.file,
            self.prepared,
            self.options,
            dry_run=dry_run,
            kind=self.kind,
            label=work,
            steps=True,
            done=answered(done),
            failed=answered(failed),
        )

    def _set_status(self, text: str, *, busy: bool = False) -> None:
        self.status.setText(text)
        self.busy_bar.setVisible(busy)

    # -- closing -----------------------------------------------------------------------

    def geometry_key(self) -> str:
        return SETTINGS_KEY if self.kind is ROSTER else self.kind.key

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


def _button(text: str, role: str, slot: Callable[[], object]) -> QPushButton:
    """A footer button; Enter presses Next (the default), never the focused one."""
    widget = button(text, role, slot)
    widget.setAutoDefault(False)
    return widget
