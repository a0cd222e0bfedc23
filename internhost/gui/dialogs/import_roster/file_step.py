"""Step 1: the file, and the options (for a roster, a default school for rows
without one, and whether to update interns on record).

The schools on record and the file itself are read on the database worker
(``ops.read``): the file is streamed there as the command line streams it, never
held whole, and comes back as the core's ``FilePreview`` (its headers with their
proposed columns, its row count and digest). A file the core refuses (unreadable,
over the size limit, a workbook) is said here, under the file, never raised.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QDir, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from internhost.core.importers import preview
from internhost.core.importers.preview import FilePreview
from internhost.core.importers.result import ImportRefused
from internhost.gui.dialogs.import_roster.kinds import ROSTER, ImportKind
from internhost.gui.dialogs.import_roster.wording import file_issues, message, plural
from internhost.gui.dialogs.import_roster.work import Options
from internhost.gui.ops import Ops
from internhost.gui.settings import UiSettings
from internhost.gui.theme import set_role
from internhost.gui.widgets.basics import Card, button, label

#: QSettings key of the folder the last roster was chosen from (other kinds: their own).
FOLDER_KEY = "import_roster/folder"
FILE_FILTER = "CSV files (*.csv *.txt *.tsv);;All files (*)"
FROM_FILE = "From the file's School column"
T = TypeVar("T")
DELIMITER_WORDS = {",": "comma-separated", ";": "semicolon-separated", "\t": "tab-separated"}
ENCODING_WORDS = {"utf-8": "UTF-8", "windows-1252": "Windows-1252", "utf-16": "UTF-16"}


class FileStep(QWidget):
    """The file and the options; ``file`` is the read file, None until one is."""

    #: The file, the options or what is being read changed (the frame's buttons).
    changed = Signal()

    def __init__(
        self,
        ops: Ops,
        settings: UiSettings,
        parent: QWidget | None = None,
        *,
        kind: ImportKind = ROSTER,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.settings = settings
        self.kind = kind
        self.folder_key = FOLDER_KEY if kind is ROSTER else f"{kind.key}/folder"
        self.path: Path | None = None
        self.file: FilePreview | None = None
        self._reading: set[str] = set()  # what is asked of the worker and not answered
        self._build()
        self._read(
            "schools", preview.school_names, done=self._schools_loaded, failed=self._schools_failed
        )

    def _build(self) -> None:
        intro = label(self.kind.intro, "muted", wrap=True)
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("No file chosen")
        self.browse_button = button("Choose file…", "secondary", self.choose_file)
        self.browse_button.setAutoDefault(False)
        pick = QHBoxLayout()
        pick.setSpacing(8)
        pick.addWidget(self.path_edit, 1)
        pick.addWidget(self.browse_button)
        self.status = label("Choose a file to see its rows and columns.", "muted", wrap=True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        file_card = Card()
        file_card.body.setSpacing(8)
        file_card.body.addWidget(label(self.kind.noun.capitalize(), "heading"))
        file_card.body.addLayout(pick)
        file_card.body.addWidget(self.status)

        self.school_combo = QComboBox()
        self.school_combo.addItem(FROM_FILE, None)
        self.school_combo.setMinimumWidth(320)
        self.school_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.school_help = label(
            "For rows whose School cell is empty; needed when the file has no School column.",
            "muted",
            wrap=True,
        )
        school_box = QVBoxLayout()
        school_box.setSpacing(4)
        school_box.addWidget(_left(self.school_combo))
        school_box.addWidget(self.school_help)
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(4)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.addRow("Default school", school_box)

        self.update_existing = QCheckBox("Update interns already on record")
        self.skip_invalid = QCheckBox("Import the valid rows only, skipping rows with errors")
        options_card = Card()
        options_card.body.setSpacing(6)
        options_card.body.addWidget(label("Options", "heading"))
        options_card.body.addLayout(form)
        options_card.body.addSpacing(6)
        options_card.body.addWidget(self.update_existing)
        self._update_help = _indented(
            "A row naming an intern on record (same school and student ID, or same "
            "name and birth date) updates them; blank cells keep what is stored. "
            "Without this, such rows are errors."
        )
        options_card.body.addWidget(self._update_help)
        options_card.body.addWidget(self.skip_invalid)
        options_card.body.addWidget(
            _indented(
                "Without this, the import is all or nothing: one row with an error "
                "and no row is imported."
            )
        )
        for widget in (self.school_combo, self.school_help, self.update_existing):
            widget.setVisible(self.kind.school_options)
        form.setRowVisible(0, self.kind.school_options)
        self._update_help.setVisible(self.kind.school_options)
        self.school_combo.currentIndexChanged.connect(self.changed)
        self.update_existing.toggled.connect(self.changed)
        self.skip_invalid.toggled.connect(self.changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addWidget(file_card)
        layout.addWidget(options_card)
        layout.addStretch(1)

    # -- what the frame asks -----------------------------------------------------------

    @property
    def busy(self) -> bool:
        """Something is being read: the file's columns are not known yet."""
        return bool(self._reading)

    def options(self) -> Options:
        return Options(
            school=self.school_combo.currentData(),
            update_existing=self.update_existing.isChecked(),
            skip_invalid=self.skip_invalid.isChecked(),
        )

    # -- the file ----------------------------------------------------------------------

    def choose_file(self) -> None:
        folder = (
            str(self.settings.qsettings.value(self.folder_key, "", type=str)) or QDir.homePath()
        )
        title = f"Choose the {self.kind.noun}"
        name, _ = QFileDialog.getOpenFileName(self, title, folder, FILE_FILTER)
        if name:
            self.load_file(Path(name))

    def load_file(self, path: Path) -> None:
        """Read ``path`` on the worker and propose its columns (the next step's)."""
        path = Path(path)
        self.path = path
        self.path_edit.setText(str(path))
        self.path_edit.setToolTip(str(path))
        self.settings.qsettings.setValue(self.folder_key, str(path.parent))
        self.file = None
        self._say("Reading…")
        self._read(
            "file",
            preview.preview_file,
            path,
            self.kind.spec,
            done=self._file_read,
            failed=self._file_failed,
            label=f"Reading the {self.kind.noun}…",
        )

    def _file_read(self, file: FilePreview) -> None:
        self.file = file
        self._fill_schools(file.schools)
        how = ", ".join(
            (
                ENCODING_WORDS.get(file.encoding, file.encoding),
                DELIMITER_WORDS.get(file.delimiter, "delimited"),
            )
        )
        text = f"{plural(file.rows, 'row')} under {plural(len(file.headers), 'column')} ({how})."
        warnings = file_issues(file.warnings)
        self._say("\n".join([text, *warnings]))

    def _file_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ImportRefused):
            text = f"This file cannot be imported: {exc}."
        elif isinstance(exc, OSError):
            text = f"This file cannot be read: {exc.strerror or exc}."
        else:
            text = message(exc)
        self._say(text, error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        set_role(self.status, "error" if error else "muted")

    # -- the schools ---------------------------------------------------------------------

    def _schools_loaded(self, names: tuple[str, ...]) -> None:
        self._fill_schools(names)
        if self.file is None:  # the button was disabled while they loaded
            self.browse_button.setFocus()

    def _schools_failed(self, exc: BaseException) -> None:
        self.school_help.setText(f"The schools on record cannot be read: {message(exc)}")
        set_role(self.school_help, "error")

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

    # -- the worker ------------------------------------------------------------------------

    def _read(
        self,
        what: str,
        service: Callable[..., T],
        *args: Any,
        done: Callable[[T], None],
        failed: Callable[[BaseException], None],
        label: str = "",
    ) -> None:
        """``ops.read`` of ``what``: only the newest answer for it counts, and the
        browse button waits while anything is being read."""
        self._reading.add(what)
        self._update()

        def answered(result: T) -> None:
            self._reading.discard(what)
            done(result)
            self._update()

        def refused(exc: BaseException) -> None:
            self._reading.discard(what)
            failed(exc)
            self._update()

        self.ops.read(self, service, *args, done=answered, failed=refused, latest=what, label=label)

    def _update(self) -> None:
        self.browse_button.setEnabled(not self.busy)
        self.changed.emit()


def _left(widget: QWidget) -> QWidget:
    """``widget`` at its own width, on the left of a form row."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(widget)
    row.addStretch(1)
    return box


def _indented(text: str) -> QWidget:
    """Explanatory text under a check box, lined up with its text."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(24, 0, 0, 4)
    row.addWidget(label(text, "muted", wrap=True))
    return box
