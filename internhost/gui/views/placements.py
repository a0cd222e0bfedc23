"""Placements: the list across interns, and the editor with the primary-beneficiary
factors of an unpaid placement.

The seven factors (DOL Fact Sheet #71, worded in the rule pack) show only for an
unpaid placement; as they are answered the assessment beneath updates, read by the
core from the same rule the compliance check applies, so "likely an employee —
pay at least minimum wage" here and in the findings never disagree.

The list and the editor read on the database worker (``gui.ops``): the editor reads
its pickers' choices and the stored placement before it opens and saves there, and
announces the placement with the findings and checklist its re-check changed. As
the form changes, the placement check runs on its values (``preview_placement``) and
the editor shows its findings and the status saving would give, before saving.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from internhost.core import dto
from internhost.core.actor import Permission
from internhost.core.errors import ValidationError
from internhost.core.models.enums import PROGRAM_LABELS
from internhost.core.services import directory, interns, placements
from internhost.gui.dialogs.record import RecordDialog, refusal
from internhost.gui.formatting import DASH, date_range, text_or_dash
from internhost.gui.models.columns import RIGHT, Column, Pill
from internhost.gui.ops import Ops
from internhost.gui.theme import set_role
from internhost.gui.views.placement_check import AssignmentsInput, CheckPanel
from internhost.gui.widgets import fields as f
from internhost.gui.widgets.basics import button, label, shown
from internhost.gui.widgets.records import Archiving, RecordKind, RecordsView
from internhost.gui.widgets.search_picker import Matches, SearchPicker

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from internhost.core.actor import Actor

ANSWERS = ((None, "Not answered"), (True, "Yes"), (False, "No"))
STATUS_LABELS = {
    "employee": "Treat as an employee (the default)",
    "not_employee": "HR concluded the intern is not an employee",
}
UNPAID_ONLY = ("primary_beneficiary", "employee_status", "employee_status_reason")
#: What saving a placement changes: it, and the re-check's findings and checklist.
SAVES = frozenset({"placement", "finding", "checklist"})
PLACEMENT_STATUS_LABELS = {
    "draft": "Draft",
    "active": "Active",
    "completed": "Completed",
    "terminated": "Terminated",
}
#: How long the form rests before the check runs on it again (typing a rate).
PREVIEW_DELAY_MS = 300


class FactorsInput(f.FieldWidget):
    """The seven primary-beneficiary questions, each Yes / No / Not answered, and the
    assessment the core reads from them."""

    def __init__(self) -> None:
        super().__init__()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        # The verdict comes first: it must be seen without scrolling past the questions.
        self.assessment = label(wrap=True)
        self.assessment.setObjectName("assessment")
        grid.addWidget(self.assessment, 0, 0, 1, 2)
        self.combos: list[QComboBox] = []
        for row, (_key, question) in enumerate(placements.beneficiary_factors(), start=1):
            text = label(f"{row}. {question}", wrap=True)
            combo = QComboBox()
            for value, caption in ANSWERS:
                combo.addItem(caption, value)
            combo.currentIndexChanged.connect(self._answered)
            grid.addWidget(text, row, 0)
            grid.addWidget(combo, row, 1)
            self.combos.append(combo)
        grid.setColumnStretch(0, 1)
        self._answered()

    def value(self) -> tuple[bool | None, ...]:
        return tuple(c.currentData() for c in self.combos)

    def set_value(self, value: Any) -> None:
        for combo, answer in zip(self.combos, value or (), strict=False):
            combo.setCurrentIndex(max(combo.findData(answer), 0))
        self._answered()

    def editor(self) -> QWidget:
        return self.combos[0]

    def _answered(self) -> None:
        found = placements.assess_primary_beneficiary(self.value())
        self.assessment.setText(f"{found.message}\n{found.citation}")
        set_role(self.assessment, "error" if found.likely_employee else "muted")
        self.changed.emit()


def _archived(row: Any) -> str:
    return " (archived)" if row.archived else ""


@dataclass(frozen=True)
class EditorData:
    """What the placement editor shows, read in one session before it opens: each
    picker's choices (archived records stay listed, marked, so a placement that names
    one shows it as it is; the service refuses choosing one anew), and the stored
    placement (None: a new one). Interns are too many to list: the editor searches
    them as the user types (``find_interns``); it reads only the one it opens with."""

    #: The intern the editor opens with (the stored placement's, or a preset), named.
    intern: tuple[int, str] | None
    schools: list[tuple[Any, str]]
    sites: list[tuple[Any, str]]
    mentors: list[tuple[Any, str]]
    stored: placements.PlacementInput | None = None
    #: What a placement may assign, by worksite (None: no worksite, the tasks only).
    options: dict[Any, list[dto.AssignmentOption]] | None = None
    #: The stored placement's status note (why a draft is one).
    status_note: str = ""


def read_editor(
    s: Session,
    actor: Actor,
    placement_id: int | None,
    today: date,
    intern_id: int | None = None,
) -> EditorData:
    sites = directory.list_worksites(s, actor)
    options = {
        site: placements.assignment_options(s, actor, site)
        for site in (None, *(w.id for w in sites))
    }
    stored = None if placement_id is None else placements.placement_input(s, actor, placement_id)
    intern_id = stored.intern_id if stored is not None else intern_id
    name = None if intern_id is None else intern_label(s, actor, intern_id, today)
    return EditorData(
        intern=None if intern_id is None or name is None else (intern_id, name),
        schools=[(x.id, x.name + _archived(x)) for x in directory.list_schools(s, actor)],
        sites=[(w.id, w.name + _archived(w)) for w in sites],
        mentors=[
            (m.id, m.name + _archived(m)) for m in directory.list_staff(s, actor, role="mentor")
        ],
        stored=stored,
        options=options,
    )


#: How many matches the intern picker lists (the count of all is shown beside them).
INTERN_MATCHES = 20


def find_interns(s: Session, actor: Actor, text: str, today: date) -> Matches:
    """The intern picker's search (on the worker): the interns not archived whose name
    or student ID matches ``text``, the first ``INTERN_MATCHES`` by name, and how many
    matched (the interns screen's search, ``list_intern_ids``)."""
    ids = interns.list_intern_ids(s, actor, search=text, include_archived=False, today=today)
    rows = interns.intern_rows(s, actor, ids[:INTERN_MATCHES], today)
    return [(r.id, _intern_text(r)) for r in rows], len(ids)


def intern_label(s: Session, actor: Actor, intern_id: int, today: date) -> str | None:
    """How the intern picker names an intern (None: not one the actor may see)."""
    rows = interns.intern_rows(s, actor, [intern_id], today)
    return _intern_text(rows[0]) if rows else None


def _intern_text(row: dto.InternRow) -> str:
    """Name, preferred name and school: enough to tell two namesakes apart."""
    preferred = f" ({row.preferred_name})" if row.preferred_name else ""
    grade = f", grade {row.grade}" if row.grade is not None else ""
    return f"{row.name}{preferred} · {row.school}{grade}{_archived(row)}"


def placement_fields(data: EditorData, ops: Ops) -> list[f.Field]:
    none = [(None, "— not yet —")]
    today = ops.today()

    def intern_picker() -> SearchPicker:
        picker = SearchPicker(
            ops,
            partial(find_interns, today=today),
            partial(intern_label, today=today),
            placeholder="Type a name or student ID",
            noun="intern",
        )
        picker.box.setMaxLength(interns.SEARCH_MAX)  # the search refuses longer
        if data.intern is not None:
            picker.known[data.intern[0]] = data.intern[1]
        return picker

    return [
        f.Field("intern_id", "Intern", intern_picker, aliases=("intern",)),
        f.choice("school_id", "School", data.schools, aliases=("school",)),
        f.choice("worksite_id", "Worksite", none + data.sites, aliases=("worksite",)),
        f.choice("mentor_id", "Mentor", none + data.mentors, aliases=("mentor",)),
        f.day("start_date", "Starts"),
        f.day("end_date", "Ends"),
        f.choice("program", "Program", list(PROGRAM_LABELS.items())),
        f.whole("required_hours", "Required hours", help="What the school requires, if any."),
        f.whole("check_in_every_days", "Check-in every", help="Days between mentor check-ins."),
        f.check("paid", "Pay", "Paid placement"),
        f.money("hourly_rate_cents", "Hourly rate ($)"),
        f.Field(
            "primary_beneficiary",
            "Primary-beneficiary test",
            FactorsInput,
            help="For an unpaid placement: does each factor point to the intern as the "
            "primary beneficiary?",
        ),
        f.choice("employee_status", "Employee status", list(STATUS_LABELS.items())),
        f.text(
            "employee_status_reason",
            "Reason",
            multiline=True,
            help="Required when HR concludes the intern is not an employee.",
        ),
        f.choice(
            "status",
            "Status",
            list(PLACEMENT_STATUS_LABELS.items()),
            help="A placement its findings block is saved as a draft, which says why.",
        ),
        f.text(
            "status_note",
            "Status note",
            multiline=True,
            help="Why it is a draft, or how it ended (required when terminated).",
        ),
        f.text("badge", "Badge number", help="The intern's number on the time clock."),
        f.Field(
            "assignments",
            "Will work in and on",
            lambda: AssignmentsInput(data.options or {}),
            help="Areas, tasks and machines: the check reads them before any shift.",
        ),
    ]


def edit_placement(
    parent: QWidget,
    ops: Ops,
    placement_id: int | None,
    saved: Callable[[Any], Any] | None = None,
    *,
    intern_id: int | None = None,
) -> None:
    """Read the pickers' choices and the stored placement (on the worker), then open
    the editor (a new placement for ``intern_id``, when given); ``saved(row)`` once the
    user saved, never when cancelled. The records kit's ``Editor``."""
    ops.read(
        parent,
        read_editor,
        placement_id,
        ops.today(),
        intern_id,
        done=lambda data: _open_editor(parent, ops, data, placement_id, intern_id, saved),
        failed=refusal(parent, ops, "Placement"),
        label="Opening the placement…",
    )


def _open_editor(
    parent: QWidget,
    ops: Ops,
    data: EditorData,
    placement_id: int | None,
    intern_id: int | None,
    saved: Callable[[Any], Any] | None,
) -> None:
    form = f.FieldForm(placement_fields(data, ops))
    picker = form.input("intern_id")
    assert isinstance(picker, SearchPicker)
    picker.set_read_only(data.stored is not None, "A placement stays with its intern.")
    work = form.input("assignments")
    assert isinstance(work, AssignmentsInput)
    form.input("worksite_id").changed.connect(
        lambda: work.set_worksite(form.input("worksite_id").value())
    )

    def show_unpaid() -> None:
        unpaid = not form.input("paid").value()
        for name in UNPAID_ONLY:
            form.set_row_visible(name, unpaid)
        form.set_row_visible("hourly_rate_cents", not unpaid)

    form.input("paid").changed.connect(show_unpaid)
    if data.stored is None:
        initial: Any = {
            "paid": True,
            "program": "employment",
            "check_in_every_days": 7,
            "status": "active",
        }
        if intern_id is not None:
            initial["intern_id"] = intern_id
    else:
        initial = data.stored
    form.set_values(initial)
    work.set_worksite(form.input("worksite_id").value())
    show_unpaid()
    today = ops.today()

    def save(values: dict[str, Any]) -> Any:  # on the worker
        row = placements.PlacementInput(**values)
        return ops.database.write(placements.save_placement, row, placement_id, today=today)

    title = "New placement" if placement_id is None else "Edit placement"
    body = QWidget()
    column = QVBoxLayout(body)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(form)
    column.addWidget(student_learner_row(ops, form, data, placement_id))
    panel = CheckPanel()
    column.addWidget(panel)
    column.addStretch(1)
    dialog = RecordDialog(
        title, body, form.values, save, form.show_errors, parent, ops=ops, changes=SAVES
    )
    dialog.resize(900, 780)
    follower = PreviewFollower(dialog, ops, form, panel, placement_id, today)
    form.changed.connect(follower.timer.start)
    follower.run()
    result = dialog.run()
    if result is not None and saved is not None:
        saved(result)


def student_learner_row(
    ops: Ops, form: f.FieldForm, data: EditorData, placement_id: int | None
) -> QWidget:
    """The student-learner agreement's terms (``dialogs/student_learner.py``): for HR,
    on a saved placement whose program is student-learner (the only program the
    exemption has; the service refuses the others), else said why not."""
    from internhost.gui.dialogs.student_learner import open_student_learner

    stored = data.stored.program if data.stored is not None else None
    note = label(wrap=True, role="muted")
    row = QWidget()
    # Over the editor (the row's window once it is shown in it), not beside it.
    open_it = button(
        "Agreement terms…",
        "secondary",
        lambda: open_student_learner(row.window(), ops, placement_id) if placement_id else None,
    )
    open_it.setObjectName("studentLearnerTerms")
    open_it.setAutoDefault(False)

    def follow() -> None:
        chosen = form.input("program").value()
        ready = placement_id is not None and stored == chosen == "student_learner"
        open_it.setEnabled(ready)
        if ready:
            note.setText(
                "The written agreement's terms, element by element, as the form prints them."
            )
        elif chosen != "student_learner":
            note.setText("Only for a student-learner placement (Program).")
        else:
            note.setText("Save the placement as a student-learner placement first.")

    form.input("program").changed.connect(follow)
    follow()
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 4, 0, 4)
    line.addWidget(label("Student-learner agreement"))
    line.addWidget(open_it)
    line.addWidget(note, 1)
    shown(row, ops.actor.can(Permission.EDIT_RECORDS))
    return row


