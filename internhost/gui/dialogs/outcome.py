"""How a placement ended: completed (exit reflection, the mentor's closing notes,
next steps, whether it counts toward the Career Development Experience) or ended
early (its reason and the notice of concerns sent to the school). Saving sets the
placement's status (``outcomes.save_outcome``). A mentor writes the closing notes
alone, once HR recorded the end."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from internhost.core.dto_progress import OutcomeRow, ProgressOverview
from internhost.core.services import outcomes
from internhost.gui.dialogs.record import edit_with_form
from internhost.gui.ops import Ops
from internhost.gui.views.progress_tab import placement_choices
from internhost.gui.widgets import fields as f
from internhost.gui.widgets.basics import button

CHANGES = {"progress", "placement"}
CDE_CHOICES = ((None, "Not decided yet"), (True, "Counts"), (False, "Does not count"))
KIND_CHOICES = (("completed", "Completed"), ("terminated", "Ended early"))
TERMINATION_FIELDS = ("termination_reason", "concerns_notice_sent_on")
COMPLETION_FIELDS = ("exit_reflection", "next_steps", "counts_toward_cde")


class _AddLine(QLineEdit):
    """A line whose Enter adds what it holds (``returnPressed``) and goes no further:
    it never presses the dialog's Save."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.returnPressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class StepsInput(f.FieldWidget):
    """An editable list of next steps: the shipped choices and any typed, each ticked
    or not (Space ticks the current one); ``value()`` is the ticked ones in order."""

    def __init__(self, choices: Sequence[str]) -> None:
        super().__init__()
        self.list = QListWidget()
        self.list.setMaximumHeight(130)
        self.list.itemChanged.connect(lambda _item: self.changed.emit())
        self.other = _AddLine()
        self.other.setPlaceholderText("Another next step")
        self.other.returnPressed.connect(self.add_other)
        add = button("Add", "secondary", self.add_other)
        add.setAutoDefault(False)
        row = QHBoxLayout()
        row.addWidget(self.other, 1)
        row.addWidget(add)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(row)
        for text in choices:
            self._item(text, False)

    def _item(self, text: str, ticked: bool) -> QListWidgetItem:
        for i in range(self.list.count()):
            found = self.list.item(i)
            if found.text().casefold() == text.casefold():
                found.setCheckState(Qt.CheckState.Checked if ticked else found.checkState())
                return found
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.list.addItem(item)
        return item

    def add_other(self) -> None:
        text = self.other.text().strip()
        if text:
            self.list.setCurrentItem(self._item(text, True))
            self.other.clear()

    def value(self) -> tuple[str, ...]:
        items = (self.list.item(i) for i in range(self.list.count()))
        return tuple(i.text() for i in items if i.checkState() == Qt.CheckState.Checked)

    def set_value(self, value: Any) -> None:
        for i in range(self.list.count()):
            self.list.item(i).setCheckState(Qt.CheckState.Unchecked)
        for text in value or ():
            self._item(text, True)

    def editor(self) -> QWidget:
        return self.list


def outcome_form(data: ProgressOverview) -> f.FieldForm:
    form = f.FieldForm(
        [
            f.choice("placement_id", "Placement", placement_choices(data)),
            f.choice("kind", "How it ended", KIND_CHOICES),
            f.day("ended_on", "Last day"),
            f.text("termination_reason", "Reason", multiline=True),
            f.day(
                "concerns_notice_sent_on",
                "Notice of concerns",
                help="When the school got the notice of concerns (empty: not sent yet).",
            ),
            f.text("exit_reflection", "Exit reflection", multiline=True),
            f.text("mentor_notes", "Mentor's closing notes", multiline=True),
            f.Field(
                "next_steps",
                "Next steps",
                lambda: StepsInput(outcomes.next_step_choices()),
                help="Toward college and career: tick those that apply, or add another.",
            ),
            f.choice(
                "counts_toward_cde",
                "Career Development Experience",
                CDE_CHOICES,
                help="Whether the school counts this placement toward the student's CDE.",
            ),
        ]
    )

    def follow_kind() -> None:
        ended_early = form.input("kind").value() == "terminated"
        for name in TERMINATION_FIELDS:
            form.set_row_visible(name, ended_early)
        for name in COMPLETION_FIELDS:
            form.set_row_visible(name, not ended_early)

    form.input("kind").changed.connect(follow_kind)
    follow_kind()
    return form


def _input(values: dict[str, Any]) -> outcomes.OutcomeInput:
    """The form's values; those of the other ending are left out."""
    if values["kind"] == "terminated":
        values = {**values, "exit_reflection": "", "next_steps": (), "counts_toward_cde": None}
    else:
        values = {**values, "termination_reason": "", "concerns_notice_sent_on": None}
    return outcomes.OutcomeInput(**values)


def open_outcome(parent: QWidget, ops: Ops, data: ProgressOverview) -> Any:
    form = outcome_form(data)
    today = ops.today()

    def save(values: dict[str, Any]) -> OutcomeRow:
        return ops.database.write(outcomes.save_outcome, _input(values), today=today)

    newest = data.placements[-1]
    stored = next((o for o in data.outcomes if o.placement_id == newest.id), None)
    initial: dict[str, Any] = (
        {name: getattr(stored, name) for name in outcomes.OutcomeInput.__dataclass_fields__}
        if stored is not None
        else {"placement_id": newest.id, "kind": "completed", "ended_on": newest.end_date or today}
    )
    return edit_with_form(
        parent,
        "Complete or end the placement",
        form,
        save,
        ops=ops,
        changes=CHANGES,
        initial=initial,
        intro="Saving sets the placement's status: completed, or terminated (ended early).",
    )


def open_closing_notes(parent: QWidget, ops: Ops, stored: OutcomeRow) -> Any:
    form = f.FieldForm([f.text("mentor_notes", "Closing notes", multiline=True)])
    today = ops.today()
    base = outcomes.OutcomeInput(
        **{name: getattr(stored, name) for name in outcomes.OutcomeInput.__dataclass_fields__}
    )

    def save(values: dict[str, Any]) -> OutcomeRow:
        data = replace(base, mentor_notes=values["mentor_notes"])
        return ops.database.write(outcomes.save_outcome, data, today=today)

    return edit_with_form(
        parent,
        "Closing notes",
        form,
        save,
        ops=ops,
        changes=CHANGES,
        initial={"mentor_notes": stored.mentor_notes},
        intro="Your closing notes on the placement, for the completion certificate and "
        "reference letter.",
    )
