"""The mentor's draft reference letter for one of an intern's placements: the text
saved with the placement, or the starting draft the form text fills in from it
(``forms.reference_letter``), in a plain-text editor.

Saving keeps the text with the placement (``forms.save_reference_letter``: HR, or a
mentor of the intern; audited) through ``ops.write``, announcing the placement; the
``reference-letter`` form then prints it word for word. An empty text goes back to
the starting draft, and "Start again from the draft" puts the draft in the editor.
The Progress tab shows the button only to those the service lets write
(``ProgressOverview.may``: "reference_letter"); a refusal that still comes (the
role changed meanwhile) is said in the banner. Like every editing dialog it asks
before losing unsaved edits, also before switching to another placement.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from internhost.core.dto_forms import ReferenceLetter
from internhost.core.dto_progress import ProgressOverview
from internhost.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from internhost.core.services import forms
from internhost.gui.dialogs.base import BaseDialog, confirm_discard
from internhost.gui.dialogs.record import refusal
from internhost.gui.ops import Ops
from internhost.gui.views.progress_tab import placement_choices
from internhost.gui.widgets import fields as f
from internhost.gui.widgets.basics import label

#: The letter is kept on the placement.
CHANGES = frozenset({"placement"})
SAVED_TEXT = "Saved with the placement: the Reference letter form prints this text word for word."
DRAFT_TEXT = (
    "Not saved yet: this is the starting draft, filled in from the placement. "
    "Edit it and save to keep it."
)


class LetterInput(f.FieldWidget):
    """A letter's plain text: a tall editor, and how much of the room it uses."""

    def __init__(self) -> None:
        super().__init__()
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.edit = QPlainTextEdit()
        self.edit.setObjectName("letterText")
        self.edit.setTabChangesFocus(True)
        self.edit.setMinimumHeight(self.edit.fontMetrics().height() * 16)
        self.edit.setPlaceholderText("Empty: saving puts back the starting draft.")
        self.count = label(role="muted")
        self.count.setObjectName("letterCount")
        self.edit.textChanged.connect(self._typed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.count)
        self._typed()

    def _typed(self) -> None:
        used = len(self.edit.toPlainText())
        self.count.setText(f"{used:,} of {forms.LETTER_MAX:,} characters")
        self.changed.emit()

    def value(self) -> str:
        return self.edit.toPlainText()

    def state(self) -> str:
        return self.value().strip()

    def set_value(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))

    def editor(self) -> QWidget:
        return self.edit