class PreviewFollower:
    """Runs the placement check on the form's values on the worker whenever the form
    has rested ``PREVIEW_DELAY_MS``, and shows the answer of the last run."""

    def __init__(
        self,
        dialog: RecordDialog,
        ops: Ops,
        form: f.FieldForm,
        panel: CheckPanel,
        placement_id: int | None,
        today: date,
    ) -> None:
        self.dialog, self.ops, self.form, self.panel = dialog, ops, form, panel
        self.placement_id, self.today = placement_id, today
        self.timer = QTimer(dialog)
        self.timer.setObjectName("previewTimer")
        self.timer.setSingleShot(True)
        self.timer.setInterval(PREVIEW_DELAY_MS)
        self.timer.timeout.connect(self.run)

    def run(self) -> None:
        try:
            data = placements.PlacementInput(**self.form.values())
        except (ValidationError, ValueError, TypeError):
            self.panel.show_problem("Fix the fields marked above to see what the check finds.")
            return
        self.panel.show_waiting()
        self.ops.read(
            self.dialog,
            placements.preview_placement,
            data,
            self.placement_id,
            today=self.today,
            done=self.panel.show_preview,
            failed=self._failed,
            latest="placement-preview",
        )

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            problems = "; ".join(f.human(e) for e in exc.errors[:3])
            self.panel.show_problem(f"Saving would be refused: {problems}")
        else:
            self.ops.tell(self.dialog, exc)


