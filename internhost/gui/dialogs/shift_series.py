"""A recurring pattern of shifts ("Mon/Wed 15:30–17:30 for the term"): weekdays,
times, from and until (the placement's dates by default), every how many weeks,
and whether the district's days without school are skipped.

While HR types, the dialog asks ``schedules.preview_series`` (a read, the last
answer kept) and shows how many shifts the pattern makes, which days it leaves out
and why (no school, a plant closure), and the findings the new shifts bring, those
that block saving marked. Save runs ``schedules.plan_series``: all or nothing.

When a finding blocks some days, the preview offers what the service allows in the
same one call: leave those days out (the preview then shows the days kept and those
left out, with why), or, when the decisions table lets HR override every blocking
finding, plan them all and override each with one written reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from internhost.core import dto
from internhost.core.errors import DomainError, ValidationError
from internhost.core.models.enums import WEEKDAYS
from internhost.core.services import schedules
from internhost.gui.dialogs.record import RecordDialog
from internhost.gui.formatting import short_date
from internhost.gui.ops import Ops
from internhost.gui.widgets.basics import label
from internhost.gui.widgets.fields import (
    ChoiceInput,
    Field,
    FieldForm,
    FieldWidget,
    check,
    choice,
    clock,
    day,
    text,
)
from internhost.gui.widgets.shift_details import TasksInput, supervisor_text
from internhost.gui.widgets.week_view import SYMBOLS, WEEKDAY_NAMES, details_of

PREVIEW_DELAY_MS = 300
#: Days named in the preview before "and N more".
DAYS_SHOWN = 12
#: The default pattern with no shift to repeat: after school, two days a week.
DEFAULT_DAYS = ("mon", "wed")
DEFAULT_START, DEFAULT_END = time(15, 30), time(17, 30)
#: What Save does with the days a finding blocks.
REFUSE, LEAVE_OUT, OVERRIDE = "refuse", "leave_out", "override"
BLOCKED_CHOICES = {
    REFUSE: "Plan nothing until the pattern is fixed",
    LEAVE_OUT: "Leave out the blocked days, plan the others",
    OVERRIDE: "Plan every day, overriding the findings with one reason",
}
OVERRIDE_HELP = (
    "Why these shifts may be worked anyway, in words HR and an inspector can read "
    "later; it is kept on each finding overridden."
)


class WeekdaysInput(FieldWidget):
    """Seven check boxes, Monday first; the value is the checked days' keys."""

    def __init__(self) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for key, name in zip(WEEKDAYS, WEEKDAY_NAMES, strict=True):
            box = QCheckBox(name)
            box.toggled.connect(self.changed)
            row.addWidget(box)
            self.boxes[key] = box
        row.addStretch(1)

    def value(self) -> tuple[str, ...]:
        return tuple(k for k, box in self.boxes.items() if box.isChecked())

    def set_value(self, value: Any) -> None:
        for key, box in self.boxes.items():
            box.setChecked(key in (value or ()))

    def editor(self) -> QWidget:
        return self.boxes["mon"]


@dataclass(frozen=True)
class _Defaults:
    """What the pattern starts from: the intern's row, the placement, the details."""

    lane: dto.PlanLane
    placement: dto.PlacementRow
    today: date


def first_day(start: date, weekdays: tuple[str, ...]) -> date:
    """The first day from ``start`` that is one of ``weekdays`` (``start`` if none)."""
    for n in range(7):
        day_ = start + timedelta(days=n)
        if WEEKDAYS[day_.weekday()] in weekdays:
            return day_
    return start


def series_form(choices: dto.ShiftChoices | None) -> FieldForm:
    specs: list[Field] = [
        Field("weekdays", "Days", WeekdaysInput),
        clock("start", "From", aliases=("shift.start", "shift.placement", "shift")),
        clock("end", "To", aliases=("shift.end", "shift.breaks")),
        day("first", "Starting"),
        day("until", "Until"),
        choice(
            "every_weeks",
            "Repeat",
            [(1, "Every week"), *((n, f"Every {n} weeks") for n in (2, 3, 4))],
        ),
        check(
            "skip_non_school_days",
            "School days",
            "Skip the district's days without school",
        ),
    ]
    if choices is not None:
        specs += [
            choice(
                "area_id",
                "Area",
                [(None, "No area"), *choices.areas],
                aliases=("shift.area",),
            ),
            choice(
                "supervisor_staff_id",
                "Supervisor",
                [
                    (None, "No supervisor named"),
                    *((m.id, supervisor_text(m)) for m in choices.supervisors),
                ],
                aliases=("shift.supervisor_staff", "shift.supervisor_21_or_older"),
            ),
            Field("tasks", "Tasks", lambda: TasksInput(choices.tasks), aliases=("shift.tasks",)),
        ]
    return FieldForm(specs)


