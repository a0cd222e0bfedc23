"""Create or edit an intern: details, guardians and emergency contacts, medical notes
(HR only) and the student records the school released (FERPA).

Details and contacts save together in one unit of work, so a new intern never
exists without the contacts typed beside them, and an error in either keeps the
dialog open with each message beside its field or its contact row. Medical notes
and released records are separate records of an existing intern and save one at
a time from their tabs.
"""

from __future__ import annotations

from typing import Any

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
from internhost.core.errors import DomainError, FieldError
from internhost.core.models.enums import CONTACT_KINDS
from internhost.core.rules.guidance import ages_text, calendar_ages
from internhost.core.rules.packs import find_rule
from internhost.core.services import directory, intern_records
from internhost.gui.database import Database
from internhost.gui.dialogs.record import RecordDialog, edit_with_form
from internhost.gui.formatting import short_date
from internhost.gui.widgets import fields as f
from internhost.gui.widgets.basics import button, label

CONTACT_LABELS = {"guardian": "Parent or guardian", "emergency": "Emergency contact"}
SAME_AS_SCHOOL = "Same as the school's district (not confirmed)"


def detail_fields(database: Database) -> list[f.Field]:
    schools = database.read(directory.list_schools)  # archived ones marked, still shown
    districts = database.read(directory.list_districts)
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
            [(s.id, s.name + (" (archived)" if s.archived else "")) for s in schools],
            aliases=("school",),
        ),
        f.whole("grade", "Grade"),
        f.text("student_id", "Student ID"),
        f.text("address", "Home address", multiline=True),
        f.choice(
            "residence_district_id",
            "District of residence",
            [(None, SAME_AS_SCHOOL), *((d.id, d.name) for d in districts)],
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
    """The tabs of one intern; ``intern_id`` None creates one."""

    def __init__(self, database: Database, intern_id: int | None, parent: QWidget | None = None):
        self.database = database
        self.intern_id = intern_id
        actor = database.actor
        self.details = f.FieldForm(detail_fields(database))
        self.contacts = f.FieldForm(contact_fields())
        self.tabs = QTabWidget()
        self.tabs.setObjectName("detailTabs")
        self.tabs.addTab(_padded(self.details), "Details")
        if actor.can(Permission.SEE_CONTACT_DETAILS):
            self.tabs.addTab(_padded(self.contacts), "Guardians and contacts")
        self.medical: MedicalNotesTab | None = None
        self.releases: ReleasesTab | None = None
        if intern_id is not None and actor.can(Permission.SEE_MEDICAL):
            self.medical = MedicalNotesTab(database, intern_id)
            self.tabs.addTab(self.medical, "Medical notes")
        if intern_id is not None and actor.can(Permission.SEE_SCHOOL_RECORDS):
            self.releases = ReleasesTab(database, intern_id)
            self.tabs.addTab(self.releases, "Released school records")
        title = "New intern" if intern_id is None else "Edit intern"
        super().__init__(
            title, self.tabs, lambda: None, self._save, self._show_errors, parent, ops=None
        )
        self.resize(980, 720)
        if intern_id is not None:
            self.details.set_values(database.read(intern_records.intern_input, intern_id))
            if actor.can(Permission.SEE_CONTACT_DETAILS):
                stored = database.read(intern_records.contact_inputs, intern_id)
                self.contacts.set_values({"contacts": tuple(_contact_row(c) for c in stored)})
        else:
            self.contacts.input("contacts").add_row(("guardian",))  # type: ignore[attr-defined]

    def _save(self, _values: None) -> dto.InternDetail:
        values = self.details.values()
        contacts = tuple(
            intern_records.ContactInput(*row) for row in self.contacts.values()["contacts"]
        )
        today = self.database.today()
        intern_id = self.intern_id
        see_contacts = self.database.actor.can(Permission.SEE_CONTACT_DETAILS)

        return self.database.write(
            intern_records.save_intern,
            intern_id,
            intern_records.InternInput(**values),
            contacts if see_contacts else None,
            today,
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


def edit_intern(parent: QWidget, database: Database, intern_id: int | None) -> bool:
    return InternEditor(database, intern_id, parent).run() is not None


class MedicalNotesTab(QWidget):
    """Medical notes, HR only: allergies, conditions, accommodations."""

    def __init__(self, database: Database, intern_id: int) -> None:
        super().__init__()
        self.database, self.intern_id = database, intern_id
        self.list = QListWidget()
        self.list.setObjectName("plain")
        self.list.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("A new note: an allergy, a condition, an accommodation…")
        self.text.setFixedHeight(80)
        self.error = label(role="error", wrap=True)
        self.error.hide()
        add = button("Add note", "primary", self.add)
        remove = button("Delete note", "secondary", self.delete)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 14, 4, 4)
        column.addWidget(label("Only HR administrators can see these notes.", "muted"))
        column.addWidget(self.list, 1)
        column.addWidget(self.text)
        column.addWidget(self.error)
        column.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for note in self.database.read(intern_records.list_medical_notes, self.intern_id):
            who = f" · {note.author}" if note.author else ""
            item = QListWidgetItem(f"{note.body}\n{short_date(note.created_at.date())}{who}")
            item.setData(Qt.ItemDataRole.UserRole, note.id)
            self.list.addItem(item)

    def add(self) -> bool:
        self.error.hide()
        try:
            self.database.write(
                intern_records.add_medical_note, self.intern_id, self.text.toPlainText()
            )
        except DomainError as exc:
            errors = getattr(exc, "errors", None)
            self.error.setText("\n".join(map(f.human, errors)) if errors else str(exc))
            self.error.show()
            return False
        self.text.clear()
        self.refresh()
        return True

    def delete(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        if (
            QMessageBox.question(self, "Delete note", "Delete this medical note?")
            == QMessageBox.StandardButton.Yes
        ):
            self.database.write(
                intern_records.delete_medical_note, item.data(Qt.ItemDataRole.UserRole)
            )
            self.refresh()


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

    def __init__(self, database: Database, intern_id: int) -> None:
        from internhost.gui.models.columns import Column, RowsModel
        from internhost.gui.widgets.tables import columns_table

        super().__init__()
        self.database, self.intern_id = database, intern_id
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
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(self.database.read(intern_records.list_releases, self.intern_id))

    def _selected(self) -> dto.ReleaseRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def edit(self, *, new: bool = False) -> bool:
        row = None if new else self._selected()
        if not new and row is None:
            return False
        release_id = None if row is None else row.id
        initial = (
            {"redisclosure_notice_received": False}
            if release_id is None
            else self.database.read(intern_records.release_input, release_id)
        )

        def save(values: dict[str, Any]) -> int:
            data = intern_records.ReleaseInput(**values)
            return self.database.write(
                intern_records.save_release,
                self.intern_id,
                data,
                release_id,
                today=self.database.today(),
            )

        saved = edit_with_form(
            self, "Released school record", f.FieldForm(release_fields()), save, initial=initial
        )
        self.refresh()
        return saved is not None

    def delete(self) -> None:
        row = self._selected()
        if row is not None:
            self.database.write(intern_records.delete_release, row.id)
            self.refresh()