class _Row:
    """A placement row with its intern's name, for the table."""

    def __init__(self, row: Any, intern: str) -> None:
        self.row, self.intern = row, intern
        self.id, self.archived = row.id, row.archived


def _load(s: Session, actor: Actor, today: date) -> list[_Row]:
    """Every placement with its intern's name (one read, on the worker)."""
    rows = placements.list_placements(s, actor)
    people = interns.intern_rows(s, actor, sorted({r.intern_id for r in rows}), today)
    names = {p.id: p.name for p in people}
    return [_Row(r, names.get(r.intern_id, DASH)) for r in rows]


def _flags(r: _Row) -> tuple[Pill, ...]:
    flags = [Pill("Archived", "muted")] if r.archived else []
    # The status, when it is not the usual "active" (a draft's note is the row's tooltip).
    if r.row.status == "draft":
        flags.append(Pill("Draft", "warning"))
    elif r.row.status in ("completed", "terminated"):
        flags.append(Pill(r.row.status.capitalize(), "muted"))
    if not r.row.paid:
        flags.append(Pill("Unpaid", "info"))
    return tuple(flags)


def _rate(r: _Row) -> str:
    cents = r.row.hourly_rate_cents
    return DASH if cents is None else f"${cents / 100:.2f}"


PLACEMENTS = RecordKind(
    key="placements",
    title="Placements",
    noun="placement",
    columns=(
        Column(
            "Intern",
            lambda r: r.intern,
            sample="Nguyễn-Whitfield, Alexandra",
            pills=_flags,
            elide=False,
            tooltip=lambda r: r.row.status_note or None,
        ),
        Column(
            "Dates",
            lambda r: date_range(r.row.start_date, r.row.end_date),
            sample="Aug 31, 2026 – Jan 15, 2027",
            elide=False,
        ),
        Column("Program", lambda r: r.row.program_label, sample="Student-learner (co-op)"),
        Column("Worksite", lambda r: text_or_dash(r.row.worksite), sample="Elgin Assembly"),
        Column("Mentor", lambda r: text_or_dash(r.row.mentor), sample="Darnell Brooks"),
        Column("School", lambda r: r.row.school, sample="Jefferson High School"),
        Column("Rate", _rate, sample="$15.00", align=RIGHT, elide=False),
        Column("Badge", lambda r: text_or_dash(r.row.badge), sample="40017", elide=False),
    ),
    load=_load,
    row_id=lambda r: r.id,
    edit=edit_placement,
    search_text=lambda r: (
        f"{r.intern} {r.row.school} {r.row.worksite or ''} {r.row.mentor or ''} "
        f"{r.row.status} {r.row.badge or ''}"
    ),
    shows={"placement", "intern", "worksite", "staff", "school"},
    archived=lambda r: r.archived,
    archiving=Archiving(placements.archive_placement, placements.restore_placement, SAVES),
    export_entity="placements",
    empty_text="No placements yet. A placement puts an intern at a worksite with a mentor.",
)


class PlacementsView(RecordsView):
    """Every placement, with its intern's name."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(PLACEMENTS, ops, parent)
