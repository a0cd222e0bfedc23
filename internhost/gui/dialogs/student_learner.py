"""The terms of a placement's student-learner agreement: every element 29 CFR
570.50(c) requires (LEGAL.md §1.6), each with its wording, the legal citation and
the verification marker as ``resources/forms/student-learner-agreement.toml`` gives
them (an unverified wording is said to be one), and the fields that record it.

Opened from the placement editor for a saved student-learner placement, by HR
(``student_learner.save_student_learner_agreement`` requires ``EDIT_RECORDS`` and a
placement whose program is student-learner; the exemption exists only under that
program). The element a field belongs to is the form text's: a text's ``keys`` name
the terms' fields (``_FIELDS`` maps the few the form prints as one line, such as
who signed and when), so the dialog and the printed form never disagree. The
assigned work under the exempt orders (element (5)) is read, not typed: it comes
from the placement's assignments, as the form prints it. Saving goes through the
record dialog (``ops``), each refusal shown beside its field, and announces the
placement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from internhost.core.errors import PermissionDenied
from internhost.core.reports.forms.texts import form_text
from internhost.core.services import forms, student_learner
from internhost.core.services.student_learner import StudentLearnerInput
from internhost.gui.dialogs.record import RecordDialog, refusal
from internhost.gui.ops import Ops
from internhost.gui.widgets import fields as f
from internhost.gui.widgets.basics import label

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from internhost.core.actor import Actor

FORM = "student-learner-agreement"
CHANGES = frozenset({"placement"})

#: The terms' fields, as the editor asks them (the service's names and checks).
FIELDS: dict[str, f.Field] = {
    field.name: field
    for field in (
        f.text("vocational_program", "Program"),
        f.text("educational_authority", "Educational authority"),
        f.check(
            "work_incidental", "Incidental", "The hazardous work is incidental to the training"
        ),
        f.check(
            "intermittent_short_periods",
            "Intermittent",
            "Intermittent, for short periods, under direct and close supervision",
        ),
        f.text("supervisor_name", "Supervised by", help="The qualified and experienced person."),
        f.text("school_safety_instruction", "School's safety instruction", multiline=True),
        f.text("employer_safety_training", "Employer's on-the-job training", multiline=True),
        f.text("work_processes", "Schedule of work processes", multiline=True),
        f.text("employer_signed_by", "Signed for the employer by"),
        f.day("employer_signed_on", "Signed by the employer on"),
        f.text("school_signed_by", "Signed for the school by"),
        f.day("school_signed_on", "Signed by the school on"),
        f.check("school_copy_on_file", "School's copy", "The school keeps a copy on file"),
        f.check("employer_copy_on_file", "Employer's copy", "We keep a copy on file"),
    )
}
#: A form text key printed as one line, and the fields that record it.
_FIELDS = {
    "employer_signed": ("employer_signed_by", "employer_signed_on"),
    "school_signed": ("school_signed_by", "school_signed_on"),
    "copies_on_file": ("school_copy_on_file", "employer_copy_on_file"),
}


@dataclass(frozen=True)
class Terms:
    """What the editor opens with: the stored terms, and what the placement says of
    the agreement that is not typed here (whose it is, the exempt work assigned)."""

    terms: StudentLearnerInput
    intern: str
    hazardous_work: str


def read_terms(s: Session, actor: Actor, placement_id: int, today: date) -> Terms:
    """The stored terms and the placement's facts the form prints beside them (on the
    worker). The pre-filled form needs birth dates; a role without them gets the
    terms alone."""
    terms = student_learner.student_learner_input(s, actor, placement_id)
    try:
        content = forms.form_content(s, actor, FORM, today=today, placement_id=placement_id)
    except PermissionDenied:
        return Terms(terms, "", "")
    return Terms(terms, content.value("intern_name"), content.value("hazardous_work"))


def source_line() -> str:
    """The legal source as the screen says it: citation, LEGAL.md, the marker."""
    text = form_text(FORM)
    marker = text.get("verification", "")
    shown = f"[{marker}] verified" if marker == "V" else f"[{marker}] not verified"
    return f"{text['citation']} · {text['source']} · {shown}"


def elements() -> list[dict[str, Any]]:
    """The form text's elements, in order, each with its ``ref``, ``text`` and ``keys``."""
    section = next(s for s in form_text(FORM)["sections"] if s["kind"] == "elements")
    return list(section["items"])


