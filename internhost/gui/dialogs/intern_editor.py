"""Create or edit an intern: details, guardians and emergency contacts, medical notes
(HR only) and the student records the school released (FERPA).

Details and contacts save together in one unit of work, so a new intern never
exists without the contacts typed beside them, and an error in either keeps the
dialog open with each message beside its field or its contact row. Medical notes
and released records are separate records of an existing intern and save one at
a time from their tabs.

Everything the dialog shows is read on the database worker before it opens
(``read_editor``), and every save runs there too (``gui.ops``); the writes
announce "intern", and the tabs and screens that show it read it again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from internhost.core import dto
from internhost.core.actor import Permission
from internhost.core.errors import DomainError, FieldError, ValidationError
from internhost.core.models.enums import CONTACT_KINDS
from internhost.core.rules.guidance import ages_text, calendar_ages
from internhost.core.rules.packs import find_rule
from internhost.core.services import directory, intern_records
from internhost.core.services.interns import InternInput
from internhost.gui.dialogs.record import RecordDialog, edit_with_form, refusal
from internhost.gui.formatting import short_date
from internhost.gui.ops import Ops, touches
from internhost.gui.widgets import fields as f
from internhost.gui.widgets.basics import button, label

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from internhost.core.actor import Actor

CONTACT_LABELS = {"guardian": "Parent or guardian", "emergency": "Emergency contact"}
SAME_AS_SCHOOL = "Same as the school's district (not confirmed)"
#: What saving an intern changes: the intern, and the re-check's findings and checklist.
SAVES = frozenset({"intern", "finding", "checklist"})


@dataclass(frozen=True)
class EditorData:
    """What the editor shows, read in one session before it opens. None: a new
    intern has none yet, or the role may not see it."""

    schools: list[dto.SchoolRow]
    districts: list[dto.DistrictRow]
    stored: InternInput | None = None
    contacts: tuple[intern_records.ContactInput, ...] | None = None
    medical: list[dto.MedicalNoteRow] | None = None
    releases: list[dto.ReleaseRow] | None = None


def read_editor(s: Session, actor: Actor, intern_id: int | None) -> EditorData:
    """The choices (archived schools marked, still shown) and, for an existing intern,
    their stored details and whatever of the rest the role may see."""
    data = EditorData(directory.list_schools(s, actor), directory.list_districts(s, actor))
    if intern_id is None:
        return data
    see_contacts = actor.can(Permission.SEE_CONTACT_DETAILS)
    return EditorData(
        data.schools,
        data.districts,
        intern_records.intern_input(s, actor, intern_id),
        intern_records.contact_inputs(s, actor, intern_id) if see_contacts else None,
        intern_records.list_medical_notes(s, actor, intern_id)
        if actor.can(Permission.SEE_MEDICAL)
        else None,
        intern_records.list_releases(s, actor, intern_id)
        if actor.can(Permission.SEE_SCHOOL_RECORDS)
        else None,
    )


def detail_fields(data: EditorData) -> list[f.Field]:
    return [
        f.text("legal_first_name", "Legal first name"),
        f.text("legal_last_name", "Legal last name"),
        f.text("preferred_name", "Preferred name"),
        f.day(
            "birth_date",
            "Birth date",
            help="Which child-labor rules apply is decided from the age on each work date.",
        ),
        f.choice(
            "school_id",
            "School",
            [(s.id, s.name + (" (archived)" if s.archived else "")) for s in data.schools],
            aliases=("school",),
        ),
        f.whole("grade", "Grade"),
        f.text("student_id", "Student ID"),
        f.text("address", "Home address", multiline=True),
        f.choice(
            "residence_district_id",
            "District of residence",
            [(None, SAME_AS_SCHOOL), *((d.id, d.name) for d in data.districts)],
            aliases=("residence_district",),
            help=f"Federal hours for {ages_text(*calendar_ages())}-year-olds follow the "
            "calendar of the public district where the intern lives "
            f"({find_rule('US-COVERAGE-no-calendar').citation}).",
        ),
        f.check(
            "residence_district_confirmed",
            "",
            "Confirmed where the intern lives",
        ),
    ]


def contact_fields() -> list[f.Field]:
    return [
        f.table(
            "contacts",
            "Contacts",
            [
                f.Cell("Kind", "choice", tuple((k, CONTACT_LABELS[k]) for k in CONTACT_KINDS), 185),
                f.Cell("Name", width=160),
                f.Cell("Relationship", width=110),
                f.Cell("Phone", width=130),
                f.Cell("Email"),
                f.Cell("Treatment", "bool", width=90),
            ],
            add_text="Add contact",
            min_rows=4,
            help="The first parent or guardian is the one exports and the roster import use. "
            "Treatment: this parent authorized emergency medical treatment (checklist item C16).",
        )
    ]


class InternEditor(RecordDialog):
    """The tabs of one intern; ``intern_id`` None creates one. Built from what
    ``read_editor`` read (``edit_intern`` reads it, then opens this)."""

    def __init__(
        self,
        ops: Ops,
        data: EditorData,
        intern_id: int | None,
        parent: QWidget | None = None,
    ) -> None:
        #: The dialog's ``ops`` (never None here, unlike a record dialog's).
        self.editing = ops
        self.intern_id = intern_id
        actor = ops.actor
        self.sees_contacts = actor.can(Permission.SEE_CONTACT_DETAILS)
        self.details = f.FieldForm(detail_fields(data))
        self.contacts = f.FieldForm(contact_fields())
        self.tabs = QTabWidget()
        self.tabs.setObjectName("detailTabs")
        self.tabs.addTab(_padded(self.details), "Details")
        if self.sees_contacts:
            self.tabs.addTab(_padded(self.contacts), "Guardians and contacts")
        self.medical: MedicalNotesTab | None = None
        self.releases: ReleasesTab | None = None
        if intern_id is not None and data.medical is not None:
            self.medical = MedicalNotesTab(ops, intern_id, data.medical)
            self.tabs.addTab(self.medical, "Medical notes")
        if intern_id is not None and data.releases is not None:
            self.releases = ReleasesTab(ops, intern_id, data.releases)
            self.tabs.addTab(self.releases, "Released school records")
        title = "New intern" if intern_id is None else "Edit intern"
        super().__init__(
            title,
            self.tabs,
            self._collect,
            self._save,
            self._show_errors,
            parent,
            ops=ops,
            changes=SAVES,
        )
        self.resize(980, 720)
        if data.stored is not None:
            self.details.set_values(data.stored)
        if data.contacts is not None:
            self.contacts.set_values({"contacts": tuple(_contact_row(c) for c in data.contacts)})
        elif intern_id is None:
            self.contacts.input("contacts").add_row(("guardian",))  # type: ignore[attr-defined]

    def _collect(self) -> tuple[Any, ...]:
        """The details and contacts as the service takes them (here, on the GUI
        thread); every field that cannot be read says so, on both tabs."""
        problems: list[FieldError] = []
        details: dict[str, Any] = {}
        rows: tuple[Any, ...] = ()
        try:
            details = self.details.values()
        except ValidationError as exc:
            problems += exc.errors
        try:
            rows = self.contacts.values()["contacts"]
        except ValidationError as exc:
            problems += exc.errors
        if problems:
            raise ValidationError(problems)
        contacts = tuple(intern_records.ContactInput(*row) for row in rows)
        data = InternInput(**details)
        return data, contacts if self.sees_contacts else None, self.editing.today()

    def _save(self, values: tuple[Any, ...]) -> dto.InternDetail:
        """On the worker: details and contacts in one unit of work."""
        data, contacts, today = values
        return self.editing.database.write(
            intern_records.save_intern, self.intern_id, data, contacts, today
        )

    def state(self) -> Any:
        """The forms, and a medical note typed but not yet added."""
        note = self.medical.text.toPlainText().strip() if self.medical is not None else ""
        return (super().state(), note)

    def _show_errors(self, errors: Any) -> list[FieldError]:
        rest = self.details.show_errors(errors)
        rest = self.contacts.show_errors(rest)
        wrong = next(
            (i for i, form in enumerate((self.details, self.contacts)) if _has_errors(form)),
            None,
        )
        if wrong is not None and wrong < self.tabs.count():
            self.tabs.setCurrentIndex(wrong)
        return rest


def _has_errors(form: f.FieldForm) -> bool:
    return any(form.error_text(name) for name in form.inputs)


def _contact_row(c: intern_records.ContactInput) -> tuple[Any, ...]:
    return (c.kind, c.name, c.relationship, c.phone, c.email, c.may_authorize_treatment)


def _padded(widget: QWidget) -> QWidget:
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(4, 14, 4, 4)
    column.addWidget(widget)
    column.addStretch(1)
    return holder


def edit_intern(
    parent: QWidget,
    ops: Ops,
    intern_id: int | None,
    saved: Callable[[dto.InternDetail], Any] | None = None,
) -> None:
    """Read what the editor shows (on the worker), then open it; ``saved(detail)``
    once the user saved (never when cancelled). A role that may not edit is told why,
    and nothing opens. The records kit's ``Editor``."""

    def open_editor(data: EditorData) -> None:
        result = InternEditor(ops, data, intern_id, parent).run()
        if result is not None and saved is not None:
            saved(result)

    ops.read(
        parent,
        read_editor,
        intern_id,
        done=open_editor,
        failed=refusal(parent, ops, "Edit intern"),
    )