def decision_form() -> FieldForm:
    """What to do with the days a finding blocks, atop the preview (shown only
    when a finding blocks some)."""
    return FieldForm(
        [
            choice(
                "blocked",
                "Blocked days",
                [(REFUSE, BLOCKED_CHOICES[REFUSE])],
                aliases=("leave_out_blocked",),
            ),
            text("override_reason", "Reason", multiline=True, help=OVERRIDE_HELP),
        ]
    )


def save_options(values: dict[str, Any]) -> dict[str, Any]:
    """``plan_series``'s options from the decision form's values."""
    if values["blocked"] == LEAVE_OUT:
        return {"leave_out_blocked": True}
    if values["blocked"] == OVERRIDE:
        return {"override_reason": values["override_reason"]}
    return {}


def series_input(values: dict[str, Any], defaults: _Defaults) -> schedules.SeriesInput:
    """The service's pattern from the form: the first shift on the first chosen
    weekday from "Starting" (details the form lacks: the intern's last shift's)."""
    weekdays = tuple(values["weekdays"])
    start_day = first_day(values["first"] or defaults.today, weekdays)
    base = details_of(defaults.lane.shifts[-1] if defaults.lane.shifts else None)
    shift = schedules.ShiftInput(
        placement_id=defaults.placement.id,
        start=datetime.combine(start_day, values["start"]),
        end=datetime.combine(start_day, values["end"]),
        area_id=values.get("area_id", base.area_id),
        supervisor_staff_id=values.get("supervisor_staff_id", base.supervisor_staff_id),
        tasks=values.get("tasks", base.tasks),
    )
    return schedules.SeriesInput(
        shift,
        weekdays,
        values["until"],
        every_weeks=values["every_weeks"],
        skip_non_school_days=values["skip_non_school_days"],
    )


def preview_text(preview: dto.SeriesPreview, overriding: bool = False) -> str:
    """The preview in words: the shifts made, the days skipped and why, the days a
    finding keeps out, the findings (``overriding``: those blocking are overridden)."""
    n = len(preview.days)
    shown = ", ".join(short_date(d) for d in preview.days[:DAYS_SHOWN])
    more = f" and {n - DAYS_SHOWN} more" if n > DAYS_SHOWN else ""
    lines = [f"Makes {n} shift{'s' if n != 1 else ''}: {shown}{more}."]
    if preview.skipped:
        lines.append(f"Skips {len(preview.skipped)} day{'s' if len(preview.skipped) != 1 else ''}:")
        lines += [f"  {short_date(d)} — {why}" for d, why in preview.skipped]
    else:
        lines.append("Skips no day.")
    if preview.left_out:
        k = len(preview.left_out)
        lines.append(f"Leaves out {k} blocked day{'s' if k != 1 else ''}:")
        lines += [
            f"  {SYMBOLS['violation']} {short_date(d)} — {why}" for d, why in preview.left_out
        ]
    if preview.findings:
        lines.append("Findings:")
        mark = " — overridden on saving" if overriding else " — blocks saving"
        for on, f in preview.findings:
            where = f"{short_date(on)}: " if on else ""
            blocks = mark if f.blocks_plan else ""
            lines.append(f"  {SYMBOLS[f.severity]} {where}{f.message} [{f.citation}]{blocks}")
    else:
        lines.append("No findings: the rules allow every shift.")
    return "\n".join(lines)