class ReferenceLetterDialog(BaseDialog):
    """The letter of one placement at a time (a choice when the intern has several)."""

    def __init__(
        self,
        ops: Ops,
        letter: ReferenceLetter,
        choices: Sequence[tuple[int, str]],
        intern_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.today = ops.today()
        self.letter = letter
        self.result_value: ReferenceLetter | None = None
        self._busy = False
        self.setWindowTitle("Reference letter")
        self.setObjectName("referenceLetterDialog")

        self.placement = QComboBox()
        self.placement.setObjectName("placementChoice")
        for placement_id, text in choices:
            self.placement.addItem(text, placement_id)
        self.placement.setCurrentIndex(max(self.placement.findData(letter.placement_id), 0))
        self.placement.currentIndexChanged.connect(self._placement_chosen)
        self.status = label(role="muted", wrap=True)
        self.status.setObjectName("letterStatus")
        self.banner = label(role="error", wrap=True)
        self.banner.setObjectName("banner")
        self.banner.hide()
        self.form = f.FieldForm(
            [
                f.Field(
                    "text",
                    "Letter",
                    LetterInput,
                    help="Plain text: a blank line starts a new paragraph. The date, "
                    "greeting, closing and your signature line are added when printed.",
                )
            ]
        )
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.redraft = QPushButton("Start again from the draft")
        self.redraft.setObjectName("redraft")
        self.redraft.setAutoDefault(False)
        self.redraft.clicked.connect(self.start_again)
        self.buttons.addButton(self.redraft, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.form.changed.connect(self._update)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(10)
        layout.addWidget(label(f"Reference letter for {intern_name}", "heading"))
        row = QHBoxLayout()
        row.addWidget(label("Placement"))
        row.addWidget(self.placement, 1)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.banner)
        layout.addWidget(self.form, 1)
        layout.addWidget(self.buttons)
        self.resize(760, 640)
        self._show_letter(letter)

    # -- showing ----------------------------------------------------------------------

    def _show_letter(self, letter: ReferenceLetter) -> None:
        self.letter = letter
        self.form.set_values({"text": letter.text})
        self.status.setText(SAVED_TEXT if letter.saved else DRAFT_TEXT)
        if self.isVisible():
            self.mark_clean()
        self._set_busy(False)

    def _update(self) -> None:
        text = self.form.input("text").value()
        self.redraft.setEnabled(not self._busy and text.strip() != self.letter.draft.strip())

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not busy)
        self.form.setEnabled(not busy)
        self.placement.setEnabled(not busy and self.placement.count() > 1)
        self._update()

    def show_banner(self, text: str) -> None:
        self.banner.setText(text[:1].upper() + text[1:])
        self.banner.show()

    # -- another placement ------------------------------------------------------------

    def _show_placement(self, placement_id: int) -> None:
        """Show ``placement_id`` as the one chosen, without reading it again."""
        self.placement.blockSignals(True)
        self.placement.setCurrentIndex(max(self.placement.findData(placement_id), 0))
        self.placement.blockSignals(False)

    def _placement_chosen(self) -> None:
        chosen = self.placement.currentData()
        if chosen == self.letter.placement_id:
            return
        if self.is_dirty() and not confirm_discard(self, "this letter"):
            self._show_placement(self.letter.placement_id)
            return
        self.banner.hide()
        self._set_busy(True)
        self.ops.read(
            self,
            forms.reference_letter,
            chosen,
            today=self.today,
            done=self._show_letter,
            failed=self._refused,
            latest="letter",
        )

    # -- editing and saving -----------------------------------------------------------

    def start_again(self) -> None:
        """Put the starting draft back in the editor (saved only when the user saves)."""
        self.form.set_values({"text": self.letter.draft})

    def accept(self) -> None:
        if self._busy:
            return
        self.banner.hide()
        self.form.clear_errors()
        self._set_busy(True)
        self.ops.write(
            self,
            forms.save_reference_letter,
            self.letter.placement_id,
            self.form.input("text").value(),
            today=self.today,
            changes=CHANGES,
            done=self._saved,
            failed=self._refused,
        )

    def _saved(self, letter: ReferenceLetter) -> None:
        self._set_busy(False)
        self.letter = self.result_value = letter
        QDialog.accept(self)

    def _refused(self, exc: BaseException) -> None:
        self._set_busy(False)
        self._show_placement(self.letter.placement_id)  # a refused switch stays put
        if isinstance(exc, ValidationError):
            elsewhere = self.form.show_errors(exc.errors)
            if elsewhere:
                self.show_banner("\n".join(f.human(e) for e in elsewhere))
        elif isinstance(exc, PermissionDenied | NotFound | Conflict):
            self.show_banner(str(exc))
        else:
            self.ops.tell(self, exc)

    def reject(self) -> None:
        if not self._busy:  # a write under way cannot be called back
            super().reject()

    def run(self) -> ReferenceLetter | None:
        return self.result_value if self.exec() == QDialog.DialogCode.Accepted else None


def letter_placement(data: ProgressOverview) -> int | None:
    """The placement whose letter opens first: the last completed, else the newest."""
    completed = [o.placement_id for o in data.outcomes if o.kind == "completed"]
    if completed:
        return completed[-1]
    return data.placements[-1].id if data.placements else None


def open_reference_letter(
    parent: QWidget, ops: Ops, data: ProgressOverview, intern_name: str
) -> None:
    """Read the letter of the placement ``letter_placement`` picks (on the worker),
    then open the editor on it."""
    placement_id = letter_placement(data)
    if placement_id is None:
        return

    def show(letter: ReferenceLetter) -> None:
        dialog = ReferenceLetterDialog(ops, letter, placement_choices(data), intern_name, parent)
        try:
            dialog.run()
        finally:
            dialog.deleteLater()

    ops.read(
        parent,
        forms.reference_letter,
        placement_id,
        today=ops.today(),
        done=show,
        failed=refusal(parent, ops, "Reference letter"),
        label="Opening the reference letter…",
    )