class MedicalNotesTab(QWidget):
    """Medical notes, HR only: allergies, conditions, accommodations."""

    def __init__(self, ops: Ops, intern_id: int, notes: list[dto.MedicalNoteRow]) -> None:
        super().__init__()
        self.ops, self.intern_id = ops, intern_id
        self.list = QListWidget()
        self.list.setObjectName("plain")
        self.list.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("A new note: an allergy, a condition, an accommodation…")
        self.text.setFixedHeight(80)
        self.error = label(role="error", wrap=True)
        self.error.hide()
        self.add_button = button("Add note", "primary", self.add)
        self.delete_button = button("Delete note", "secondary", self.delete)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 14, 4, 4)
        column.addWidget(label("Only HR administrators can see these notes.", "muted"))
        column.addWidget(self.list, 1)
        column.addWidget(self.text)
        column.addWidget(self.error)
        column.addLayout(buttons)
        self._show_notes(notes)
        ops.changed.connect(self._records_changed)

    def _records_changed(self, changes: frozenset[str]) -> None:
        if touches(changes, ("intern",)) and self.window().isVisible():
            self.refresh()

    def refresh(self) -> None:
        self.ops.read(
            self,
            intern_records.list_medical_notes,
            self.intern_id,
            done=self._show_notes,
            latest="notes",
        )

    def _show_notes(self, notes: list[dto.MedicalNoteRow]) -> None:
        self.list.clear()
        for note in notes:
            who = f" · {note.author}" if note.author else ""
            item = QListWidgetItem(f"{note.body}\n{short_date(note.created_at.date())}{who}")
            item.setData(Qt.ItemDataRole.UserRole, note.id)
            self.list.addItem(item)

    def add(self) -> None:
        """Add the typed note (on the worker); a refusal shows below it."""
        self.error.hide()
        self._busy(True)
        self.ops.write(
            self,
            intern_records.add_medical_note,
            self.intern_id,
            self.text.toPlainText(),
            changes={"intern"},
            done=self._added,
            failed=self._refused,
        )

    def _added(self, _note: dto.MedicalNoteRow) -> None:
        self._busy(False)
        self.text.clear()

    def _refused(self, exc: BaseException) -> None:
        self._busy(False)
        if not isinstance(exc, DomainError):
            self.ops.tell(self, exc)
            return
        errors = getattr(exc, "errors", None)
        self.error.setText("\n".join(map(f.human, errors)) if errors else str(exc))
        self.error.show()

    def _busy(self, busy: bool) -> None:
        """While a note is written, a second click adds or deletes nothing."""
        self.add_button.setEnabled(not busy)
        self.delete_button.setEnabled(not busy)

    def delete(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        if (
            QMessageBox.question(self, "Delete note", "Delete this medical note?")
            == QMessageBox.StandardButton.Yes
        ):
            self._busy(True)
            self.ops.write(
                self,
                intern_records.delete_medical_note,
                item.data(Qt.ItemDataRole.UserRole),
                changes={"intern"},
                done=lambda _none: self._busy(False),
                failed=self._refused,
            )


def release_fields() -> list[f.Field]:
    return [
        f.text("record_type", "Record", placeholder="Transcript, IEP accommodations…"),
        f.day("released_on", "Released on"),
        f.text(
            "consent_basis",
            "Basis",
            placeholder="Written parent consent",
            help="Under what FERPA basis the school released it (FERPA; checklist item C15).",
        ),
        f.text("consent_signed_by", "Consent signed by"),
        f.check(
            "redisclosure_notice_received",
            "",
            "The school's notice against re-disclosure was received",
        ),
    ]


class ReleasesTab(QWidget):
    """Student records the school released to the employer, and under what consent."""

    def __init__(self, ops: Ops, intern_id: int, releases: list[dto.ReleaseRow]) -> None:
        from internhost.gui.models.columns import Column, RowsModel
        from internhost.gui.widgets.tables import columns_table

        super().__init__()
        self.ops, self.intern_id = ops, intern_id
        self.model: RowsModel[dto.ReleaseRow] = RowsModel(
            (
                Column("Record", lambda r: r.record_type),
                Column("Released", lambda r: short_date(r.released_on)),
                Column("Basis", lambda r: r.consent_basis, long=True),
                Column("Signed by", lambda r: r.consent_signed_by),
                Column(
                    "Re-disclosure notice",
                    lambda r: "Yes" if r.redisclosure_notice_received else "No",
                ),
            ),
            self,
        )
        self.model.set_rows(releases)
        self.table = columns_table(self.model)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        buttons = QHBoxLayout()
        buttons.addWidget(button("Add record…", "primary", lambda: self.edit(new=True)))
        buttons.addWidget(button("Edit…", "secondary", self.edit))
        buttons.addWidget(button("Delete", "secondary", self.delete))
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 14, 4, 4)
        column.addLayout(buttons)
        column.addWidget(self.table, 1)
        ops.changed.connect(self._records_changed)

    def _records_changed(self, changes: frozenset[str]) -> None:
        if touches(changes, ("intern",)) and self.window().isVisible():
            self.refresh()

    def refresh(self) -> None:
        self.ops.read(
            self,
            intern_records.list_releases,
            self.intern_id,
            done=self.model.set_rows,
            latest="releases",
        )

    def _selected(self) -> dto.ReleaseRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def edit(self, *, new: bool = False) -> None:
        """Open the record's form (a stored one is read first, on the worker)."""
        row = None if new else self._selected()
        if row is None and not new:
            return
        if row is None:
            self._open(None, {"redisclosure_notice_received": False})
            return
        self.ops.read(
            self,
            intern_records.release_input,
            row.id,
            done=lambda stored: self._open(row.id, stored),
            failed=refusal(self, self.ops, "Released school record"),
        )

    def _open(self, release_id: int | None, initial: Any) -> None:
        ops, intern_id, today = self.ops, self.intern_id, self.ops.today()

        def save(values: dict[str, Any]) -> int:  # on the worker
            data = intern_records.ReleaseInput(**values)
            return ops.database.write(
                intern_records.save_release, intern_id, data, release_id, today=today
            )

        form = f.FieldForm(release_fields())
        edit_with_form(
            self,
            "Released school record",
            form,
            save,
            ops=ops,
            changes={"intern"},
            initial=initial,
        )

    def delete(self) -> None:
        row = self._selected()
        if row is not None:
            self.ops.write(self, intern_records.delete_release, row.id, changes={"intern"})