class SeriesDialog(RecordDialog):
    """The pattern's form above its live preview and, when a finding blocks some
    days, what to do with them; Save plans it."""

    def __init__(
        self,
        ops: Ops,
        defaults: _Defaults,
        choices: dto.ShiftChoices | None,
        parent: QWidget | None = None,
    ) -> None:
        form = series_form(choices)
        decision = decision_form()
        preview = QLabel()
        preview.setWordWrap(True)
        preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(form)
        column.addWidget(label("Preview", "heading"))
        column.addWidget(decision)  # above the preview's text, which may run long
        column.addWidget(preview)
        column.addStretch(1)
        super().__init__(
            "Recurring shifts",
            body,
            lambda: (series_input(form.values(), defaults), save_options(decision.values())),
            lambda data: ops.database.write(
                schedules.plan_series, data[0], today=defaults.today, **data[1]
            ),
            lambda errors: decision.show_errors(form.show_errors(errors)),
            parent,
            ops=ops,
            changes={"shift", "finding"},
            intro=f"{defaults.lane.name}: shifts on the chosen days, each checked like one "
            "drawn in the planner.",
        )
        self.form, self.decision, self.preview = form, decision, preview
        self.defaults = defaults
        #: What the last preview was asked for (the pattern, leaving blocked days out).
        self._asked: tuple[schedules.SeriesInput, bool] | None = None
        self._may_override = False
        self._shown: dto.SeriesPreview | None = None
        placement = defaults.placement
        last = defaults.lane.shifts[-1] if defaults.lane.shifts else None
        self.form.set_values(
            {
                "weekdays": (WEEKDAYS[last.start.weekday()],) if last else DEFAULT_DAYS,
                "start": last.start.time() if last else DEFAULT_START,
                "end": last.end.time() if last else DEFAULT_END,
                "first": max(placement.start_date, defaults.today),
                "until": placement.end_date,
                "every_weeks": 1,
                "skip_non_school_days": True,
                "area_id": last.area_id if last else None,
                "supervisor_staff_id": last.supervisor_staff_id if last else None,
                "tasks": last.tasks if last else (),
            }
        )
        self._show_decision(blocked=False)
        self._timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.ask_preview)
        self.form.changed.connect(self._timer.start)
        self.decision.input("blocked").changed.connect(self._blocked_changed)
        self.resize(640, 720)
        self.ask_preview()

    @property
    def blocked_choice(self) -> str:
        return self.decision.input("blocked").value() or REFUSE

    def ask_preview(self) -> None:
        """Ask what the pattern as typed would plan (nothing is saved)."""
        self._timer.stop()
        try:
            data = series_input(self.form.values(), self.defaults)
        except ValidationError as exc:
            self._asked = self._shown = None
            self.preview.setText("\n".join(e.message for e in exc.errors))
            return
        leave_out = self.blocked_choice == LEAVE_OUT
        if (data, leave_out) == self._asked:
            if self._shown is not None:  # overriding or not: the same findings, worded
                self.preview.setText(preview_text(self._shown, self.blocked_choice == OVERRIDE))
            return
        self._asked = (data, leave_out)
        self.preview.setText("Checking…")
        self.ops.read(
            self,
            schedules.preview_series,
            data,
            today=self.defaults.today,
            leave_out_blocked=leave_out,
            done=self.show_preview,
            failed=self.ops.expected(self, self._cannot_preview),
            latest="series",
        )

    def show_preview(self, preview: dto.SeriesPreview) -> None:
        self._shown = preview
        if self.blocked_choice != LEAVE_OUT:  # a preview leaving days out blocks none
            self._may_override = preview.may_override
        self.preview.setText(preview_text(preview, self.blocked_choice == OVERRIDE))
        self._show_decision(blocked=preview.blocked or bool(preview.left_out))

    def _show_decision(self, *, blocked: bool) -> None:
        """The choice for the blocked days while some are, with what the table allows:
        overriding only when every blocking finding may be overridden."""
        chooser = self.decision.input("blocked")
        assert isinstance(chooser, ChoiceInput)
        options = [REFUSE, LEAVE_OUT] + ([OVERRIDE] if self._may_override else [])
        wanted = self.blocked_choice if blocked and self.blocked_choice in options else REFUSE
        chooser.blockSignals(True)
        chooser.set_options([(key, BLOCKED_CHOICES[key]) for key in options])
        chooser.set_value(wanted)
        chooser.blockSignals(False)
        self.decision.set_row_visible("blocked", blocked)
        self.decision.set_row_visible("override_reason", blocked and wanted == OVERRIDE)

    def _blocked_changed(self) -> None:
        choice_ = self.blocked_choice
        self.decision.set_row_visible("override_reason", choice_ == OVERRIDE)
        if choice_ == OVERRIDE:
            self.decision.input("override_reason").editor().setFocus()
        self.ask_preview()

    def _cannot_preview(self, exc: BaseException) -> None:
        self._asked = self._shown = None
        if isinstance(exc, ValidationError):
            problems = "\n".join(e.message for e in exc.errors)  # each names its day
            self.preview.setText(f"This pattern cannot be planned:\n{problems}")
        elif isinstance(exc, DomainError):
            self.preview.setText(str(exc))


def series_dialog(
    parent: QWidget,
    ops: Ops,
    lane: dto.PlanLane,
    placement: dto.PlacementRow,
    choices: dto.ShiftChoices | None,
) -> dto.SeriesResult | None:
    """Open the pattern dialog for ``lane``'s intern; the saved series, or None."""
    dialog = SeriesDialog(ops, _Defaults(lane, placement, ops.today()), choices, parent)
    result: dto.SeriesResult | None = dialog.run()
    return result
