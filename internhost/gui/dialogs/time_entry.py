"""The time-entry dialog: hours an intern worked, typed by HR or their mentor.

In, out (and the out date of a shift past midnight), punched breaks, a break the
clock deducted, the area, the on-site supervisor and the tasks done (with the
machine and minutes). The service decides everything: what it refuses shows beside
its field, and a rule violation is no refusal but findings stored with the entry,
which the dialog's caller is told about (``TimeEntryRow.findings``). The choices
(the intern's placements, each worksite's areas and machines, the supervisors) are
read on the database worker before the dialog opens.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QSizePolicy, QWidget

from internhost.core import dto
from internhost.core.errors import FieldError, ValidationError
from internhost.core.services import time_entries
from internhost.core.services.time_entries import BreakInput, TaskInput, TimeEntryInput
from internhost.gui.dialogs.record import edit_with_form, refusal
from internhost.gui.widgets.fields import (
    Cell,
    Field,
    FieldForm,
    TableInput,
    choice,
    clock,
    day,
    text,
    whole,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from internhost.core.actor import Actor
    from internhost.gui.ops import Ops

NONE = (None, "— none —")
#: What a save announces: the entry, and the findings its check stored.
CHANGES = frozenset({"time_entry", "finding"})


class TaskTable(TableInput):
    """Tasks done: a task of the catalog, the machine, the minutes. A row is blank
    only when no task is chosen and no minutes typed (choices alone make a row)."""

    def _blank(self, values: Sequence[Any]) -> bool:
        task, _machine, minutes = values
        return task is None and not (minutes or "").strip()


def _compact(table: TableInput) -> TableInput:
    """A table as tall as its few rows, not stretched: the form's other fields stay
    in view."""
    table.table.setMaximumHeight(table.table.minimumHeight())
    table.setSizePolicy(table.sizePolicy().horizontalPolicy(), QSizePolicy.Policy.Maximum)
    return table


def entry_fields(choices: dto.TimeEntryChoices, *, correcting: bool = False) -> list[Field]:
    """The form's fields, its pickers filled from ``choices``; ``correcting`` (a stored
    entry) adds the reason HR gives for correcting an approved one."""
    placements = [(p.id, p.label) for p in choices.placements]
    supervisors = [NONE, *((m.id, m.label) for m in choices.supervisors)]
    tasks = ((None, "— choose a task —"), *((t.key, t.label) for t in choices.tasks))
    machines = {m.id: m.label for options in choices.equipment.values() for m in options}
    machine_cells = (NONE, *machines.items())
    task_cells = (
        Cell("Task", "choice", tasks),
        Cell("Machine", "choice", machine_cells, width=170),
        Cell("Minutes", width=80),
    )
    return [
        choice("placement_id", "Placement", placements),
        day("work_date", "Work date"),
        clock("start", "In"),
        clock("end", "Out"),
        day("out_date", "Out date", help="Only for a shift that ends after midnight."),
        Field(
            "breaks",
            "Breaks",
            lambda: _compact(
                TableInput((Cell("Out", "time", width=140), Cell("Back in", "time")), min_rows=2)
            ),
            help="Unpaid breaks punched out and back in.",
        ),
        whole(
            "auto_break_minutes",
            "Clock deduction",
            help="Minutes the time clock deducted as a break with no punches: not "
            "worked, and no meal period for the rules.",
        ),
        choice("area_id", "Area"),
        choice("supervisor_staff_id", "On-site supervisor", supervisors),
        text("supervisor_name", "Supervisor (not on staff)"),
        Field(
            "tasks",
            "Tasks",
            lambda: _compact(TaskTable(task_cells, min_rows=3)),
            aliases=("tasks_minutes",),
        ),
        text("note", "Note", multiline=True),
        *(
            [text("reason", "Reason", help="Needed to correct an approved entry (HR only).")]
            if correcting
            else []
        ),
    ]


def entry_form(choices: dto.TimeEntryChoices, *, correcting: bool = False) -> FieldForm:
    """The form, with the area picker following the placement chosen."""
    form = FieldForm(entry_fields(choices, correcting=correcting))
    placement = form.input("placement_id")
    area = form.input("area_id")

    def follow() -> None:
        options = choices.areas.get(placement.value(), ())
        area.set_options([NONE, *((a.id, a.label) for a in options)])  # type: ignore[attr-defined]

    placement.changed.connect(follow)
    follow()
    return form


def entry_input(values: dict[str, Any]) -> TimeEntryInput:
    """The form's values as the service's input; minutes that are not a whole number
    are an error naming their row."""
    tasks, problems = [], []
    for index, (key, machine, minutes) in enumerate(values["tasks"]):
        typed = (minutes or "").strip()
        if typed and not typed.isdigit():
            problems.append(FieldError(f"tasks[{index}].minutes", "is not a whole number"))
        tasks.append(TaskInput(key or "", machine, int(typed) if typed.isdigit() else None))
    if problems:
        raise ValidationError(problems)
    return TimeEntryInput(
        placement_id=values["placement_id"],
        work_date=values["work_date"],
        start=values["start"],
        end=values["end"],
        out_date=values["out_date"],
        breaks=tuple(BreakInput(a, b) for a, b in values["breaks"]),
        auto_break_minutes=values["auto_break_minutes"],
        area_id=values["area_id"],
        supervisor_staff_id=values["supervisor_staff_id"],
        supervisor_name=values["supervisor_name"],
        tasks=tuple(tasks),
        note=values["note"],
    )


def initial_values(
    choices: dto.TimeEntryChoices, stored: TimeEntryInput | None, today: date
) -> dict[str, Any]:
    """What the form opens with: the stored entry, or today under the first placement."""
    if stored is None:
        first = choices.placements[0].id if choices.placements else None
        # In and out open alike (the clock's default): Save says to set the out-time.
        return {
            "placement_id": first,
            "work_date": today,
            "start": None,
            "end": None,
            "breaks": (),
            "tasks": (),
        }
    return {
        **{k: getattr(stored, k) for k in TimeEntryInput.__dataclass_fields__},
        "breaks": tuple((b.start, b.end) for b in stored.breaks),
        "tasks": tuple(
            (t.task_key, t.equipment_id, "" if t.minutes is None else str(t.minutes))
            for t in stored.tasks
        ),
    }


def _load(
    s: Session, actor: Actor, intern_id: int, entry_id: int | None
) -> tuple[dto.TimeEntryChoices, TimeEntryInput | None]:
    """What the dialog needs, read in one go on the database worker."""
    choices = time_entries.time_entry_choices(s, actor, intern_id)
    stored = None if entry_id is None else time_entries.time_entry_input(s, actor, entry_id)
    return choices, stored


def open_time_entry(
    parent: QWidget,
    ops: Ops,
    intern_id: int,
    *,
    entry_id: int | None = None,
    today: date | None = None,
    approved: bool = False,
    saved: Callable[[dto.TimeEntryRow], None] | None = None,
) -> None:
    """Read the choices (and the entry), then open the dialog; ``saved(row)`` once the
    service took it (the row lists the findings its check stored). An ``approved``
    entry is HR's correction: the dialog asks for the reason the trail keeps."""
    day_ = today or date.today()
    title = "Log hours" if entry_id is None else "Edit time entry"
    intro = (
        "Hours {name} worked. A rule the hours break is no reason to refuse them: it is "
        "stored as a finding for HR."
    )
    if approved:
        title = "Correct approved hours"
        intro = (
            "These hours of {name} are approved. Give the reason for the correction "
            "(at the end of the form): the audit trail keeps it with the entry before "
            "and after, and the corrected entry counts as approved by you."
        )

    def opened(loaded: tuple[dto.TimeEntryChoices, TimeEntryInput | None]) -> None:
        choices, stored = loaded
        form = entry_form(choices, correcting=entry_id is not None)

        def save(values: dict[str, Any]) -> dto.TimeEntryRow:
            data = entry_input(values)
            return ops.database.write(
                time_entries.save_time_entry,
                data,
                entry_id,
                today=day_,
                reason=values.get("reason", ""),
            )

        result = edit_with_form(
            parent,
            title,
            form,
            save,
            ops=ops,
            changes=CHANGES,
            initial=initial_values(choices, stored, day_),
            intro=intro.format(name=choices.intern_name),
        )
        if result is not None and saved is not None:
            saved(result)

    ops.read(parent, _load, intern_id, entry_id, done=opened, failed=refusal(parent, ops, title))
