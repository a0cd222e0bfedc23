"""The incident dialog: record or correct an incident or injury, with its notification
checklist, and (HR) close it once every notice is done or marked not needed.

Which notices apply is the core's (``incidents.incident_notices``, from the packs): the
dialog asks again whenever the placement, kind, date or worksite changes and shows
only those, each with its citation, marker and note. Treatment is medical: HR reads
it back; a mentor writes it when recording, and later only adds to it. "Save and
close" saves and closes in one unit of work, so a refused close keeps nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from html import escape
from typing import Any

from PySide6.QtWidgets import QDialogButtonBox, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from internhost.core import dto_incidents as dto
from internhost.core.actor import Actor
from internhost.core.errors import FieldError, ValidationError
from internhost.core.services import incidents, interns
from internhost.core.services.incidents import IncidentInput, NoticeInput
from internhost.gui.dialogs.record import RecordDialog, refusal
from internhost.gui.ops import Ops
from internhost.gui.widgets import fields as f
from internhost.gui.widgets.basics import label

CHANGES = frozenset({"incident"})
NONE = (None, "— none —")
OSHA = ((None, "Not known yet"), (True, "Yes: on the OSHA 300 log"), (False, "No"))
INTRO = (
    "What happened to {name}, when and where. Each notice below is a date, or not "
    "needed with a reason; the incident stays open until every one is, then HR closes it."
)


def _load(
    s: Session, actor: Actor, intern_id: int, incident_id: int | None, today: date
) -> tuple[dto.IncidentChoices, IncidentInput | None, str]:
    """What the dialog needs, read in one go on the database worker."""
    choices = incidents.incident_choices(s, actor, intern_id)
    stored = None if incident_id is None else incidents.incident_input(s, actor, incident_id)
    return choices, stored, interns.get_intern(s, actor, intern_id, today).display_name


def _save_and_close(
    s: Session, actor: Actor, data: IncidentInput, incident_id: int, today: date
) -> dto.IncidentDetail:
    """Save the edits and close, in the caller's one unit of work: a close refused
    (a notice still to do) keeps the edits unsaved too."""
    incidents.save_incident(s, actor, data, incident_id, today=today)
    return incidents.close_incident(s, actor, incident_id)


def _treatment_caption(choices: dto.IncidentChoices, editing: bool) -> tuple[str, str]:
    if choices.sees_treatment:
        return "Treatment", "Medical: shown to HR only."
    if editing:
        return "Add to treatment", "Medical: added to what is recorded; only HR reads it."
    return "Treatment", "Medical: once saved, only HR reads it."


class IncidentDialog(RecordDialog):
    def __init__(
        self,
        parent: QWidget | None,
        ops: Ops,
        choices: dto.IncidentChoices,
        stored: IncidentInput | None,
        incident_id: int | None,
        *,
        name: str,
        today: date,
    ) -> None:
        self.choices, self.stored, self.incident_id = choices, stored, incident_id
        self.today = today
        self._closing = False
        self._applies: set[str] = {n.key for n in choices.notices}
        caption, help_ = _treatment_caption(choices, stored is not None)
        specs = [
            f.choice("placement_id", "Placement", choices.placements, aliases=("placement",)),
            f.choice("kind", "Kind", choices.kinds),
            f.day("occurred_on", "Date", aliases=("occurred_at",)),
            f.clock("occurred_time", "Time"),
            f.text("description", "What happened", multiline=True),
            f.choice(
                "worksite_id",
                "Worksite",
                [(w.id, w.name) for w in choices.worksites],
                aliases=("worksite",),
            ),
            f.choice("area_id", "Area", (NONE,), aliases=("area",)),
            f.choice("equipment_id", "Machine", (NONE,), aliases=("equipment",)),
            f.choice("task_key", "Task", (NONE, *choices.tasks)),
            f.text("body_part", "Body part"),
            f.text("treatment", caption, multiline=True, help=help_),
            f.text("told_whom", "Who was told at the plant", multiline=True),
            f.choice("osha_recordable", "OSHA recordable", OSHA),
        ]
        self.form = f.FieldForm(specs)
        self.notice_forms: dict[str, f.FieldForm] = {}
        self.notice_boxes: dict[str, QWidget] = {}
        notices_column = QVBoxLayout()
        notices_column.setSpacing(10)
        for n in choices.notices:
            box = self.notice_boxes[n.key] = QWidget()
            box.setObjectName(f"notice_{n.key}")
            lines = QVBoxLayout(box)
            lines.setContentsMargins(0, 0, 0, 0)
            lines.setSpacing(4)
            lines.addWidget(label(f"<b>{escape(n.title)}</b>", wrap=True))
            marker = f"[{n.verification}]" + (" unverified" if n.verification != "V" else "")
            lines.addWidget(label(f"{n.note} {n.citation} {marker}", "muted", wrap=True))
            form = self.notice_forms[n.key] = f.FieldForm(
                [
                    f.day(f"{n.key}.done_on", "Done on", aliases=(n.key,)),
                    f.text(f"{n.key}.not_needed", "Or not needed, because"),
                ]
            )
            lines.addWidget(form)
            notices_column.addWidget(box)
        self.no_notice = label("No notice applies to this incident.", "muted")
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.form)
        column.addSpacing(8)
        column.addWidget(label("Notification checklist", "heading"))
        column.addLayout(notices_column)
        column.addWidget(self.no_notice)
        column.addStretch(1)
        title = "Record an incident" if incident_id is None else "Edit incident"
        super().__init__(
            title,
            body,
            self._collect,
            self._save,
            self._show_errors,
            parent,
            ops=ops,
            changes=CHANGES,
            intro=INTRO.format(name=name),
        )
        self.setObjectName("incidentDialog")
        self.close_button = None
        if incident_id is not None and choices.records_osha:
            self.close_button = self.buttons.addButton(
                "Save and close incident", QDialogButtonBox.ButtonRole.ActionRole
            )
            self.close_button.setObjectName("closeIncident")
            self.close_button.clicked.connect(self._close_clicked)
        self.form.set_row_visible("placement_id", len(choices.placements) > 1)
        self.form.set_row_visible("osha_recordable", choices.records_osha)
        self._fill()
        for name_ in ("placement_id", "kind", "occurred_on", "worksite_id"):
            self.form.input(name_).changed.connect(self._facts_changed)
        self.form.input("worksite_id").changed.connect(self._site_changed)
        self._ask_notices()

    # -- filling

    def _fill(self) -> None:
        s = self.stored
        placement = s.placement_id if s and s.placement_id else self.choices.placements[0][0]
        site = s.worksite_id if s else dict(self.choices.placement_worksites).get(placement)
        self.form.set_values(
            {
                "placement_id": placement,
                "kind": s.kind if s else "injury",
                "occurred_on": s.occurred_at.date() if s and s.occurred_at else self.today,
                "occurred_time": s.occurred_at.time() if s and s.occurred_at else None,
                "description": s.description if s else "",
                "worksite_id": site,
                "task_key": s.task_key if s else None,
                "body_part": s.body_part if s else "",
                "treatment": (s.treatment or "") if s else "",
                "told_whom": s.told_whom if s else "",
                "osha_recordable": s.osha_recordable if s else None,
            }
        )
        self._site_changed()
        if s is not None:
            self.form.set_values({"area_id": s.area_id, "equipment_id": s.equipment_id})
            for key, form in self.notice_forms.items():
                given: NoticeInput = getattr(s, key)
                form.set_values(
                    {f"{key}.done_on": given.done_on, f"{key}.not_needed": given.not_needed or ""}
                )

    def _site_changed(self) -> None:
        site = self.form.input("worksite_id").value()

        def at_site(records: Iterable[dto.Choice]) -> list[tuple[Any, str]]:
            return [NONE, *((r.id, r.name) for r in records if r.worksite_id == site)]

        area = self.form.input("area_id")
        machine = self.form.input("equipment_id")
        assert isinstance(area, f.ChoiceInput) and isinstance(machine, f.ChoiceInput)
        area.set_options(at_site(self.choices.areas))
        machine.set_options(at_site(self.choices.equipment))

    # -- which notices apply (the core decides)

    def _facts_changed(self) -> None:
        self._ask_notices()

    def _ask_notices(self) -> None:
        try:
            values = self.form.values()
        except ValidationError:  # a date being typed: ask once it parses
            return
        if values["occurred_on"] is None or values["placement_id"] is None:
            return
        self.ops.read(
            self,
            incidents.incident_notices,
            values["placement_id"],
            values["kind"],
            values["occurred_on"],
            values["worksite_id"],
            done=self.show_notices,
            failed=lambda _exc: None,  # an impossible date: the save names it
            latest="incident_notices",
        )

    def show_notices(self, notices: tuple[dto.IncidentNotice, ...]) -> None:
        self._applies = {n.key for n in notices}
        for key, box in self.notice_boxes.items():
            box.setVisible(key in self._applies)
        self.no_notice.setVisible(not self._applies)

    # -- saving

    def _collect(self) -> tuple[IncidentInput, bool]:
        v = self.form.values()
        n: dict[str, Any] = {}
        for form in self.notice_forms.values():
            n.update(form.values())
        when = v["occurred_on"]
        occurred = datetime.combine(when, v["occurred_time"] or time(0)) if when else None
        treatment = v["treatment"]
        if not self.choices.sees_treatment and self.stored is not None:
            treatment = treatment or None  # nothing typed: what is stored stays
        osha = v["osha_recordable"] if self.choices.records_osha else None
        if not self.choices.records_osha and self.stored is not None:
            osha = self.stored.osha_recordable
        notices = {
            key.key: NoticeInput(n[f"{key.key}.done_on"], n[f"{key.key}.not_needed"] or None)
            if key.key in self._applies
            else NoticeInput()
            for key in self.choices.notices
        }
        data = IncidentInput(
            placement_id=v["placement_id"],
            kind=v["kind"],
            occurred_at=occurred,
            description=v["description"],
            worksite_id=v["worksite_id"],
            area_id=v["area_id"],
            equipment_id=v["equipment_id"],
            task_key=v["task_key"],
            body_part=v["body_part"],
            treatment=treatment,
            told_whom=v["told_whom"],
            osha_recordable=osha,
            **notices,
        )
        closing, self._closing = self._closing, False
        return data, closing

    def _save(self, values: tuple[IncidentInput, bool]) -> dto.IncidentDetail:
        data, closing = values
        database = self.ops.database
        if closing and self.incident_id is not None:
            return database.write(_save_and_close, data, self.incident_id, self.today)
        return database.write(incidents.save_incident, data, self.incident_id, today=self.today)

    def _show_errors(self, errors: Iterable[FieldError]) -> list[FieldError]:
        left = self.form.show_errors(errors)
        for form in self.notice_forms.values():
            left = form.show_errors(left)
        return left

    def _close_clicked(self) -> None:
        self._closing = True
        self.accept()


def open_incident(
    parent: QWidget,
    ops: Ops,
    intern_id: int,
    *,
    incident_id: int | None = None,
    saved: Callable[[dto.IncidentDetail], None] | None = None,
) -> None:
    """Read the choices (and the incident), then open the dialog."""
    today = ops.today()
    title = "Record an incident" if incident_id is None else "Edit incident"

    def opened(loaded: tuple[dto.IncidentChoices, IncidentInput | None, str]) -> None:
        choices, stored, name = loaded
        dialog = IncidentDialog(parent, ops, choices, stored, incident_id, name=name, today=today)
        result = dialog.run()
        if result is not None and saved is not None:
            saved(result)

    ops.read(
        parent,
        _load,
        intern_id,
        incident_id,
        today,
        done=opened,
        failed=refusal(parent, ops, title),
    )