def element_fields(item: dict[str, Any]) -> list[str]:
    """The editor's fields recording an element (none: it is read, or only said)."""
    out: list[str] = []
    for key in item["keys"]:
        out += [n for n in _FIELDS.get(key, (key,)) if n in FIELDS]
    return out


class TermsBody(QWidget):
    """The elements in the regulation's order: each one's wording, then its fields."""

    def __init__(self, data: Terms) -> None:
        super().__init__()
        text = form_text(FORM)
        self.form = f.FieldForm(list(FIELDS.values()))
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addWidget(label(" ".join(text["intro"].split()), wrap=True))
        source = label(source_line(), "muted", wrap=True)
        source.setObjectName("legalSource")
        column.addWidget(source)
        if text.get("verification_note"):
            note = label(text["verification_note"], "error", wrap=True)
            note.setObjectName("verificationNote")
            column.addWidget(note)
        column.addSpacing(6)
        column.addWidget(self.form)
        column.addStretch(1)
        layout = self.form.layout_
        self.headings: dict[str, QLabel] = {}
        for item in elements():
            names = element_fields(item)
            heading = label(f"<b>{escape(item['ref'])}</b> {escape(item['text'])}", wrap=True)
            heading.setObjectName(f"element{item['ref']}")
            self.headings[item["ref"]] = heading
            if names:
                layout.insertRow(self._row_of(names[0]), heading)
            else:
                layout.addRow(heading)
            if "hazardous_work" in item["keys"]:
                work = data.hazardous_work or "None of the placement's assignments is under them."
                assigned = label(work, "muted", wrap=True)
                assigned.setObjectName("hazardousWork")
                layout.addRow(label("Assigned work"), assigned)
        for heading in list(self.headings.values())[1:]:
            heading.setContentsMargins(0, 10, 0, 0)

    def _row_of(self, name: str) -> int:
        """The form layout's row holding field ``name`` (its heading goes above it)."""
        cell = self.form.inputs[name].parentWidget()
        assert cell is not None
        position: Any = self.form.layout_.getWidgetPosition(cell)  # (row, role); stubs: object
        return int(position[0])


def open_student_learner(parent: QWidget, ops: Ops, placement_id: int) -> None:
    """Read the placement's terms (on the worker), then open the editor on them."""
    today = ops.today()
    ops.read(
        parent,
        read_terms,
        placement_id,
        today,
        done=lambda data: terms_dialog(parent, ops, data, today).run(),
        failed=refusal(parent, ops, "Student-learner agreement"),
        label="Opening the student-learner agreement…",
    )


def terms_dialog(parent: QWidget | None, ops: Ops, data: Terms, today: date) -> RecordDialog:
    """The editor on ``data``: Save records the terms (``save_student_learner_agreement``)."""
    body = TermsBody(data)
    body.form.set_values(data.terms)
    placement_id = data.terms.placement_id

    def save(values: dict[str, Any]) -> StudentLearnerInput:  # on the worker
        terms = StudentLearnerInput(placement_id, **values)
        return ops.database.write(
            student_learner.save_student_learner_agreement, terms, today=today
        )

    whose = f" for {data.intern}" if data.intern else ""
    dialog = RecordDialog(
        "Student-learner agreement",
        body,
        body.form.values,
        save,
        body.form.show_errors,
        parent,
        ops=ops,
        changes=CHANGES,
        intro=f"The terms of the written agreement{whose}, as the form prints them.",
    )
    dialog.setObjectName("studentLearnerDialog")
    dialog.resize(820, 760)
    return dialog
