"""The intern detail's Plan tab: each placement's onboarding plan, step by step.

It lists the ``PlanDue`` rows ``onboarding.list_plan_items`` built for the reader
(phase, step, owner, due date, status, who completed it when) and ticks the selected
step done or open again, with a note, through ``onboarding.update_plan_item`` on the
database worker. Whether the reader may tick a step is the row's ``may_tick`` (HR
every step, a mentor their own): the buttons follow it, and should a tick get through
anyway the service refuses and the box says why. The write announces "plan"; the
interns view reads the intern again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, Signal
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QStackedWidget, QVBoxLayout, QWidget

from internhost.core.dto import PlanDue
from internhost.core.errors import NotFound, PermissionDenied, ValidationError
from internhost.core.services import onboarding
from internhost.gui.errors import report
from internhost.gui.formatting import relative_days, short_date
from internhost.gui.models.columns import RowsModel
from internhost.gui.models.compliance_models import owner_word
from internhost.gui.models.plan_models import (
    PLAN_PLACEMENT_COLUMN,
    completed_text,
    phase_word,
    plan_columns,
)
from internhost.gui.theme import set_role
from internhost.gui.views.compliance import DetailsBox, TablePage, _empty_state, _table
from internhost.gui.widgets.basics import button, label

if TYPE_CHECKING:
    from internhost.gui.ops import Ops

NO_PLAN = "No onboarding plan yet: a placement brings one."
READ_ONLY = "Only HR and the step's owner tick this step."
NOTE_HEIGHT = 44


class PlanStepEditor(QWidget):
    """One step: what it is, its note, and the buttons to tick it or save the note."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step: PlanDue | None = None
        self.title = label(role="heading", wrap=True)
        self.meta = label(role="muted", wrap=True)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText("A note on this step (optional)")
        self.note_edit.setFixedHeight(NOTE_HEIGHT)
        self.note_edit.setTabChangesFocus(True)
        self.error = label(role="error", wrap=True)
        self.read_only = label(READ_ONLY, "muted", wrap=True)
        self.tick_button = button("Mark done", "primary", lambda: None)
        self.save_note_button = button("Save note", "secondary", lambda: None)
        self.revert_button = button("Revert", "secondary", lambda: None)
        # What the step is on the left, its note and buttons on the right: short
        # enough to show whole under the table's first rows.
        about = QVBoxLayout()
        about.setSpacing(6)
        for text in (self.title, self.meta, self.read_only, self.error):
            about.addWidget(text)
        about.addStretch(1)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addStretch(1)
        for widget in (self.revert_button, self.save_note_button, self.tick_button):
            buttons.addWidget(widget)
        edit = QVBoxLayout()
        edit.setSpacing(4)
        edit.addWidget(self.note_edit)
        edit.addLayout(buttons)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(16)
        row.addLayout(about, 3)
        row.addLayout(edit, 2)

    def show_step(self, step: PlanDue, today: date, placement: str | None) -> None:
        self.step = step
        self.title.setText(step.title)
        meta = [phase_word(step.phase), f"Owner: {owner_word(step.owner)}"]
        if step.due_date is not None:
            due = f"due {short_date(step.due_date)}"
            if step.overdue:
                due += f" (overdue, {relative_days(step.due_date, today)})"
            meta.append(due)
        if step.status == "done":
            meta.append(f"done: {completed_text(step)}")
        if placement:
            meta.append(f"placement {placement}")
        self.meta.setText(" · ".join(meta))
        set_role(self.meta, "error" if step.overdue else "muted")
        self.tick_button.setText("Reopen" if step.status == "done" else "Mark done")
        for widget in (self.tick_button, self.save_note_button, self.revert_button):
            widget.setVisible(step.may_tick)
        self.note_edit.setReadOnly(not step.may_tick)
        self.read_only.setVisible(not step.may_tick)
        self.revert()

    def revert(self) -> None:
        if self.step is not None:
            self.note_edit.setPlainText(self.step.note or "")
        self.clear_error()

    def note(self) -> str:
        return self.note_edit.toPlainText()

    def dirty(self) -> bool:
        return self.step is not None and self.note() != (self.step.note or "")

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


