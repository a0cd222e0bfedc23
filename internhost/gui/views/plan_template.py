"""The Onboarding plan screen: the template every new placement's practical plan is
copied from (before day one, day one, the first weeks), each step with its owner and
a due date counted from the placement's start.

HR edits the steps in a table (add, remove, move, change phase, owner and due), then
saves through ``plans.save_template``; its errors show under the table naming the row
("Row 3, title: is required"). Revert reads the stored template again; Reset to
default brings back the shipped steps. Other roles read the same steps in a plain
table. A save changes the plans of placements created afterwards only: the screen
says so, since plans already copied stay as they were.

Reads and saves run on the database worker (``gui.ops``). The screen reads again when
a write announces "plan", except while it holds edits not saved: those are the
user's until saved or reverted.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtWidgets import (
    QHBoxLayout,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from internhost.core.actor import Permission
from internhost.core.errors import ValidationError
from internhost.core.models.enums import OWNER_ROLES, PLAN_PHASES
from internhost.core.services import plans
from internhost.gui.models.columns import Column, RowsModel
from internhost.gui.ops import Ops
from internhost.gui.widgets import fields as f
from internhost.gui.widgets.basics import PAGE_MARGIN, Card, button, label, shown
from internhost.gui.widgets.refreshing import Refreshing
from internhost.gui.widgets.tables import fit_columns, plain_table

PHASE_LABELS = {
    "before_day_one": "Before day one",
    "day_one": "Day one",
    "first_weeks": "First weeks",
}
OWNER_LABELS = {
    "hr": "HR",
    "mentor": "Mentor",
    "supervisor": "Supervisor",
    "school": "School",
    "guardian": "Parent or guardian",
    "intern": "Intern",
}
INTRO = (
    "The practical steps each new placement gets beside its legal checklist: what to "
    "prepare before day one, what happens on day one, and the first weeks. Each step has "
    "an owner and a due date counted from the placement's start; open steps show on the "
    "dashboard as they come due."
)
SCOPE = (
    "Changes apply to placements created after you save. Placements that already exist "
    "keep the plan they were given."
)
READ_ONLY_SCOPE = "Each placement gets a copy of these steps when it is created; HR edits the plan."
COLUMNS: tuple[Column[plans.PlanStepInput], ...] = (
    Column("Phase", lambda r: PHASE_LABELS.get(r.phase, r.phase), sample="Before day one"),
    Column(
        "Step",
        lambda r: r.title,
        sample="First-day agenda sent to the intern and guardian",
        long=True,
    ),
    Column("Owner", lambda r: OWNER_LABELS.get(r.owner_role, r.owner_role), sample="Supervisor"),
    Column("Due", lambda r: f.days_from_start(r.due_offset_days), sample="10 days before start"),
)
#: The editor's columns: (phase, title, owner, due, id) per row.
CELLS = (
    f.Cell("Phase", "choice", tuple((p, PHASE_LABELS[p]) for p in PLAN_PHASES), width=160),
    f.Cell("Step"),
    f.Cell("Owner", "choice", tuple((o, OWNER_LABELS[o]) for o in OWNER_ROLES), width=170),
    f.Cell("Due", "days", width=210, span=(plans.EARLIEST_DUE, plans.LATEST_DUE)),
    f.Cell("id", "key"),
)


def _new_row(above: tuple[Any, ...] | None) -> tuple[Any, ...]:
    """A new step takes the phase, owner and due of the step it is added below."""
    if above is None:
        return (PLAN_PHASES[0], "", "hr", 0, None)
    phase, _title, owner, due, _id = above
    return (phase, "", owner, due, None)


def _summary(steps: tuple[plans.PlanStepInput, ...]) -> str:
    counts = Counter(s.phase for s in steps)
    parts = [f"{counts[p]} {PHASE_LABELS[p].lower()}" for p in PLAN_PHASES if counts[p]]
    noun = "step" if len(steps) == 1 else "steps"
    return f"{len(steps)} {noun}" + (f" · {', '.join(parts)}" if parts else "")


class PlanTemplateView(Refreshing, QWidget):
    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.ops = ops
        self.may_edit = ops.actor.can(Permission.EDIT_RECORDS)
        self.template: plans.PlanTemplateForm | None = None
        self.dirty = False
        #: A save or reset of this screen's is under way (its answer shows its result).
        self.writing = False

        self.count = label(role="muted")
        self.form = f.FieldForm(
            [
                f.table(
                    "items",
                    "",
                    CELLS,
                    add_text="Add step",
                    min_rows=8,
                    movable=True,
                    new_row=_new_row,
                )
            ]
        )
        self.steps: f.TableInput = self.form.input("items")  # type: ignore[assignment]
        self.form.layout_.setHorizontalSpacing(0)  # no caption: the card holds only the steps
        table = self.steps.table
        table.verticalHeader().show()  # "Row 3" in an error is the third number here
        self.form.changed.connect(self._edited)

        self.model: RowsModel[plans.PlanStepInput] = RowsModel(COLUMNS, self)
        self.list = plain_table()
        self.list.setObjectName("planSteps")
        self.list.setModel(self.model)
        fit_columns(self.list, COLUMNS)

        self.body = QStackedWidget()
        self.body.addWidget(self.form)
        self.body.addWidget(self.list)
        self.body.setCurrentWidget(self.form if self.may_edit else self.list)
        card = Card(margins=18)
        card.body.addWidget(self.body, 1)

        self.status = label(role="muted", wrap=True)
        self.banner = label(role="error", wrap=True)
        self.banner.setObjectName("banner")
        self.banner.hide()
        self.reset_button = button("Reset to default…", "secondary", self.reset_to_default)
        self.revert_button = button("Revert", "secondary", self.revert)
        self.save_button = button("Save", "primary", self.save)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.status, 1)
        actions.addWidget(self.reset_button)
        actions.addWidget(self.revert_button)
        actions.addWidget(self.save_button)
        for widget in (self.reset_button, self.revert_button, self.save_button):
            shown(widget, self.may_edit)

        top = QHBoxLayout()
        top.addWidget(label("Onboarding plan", "title"))
        top.addSpacing(10)
        top.addWidget(self.count)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(PAGE_MARGIN, 20, PAGE_MARGIN, 20)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(label(INTRO, "muted", wrap=True))
        self.scope = label(SCOPE if self.may_edit else READ_ONLY_SCOPE, wrap=True)
        layout.addWidget(self.scope)
        layout.addWidget(self.banner)
        layout.addWidget(card, 1)
        layout.addLayout(actions)
        self._set_dirty(False)
        self.status.setText("Loading…")
        self.follow(ops, {"plan"})
        self.refresh()

    # -- reading -------------------------------------------------------------------

    def load(self) -> None:
        """Read the template again, unless it holds edits not yet saved (showing the
        screen again must not throw them away; Revert does) or is saving them."""
        if not self.dirty and not self.writing:
            self._read(self._loaded)

    def unsaved_edits(self) -> bool:
        """Whether leaving the screen would leave edits unsaved (the main window asks)."""
        return self.dirty

    def discard_edits(self) -> None:
        self.revert()

    def revert(self) -> None:
        """Read the stored template, and show it in place of any edits."""
        self._read(self._reverted)

    def _read(self, done: Any) -> None:
        self.ops.read(
            self,
            plans.template_for_edit,
            done=done,
            failed=self.ops.expected(self, lambda exc: self._show_banner(str(exc))),
            latest="template",
        )

    def _loaded(self, template: plans.PlanTemplateForm) -> None:
        if not self.dirty:  # edits begun while it was read stay
            self._reverted(template)

    def _reverted(self, template: plans.PlanTemplateForm) -> None:
        self._show(template)
        self.status.setText("" if template.stored else "The default plan (not changed yet).")

    def _show(self, template: plans.PlanTemplateForm) -> None:
        self.template = template
        self.model.set_rows(template.steps)
        self.steps.set_value(
            [(s.phase, s.title, s.owner_role, s.due_offset_days, s.id) for s in template.steps]
        )
        self.form.clear_errors()
        self.banner.hide()
        self.count.setText(_summary(template.steps))
        self._set_dirty(False)

    def _edited(self) -> None:
        if not self.dirty:
            self._set_dirty(True)
            self.status.setText("Unsaved changes.")

    def _set_dirty(self, dirty: bool) -> None:
        self.dirty = dirty
        self.save_button.setEnabled(dirty and not self.writing)
        self.revert_button.setEnabled(dirty and not self.writing)

    # -- writing -------------------------------------------------------------------

    def edited_steps(self) -> list[plans.PlanStepInput]:
        """The table's rows as the service takes them (blank rows dropped first, so
        the rows are numbered as its errors number them)."""
        self.steps.drop_blank_rows()
        return [
            plans.PlanStepInput(phase, title, owner, due, step_id)
            for phase, title, owner, due, step_id in self.steps.value()
        ]

    def save(self) -> None:
        """Save the table's steps on the worker (a second click meanwhile does nothing)."""
        if self.writing:
            return
        self._write(plans.save_template, self.edited_steps(), done=self._saved)

    def _write(self, service: Any, *args: Any, done: Any) -> None:
        self.writing = True
        self._set_dirty(self.dirty)  # Save and Revert wait for the answer
        self.ops.write(
            self,
            service,
            *args,
            changes={"plan"},
            done=lambda template: self._written(done, template),
            failed=self.ops.expected(self, self._refused),
        )

    def _written(self, done: Any, template: plans.PlanTemplateForm) -> None:
        self.writing = False
        self._show(template)
        done(template)

    def _saved(self, saved: plans.PlanTemplateForm) -> None:
        self.status.setText(
            f"Saved {_summary(saved.steps)}. Placements created from now on get this plan."
        )

    def _refused(self, exc: BaseException) -> None:
        self.writing = False
        self._set_dirty(self.dirty)
        if isinstance(exc, ValidationError):
            elsewhere = self.form.show_errors(exc.errors)
            self.banner.setVisible(bool(elsewhere))
            self.banner.setText("\n".join(f.human(e) for e in elsewhere))
            self.status.setText("Not saved: fix what is marked below the table.")
        else:
            self._show_banner(str(exc))

    def reset_to_default(self) -> None:
        answer = QMessageBox.question(
            self,
            "Reset the onboarding plan",
            "Replace the plan's steps with the default plan InternHost ships with? "
            "Your own steps are removed. Placements that already exist keep their plans.",
        )
        if answer != QMessageBox.StandardButton.Yes or self.writing:
            return
        self._write(
            plans.reset_template_to_default,
            done=lambda _template: self.status.setText(
                "The default plan is back. Placements created from now on get it."
            ),
        )

    def _show_banner(self, text: str) -> None:
        self.banner.setText(text[:1].upper() + text[1:])
        self.banner.show()
