""" "New term": copy a term's placements (and its districts' calendars) forward.

The user names the term to copy and the new term's dates; Preview asks the core
what would be copied and what skipped, and why (an archived intern, one who has
turned 18, a calendar already on record); Copy applies exactly that in one unit
of work. Each new placement gets its checklist and onboarding plan, as any other.

The guess of the term to copy, the preview and the copy run on the database worker
(``gui.ops``); the guess fills the form only if the user has not typed meanwhile.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QVBoxLayout, QWidget

from internhost.core import dto
from internhost.core.errors import DomainError, FieldError, ValidationError
from internhost.core.services import new_term
from internhost.gui.dialogs.base import BaseDialog
from internhost.gui.formatting import date_range, text_or_dash
from internhost.gui.models.columns import Column, Pill, RowsModel
from internhost.gui.ops import Ops
from internhost.gui.widgets import fields as f
from internhost.gui.widgets.basics import button, label
from internhost.gui.widgets.tables import columns_table


def term_fields() -> list[f.Field]:
    return [
        f.day("from_start", "Copy the term from"),
        f.day("from_end", "to"),
        f.day("new_start", "New term starts"),
        f.day("new_end", "New term ends"),
        f.check("copy_calendars", "Calendars", "Copy these districts' calendars to the next year"),
    ]


def _status(row: dto.NewTermPlacement) -> tuple[Pill, ...]:
    return (Pill("Copy", "success"),) if row.copy else (Pill("Skip", "muted"),)


COLUMNS = (
    Column("", lambda r: "", pills=_status, sample="Copy"),
    Column("Intern", lambda r: r.intern_name, sample="Nguyễn-Whitfield, Alexandra"),
    Column(
        "New dates", lambda r: date_range(r.start_date, r.end_date), sample="Jan 12 – May 29, 2026"
    ),
    Column("Worksite", lambda r: text_or_dash(r.worksite), sample="Main plant"),
    Column("Mentor", lambda r: text_or_dash(r.mentor), sample="Darnell Brooks"),
    Column(
        "Why, or what changes",
        lambda r: "; ".join((r.reason, *r.notes)).strip("; "),
        sample="Skipped: no placement ends in the term",
        long=True,
    ),
)


def guess_term(s: Any, actor: Any, today: date) -> dict[str, Any]:
    """The term to copy: the one under way today, else the last one that has started
    (a term planned ahead is not the one to copy from), else the first."""
    from internhost.core.services.placements import list_placements

    rows = list_placements(s, actor, include_archived=False)
    if not rows:
        return {"copy_calendars": True}
    running = [r for r in rows if r.start_date <= today <= (r.end_date or today)]
    started = [r for r in rows if r.start_date <= today]
    start = (
        max(r.start_date for r in running or started)
        if started
        else min(r.start_date for r in rows)
    )
    ends = [r.end_date for r in rows if r.start_date == start and r.end_date]
    return {
        "from_start": start,
        "from_end": max(ends) if ends else None,
        "copy_calendars": True,
    }


class NewTermDialog(BaseDialog):
    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.preview: dto.NewTermPreview | None = None
        self.result_value: dto.NewTermResult | None = None
        self._saving = False
        #: The form as it was when the preview on screen was asked for.
        self._previewed_state: Any = None
        self.setWindowTitle("New term")
        self.form = f.FieldForm(term_fields())
        self.form.set_values({"copy_calendars": True})
        self.form.changed.connect(self._stale)
        self.model: RowsModel[dto.NewTermPlacement] = RowsModel(COLUMNS, self)
        self.table = columns_table(self.model)
        self.summary = label(role="muted", wrap=True)
        self.banner = label(role="error", wrap=True)
        self.banner.hide()
        self.preview_button = button("Preview", "secondary", self.run_preview)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.copy_button = self.buttons.addButton("Copy", QDialogButtonBox.ButtonRole.AcceptRole)
        self.copy_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.preview_button)
        row.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(10)
        layout.addWidget(label("Copy a term forward", "heading"))
        layout.addWidget(
            label(
                "Placements of the interns still with you are copied to the new dates, with "
                "the same worksite and mentor; check the preview, then copy.",
                "muted",
                wrap=True,
            )
        )
        layout.addWidget(self.form)
        layout.addLayout(row)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.resize(960, 700)
        ops.read(self, guess_term, ops.today(), done=self._guessed)

    def _guessed(self, values: dict[str, Any]) -> None:
        """Fill in the term to copy, unless the user began typing meanwhile."""
        if not self.is_dirty():
            self.form.set_values(values)
            self.mark_clean()

    def _input(self) -> new_term.NewTermInput:
        values = self.form.values()
        missing = [name for name in ("from_start", "from_end", "new_start") if values[name] is None]
        if missing:
            raise ValidationError([FieldError(name, "is required") for name in missing])
        return new_term.NewTermInput(**values)

    def _stale(self) -> None:
        self.copy_button.setEnabled(False)

    def _show(self, exc: BaseException) -> None:
        errors = exc.errors if isinstance(exc, ValidationError) else []
        rest = self.form.show_errors(errors) if errors else []
        text = "\n".join(map(str, rest)) if errors else str(exc)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def run_preview(self) -> None:
        """Ask the core, on the worker, what Copy would copy and skip."""
        self.banner.hide()
        try:
            data = self._input()
        except DomainError as exc:
            self._show(exc)
            return
        self._previewed_state = self.form.state()
        self.ops.read(
            self,
            new_term.preview_new_term,
            data,
            self.ops.today(),
            done=self._previewed,
            failed=self.ops.expected(self, self._show),
            latest="preview",
        )

    def _previewed(self, found: dto.NewTermPreview) -> None:
        self.form.clear_errors()
        self.preview = found
        self.model.set_rows(found.placements)
        copies, calendars = len(found.to_copy), len(found.calendars_to_copy)
        skipped = len(found.placements) - copies
        self.summary.setText(
            f"{copies} placements to copy, {skipped} skipped; "
            f"{calendars} calendars to copy to the next year."
        )
        current = self.form.state() == self._previewed_state  # not edited meanwhile
        self.copy_button.setEnabled(current and (copies > 0 or calendars > 0))

    @property
    def saving(self) -> bool:
        return self._saving

    def accept(self) -> None:
        """Copy on the worker; the dialog closes once it is done (a second click
        meanwhile does nothing)."""
        if self._saving:
            return
        try:
            data = self._input()
        except DomainError as exc:
            self._show(exc)
            return
        self._set_saving(True)
        self.ops.write(
            self,
            new_term.apply_new_term,
            data,
            self.ops.today(),
            changes={"placement", "calendar", "checklist"},
            label="Copying the term…",
            done=self._copied,
            failed=self.ops.expected(self, self._refused),
        )

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.buttons.setEnabled(not saving)
        self.preview_button.setEnabled(not saving)

    def _copied(self, result: dto.NewTermResult) -> None:
        self._set_saving(False)
        self.result_value = result
        super().accept()

    def _refused(self, exc: BaseException) -> None:
        self._set_saving(False)
        self._show(exc)

    def reject(self) -> None:
        if not self._saving:  # a copy under way cannot be called back
            super().reject()

    @classmethod
    def ask(cls, parent: QWidget | None, ops: Ops) -> dto.NewTermResult | None:
        dialog = cls(ops, parent)
        return dialog.result_value if dialog.exec() == QDialog.DialogCode.Accepted else None
