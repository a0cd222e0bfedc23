"""Step 2: each header of the file, a few of its values, and the column it imports as.

The core proposed each column (aliases, then mappings remembered from earlier
imports); the user's changes go to the import as ``mappings`` and are remembered
when it commits. One header per column: choosing a column a header already fills
lets that header go, and says so beside it. Nothing here reads the database.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from internhost.core.importers import preview
from internhost.core.importers.mapping import ColumnSpec
from internhost.core.importers.preview import FilePreview, HeaderGuess
from internhost.core.importers.roster import SPEC
from internhost.gui.dialogs.import_roster.wording import short
from internhost.gui.models.import_preview_model import COLUMN_LABELS, column_label
from internhost.gui.widgets.basics import Card, label

IGNORE = "— ignore —"
#: Why the mapping step proposes what it does, by ``HeaderGuess.source``.
SOURCE_NOTES = {
    preview.NAME: "matched by name",
    preview.ALIAS: "a usual name for this column",
    preview.REMEMBERED: "remembered from an earlier import",
    preview.EXPECTED: "an export's own column; not imported",
    preview.UNKNOWN: "choose the column it holds, or leave it ignored",
    preview.BLANK: "no header; ignored",
}


class ColumnsStep(QWidget):
    """The file's headers and the column chosen for each (``choices``, in header order)."""

    #: A choice changed (the dry run, if any, no longer matches).
    changed = Signal()

    def __init__(
        self, parent: QWidget | None = None, *, spec: ColumnSpec = SPEC, noun: str = "roster"
    ) -> None:
        super().__init__(parent)
        self.spec, self.noun = spec, noun
        self.file: FilePreview | None = None
        self.choices: list[str | None] = []
        self.default_school = False
        self.combos: list[QComboBox] = []
        self.notes: list[QLabel] = []
        self.flags: list[QLabel] = []
        self._taken_by: dict[int, str] = {}  # header index -> header that took its column
        self._build()

    def _build(self) -> None:
        intro = label(
            "Each column of the file, a few of its values, and what it imports as. Change "
            f"any that are wrong; your changes are remembered for the next {self.noun}.",
            "muted",
            wrap=True,
        )
        self.missing_label = label(role="error", wrap=True)
        self.error = label(role="error", wrap=True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.grid = self._new_grid()
        card = Card(margins=1)
        card.body.addWidget(self.area)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addWidget(self.missing_label)
        layout.addWidget(self.error)
        layout.addWidget(card, 1)

    # -- what the frame asks -----------------------------------------------------------

    def set_file(self, file: FilePreview | None) -> None:
        """Show ``file``'s headers with the columns the core proposed for them."""
        self.file = file
        self.choices = file.proposed() if file is not None else []
        self._fill()

    def set_default_school(self, chosen: bool) -> None:
        """Whether the file step chose a default school (then School is not required)."""
        self.default_school = chosen
        self.update_missing()

    def missing(self) -> tuple[str, ...]:
        """The required columns no header is chosen for."""
        if self.file is None:
            return preview.missing_columns((), default_school=True, spec=self.spec)
        return preview.missing_columns(
            self.choices, default_school=self.default_school, spec=self.spec
        )

    def prepared(self) -> preview.Prepared:
        """The choices as ``import_roster`` takes them; ``ImportRefused`` when they
        cannot be (two headers for one column)."""
        assert self.file is not None
        return preview.apply_choices(self.file, self.choices, self.spec)

    def set_choice(self, header: str, column: str | None) -> None:
        """Choose what the (first) header named ``header`` imports as (for tests and
        keyboard-free use); None ignores it."""
        assert self.file is not None
        index = next(h.index for h in self.file.headers if h.header == header)
        combo = self.combos[index]
        combo.setCurrentIndex(combo.findData(column))

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    # -- the grid ------------------------------------------------------------------------

    def _new_grid(self) -> QGridLayout:
        """An empty grid on a new page of the scroll area (the old page, with every
        widget of the last file's rows, is deleted)."""
        body = QWidget()
        grid = QGridLayout(body)
        grid.setContentsMargins(16, 12, 16, 12)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(8)
        self.area.setWidget(body)
        return grid

    def _fill(self) -> None:
        self.grid = grid = self._new_grid()
        self.combos, self.notes, self.flags = [], [], []
        self._taken_by = {}
        if self.file is None:
            return
        for col, text in enumerate(("Column in the file", "Sample values", "Imports as")):
            heading = label(text, "muted")
            heading.setStyleSheet("font-weight: 600;")
            grid.addWidget(heading, 0, col)
        for guess in self.file.headers:
            self._add_row(guess)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 0)
        grid.setRowStretch(len(self.file.headers) + 1, 1)
        self._update_notes()

    def _add_row(self, guess: HeaderGuess) -> None:
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
            "   ·   ".join(short(s) for s in guess.samples) or "(empty)", "muted", wrap=True
        )
        samples.setToolTip("\n".join(guess.samples))
        combo = _column_combo(self.spec)
        combo.setCurrentIndex(max(combo.findData(self.choices[guess.index]), 0))
        combo.currentIndexChanged.connect(lambda _i, index=guess.index: self._chosen(index))
        self.grid.addLayout(cell, row, 0)
        self.grid.addWidget(samples, row, 1)
        self.grid.addWidget(combo, row, 2, Qt.AlignmentFlag.AlignTop)
        self.combos.append(combo)
        self.notes.append(note)
        self.flags.append(flag)

    def _chosen(self, index: int) -> None:
        column = self.combos[index].currentData()
        self.choices[index] = column
        self._taken_by.pop(index, None)
        if column is not None:  # one header per column: the other one lets go
            assert self.file is not None
            for other, chosen in enumerate(self.choices):
                if other != index and chosen == column:
                    self.choices[other] = None
                    self._taken_by[other] = self.file.headers[index].header
                    combo = self.combos[other]
                    combo.blockSignals(True)
                    combo.setCurrentIndex(0)
                    combo.blockSignals(False)
        self._update_notes()
        self.update_missing()
        self.changed.emit()

    def _note(self, guess: HeaderGuess) -> tuple[str, str]:
        """The line under a header, and a badge beside it when it wants a look."""
        chosen = self.choices[guess.index]
        if guess.index in self._taken_by:
            taken = self._taken_by[guess.index]
            return f"ignored: “{taken}” now imports as its column", "Changed"
        if chosen != guess.column:
            if chosen is None:
                return "ignored, as you chose", ""
            return f"your choice, remembered for the next {self.noun} when you import", ""
        if guess.source == preview.DUPLICATE:
            also = column_label(guess.also)
            return f"also means {also}, which an earlier column fills; ignored", "Duplicate"
        flag = "Not recognised" if guess.source == preview.UNKNOWN else ""
        return SOURCE_NOTES.get(guess.source, ""), flag

    def _update_notes(self) -> None:
        if self.file is None:
            return
        for guess, note, flag in zip(self.file.headers, self.notes, self.flags, strict=True):
            text, badge = self._note(guess)
            note.setText(text)
            flag.setText(badge)
            flag.setVisible(bool(badge))

    def update_missing(self) -> None:
        """Name the required columns not chosen yet (hidden when none is)."""
        missing = self.missing()
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
        self.error.hide()


def _column_combo(spec: ColumnSpec) -> QComboBox:
    combo = QComboBox()
    combo.addItem(IGNORE, None)
    required = set(spec.required) - {"school"}  # a roster may default the school
    for column in spec.columns:
        text = COLUMN_LABELS.get(column, column)
        combo.addItem(f"{text} (required)" if column in required else text, column)
        combo.setItemData(combo.count() - 1, column, Qt.ItemDataRole.ToolTipRole)
    combo.setMinimumWidth(230)
    combo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return combo