class PlanTab(QStackedWidget):
    """The plan's steps above the selected step's box; an empty state."""

    saved = Signal(object)
    """A ``PlanDue`` was saved (the screen showing it reads it again)."""
    reverted = Signal()
    """The note's edits were dropped (the stored step shows again)."""

    def __init__(self, ops: Ops | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.saving = False
        self.today = date.today()
        self.placements: dict[int, str] = {}
        #: The steps shown, in order.
        self.steps: tuple[PlanDue, ...] = ()
        self.empty = _empty_state(NO_PLAN)
        self.addWidget(self.empty)

        self.model: RowsModel[PlanDue] = RowsModel(plan_columns(self.today, {}), self)
        self.table = _table(self.model)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.summary = label(role="muted")

        self.editor = PlanStepEditor()
        self.editor.tick_button.clicked.connect(self.tick)
        self.editor.save_note_button.clicked.connect(self.save_note)
        self.editor.revert_button.clicked.connect(self._revert)
        self.editor.note_edit.textChanged.connect(self._edited)
        self.details_box = DetailsBox(self.editor)

        page = TablePage(self.table, self.details_box, 8)
        page.column.addWidget(self.summary)
        page.column.addWidget(self.table, 1)
        page.column.addSpacing(2)
        page.column.addWidget(self.details_box)
        self.table_page = page
        self.addWidget(page)

    # -- filling -------------------------------------------------------------------

    def set_steps(
        self,
        steps: Sequence[PlanDue],
        today: date,
        placements: Mapping[int, str],
        *,
        select_id: int | None = None,
    ) -> None:
        """Show the steps; ``placements`` (id -> dates) names them when they come from
        several."""
        self.today = today
        self.placements = dict(placements)
        self.model.columns = plan_columns(today, self.placements)
        self.steps = tuple(steps)
        self.model.set_rows(self.steps)
        # The placement is named only when the steps come from more than one.
        planned = {p.placement_id for p in steps}
        self.table.setColumnHidden(PLAN_PLACEMENT_COLUMN, len(planned) < 2)
        done = sum(p.status == "done" for p in steps)
        overdue = sum(p.overdue for p in steps)
        parts = [f"{len(steps)} steps", f"{done} done"]
        if overdue:
            parts.append(f"{overdue} overdue")
        mine = sum(p.may_tick for p in steps)
        if 0 < mine < len(steps):
            parts.append(f"{mine} yours to tick")
        self.summary.setText(" · ".join(parts))
        if not steps:
            self.setCurrentWidget(self.empty)
            return
        self.setCurrentWidget(self.table_page)
        ids = [p.item_id for p in steps]
        self.table.selectRow(ids.index(select_id) if select_id in ids else 0)

    def selected(self) -> PlanDue | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        step = self.selected()
        self.details_box.setEnabled(step is not None)
        if step is None:
            self.editor.step = None
            return
        self.editor.show_step(step, self.today, self.placements.get(step.placement_id))
        self._edited()

    # -- editing -------------------------------------------------------------------

    def _edited(self) -> None:
        dirty = self.editor.dirty() and not self.saving
        self.editor.save_note_button.setEnabled(dirty)
        self.editor.revert_button.setEnabled(dirty)
        self.editor.tick_button.setEnabled(not self.saving)

    def _revert(self) -> None:
        self.editor.revert()
        self._edited()
        self.reverted.emit()

    def unsaved_edits(self) -> bool:
        """Whether the note holds edits not saved, nor on their way to be."""
        return self.editor.dirty() and not self.saving

    def tick(self) -> None:
        """Tick the selected step done (or open it again), with the note as typed."""
        step = self.editor.step
        if step is not None:
            self._write(step, done=step.status != "done")

    def save_note(self) -> None:
        step = self.editor.step
        if step is not None:
            self._write(step, done=step.status == "done")

    def _write(self, step: PlanDue, *, done: bool) -> None:
        if self.ops is None or self.saving:
            return
        self.editor.clear_error()
        self._set_saving(True)
        # ``done`` is also the name of ``write``'s callback: it goes with the service.
        self.ops.write(
            self,
            partial(onboarding.update_plan_item, done=done),
            step.item_id,
            note=self.editor.note(),
            today=self.today,
            changes={"plan"},
            done=self._saved,
            failed=self._refused,
        )

    def _set_saving(self, saving: bool) -> None:
        self.saving = saving
        self._edited()

    def _saved(self, saved: PlanDue) -> None:
        self.editor.step = saved  # what the note holds is stored now
        self._set_saving(False)
        self.saved.emit(saved)

    def _refused(self, exc: BaseException) -> None:
        self._set_saving(False)
        if isinstance(exc, ValidationError):
            self.editor.show_error(" ".join(f"Note {e.message}." for e in exc.errors))
        elif isinstance(exc, PermissionDenied):
            self.editor.show_error(f"Not saved: {exc}.")
        elif isinstance(exc, NotFound):
            self.editor.show_error("Not saved: this step no longer exists.")
        else:  # a locked or broken database: say so, keep the note
            self.editor.show_error(f"Not saved. {report(exc)}")
