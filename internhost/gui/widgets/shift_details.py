"""A planned shift's details in the planner's side panel: its area, its on-site
supervisor (with whether they are 21 or older, which Illinois asks of a minor's
supervisor) and its planned tasks.

The panel only reports what HR chose (``changed`` with a ``Details``); the planner
makes it a draft of the selected shift and checks it live like a move. The choices
come from ``schedules.shift_choices`` for the shift's worksite.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from internhost.core.dto import ShiftChoices, SupervisorChoice, TaskOption
from internhost.core.rules.ages import supervisor_rule
from internhost.gui.widgets.fields import FieldWidget

#: Rows of the task list shown without scrolling.
TASK_ROWS = 5


@dataclass(frozen=True)
class Details:
    """What a shift's details hold: area id, supervisor's staff id, task keys."""

    area_id: int | None
    supervisor_staff_id: int | None
    tasks: tuple[str, ...]


def supervisor_text(m: SupervisorChoice) -> str:
    """A supervisor as the picker names them, their age status in words."""
    age = supervisor_rule().params["min_age"]  # the packs' age, not the code's
    words = {True: f"{age} or older", False: f"under {age}", None: "age not attested"}
    return f"{m.name} ({words[m.is_21_or_older]})"


class TaskList(QListWidget):
    """The task catalog as check boxes, each with who may do it as its tooltip."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setUniformItemSizes(True)
        self.itemChanged.connect(lambda _item: self.changed.emit())

    def set_options(self, tasks: Sequence[TaskOption]) -> None:
        current = self.value()
        self.blockSignals(True)
        self.clear()
        for task in tasks:
            item = QListWidgetItem(task.label)
            item.setData(Qt.ItemDataRole.UserRole, task.key)
            item.setToolTip(task.who_may)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)
        self.setFixedHeight(self.sizeHintForRow(0) * TASK_ROWS + 6)
        self.blockSignals(False)
        self.set_value(current)

    def value(self) -> tuple[str, ...]:
        """The checked tasks' keys, in the catalog's order."""
        return tuple(
            self.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.count())
            if self.item(row).checkState() == Qt.CheckState.Checked
        )

    def set_value(self, keys: Sequence[str]) -> None:
        """Check ``keys`` (and scroll to the first of them)."""
        self.blockSignals(True)
        first = None
        for row in range(self.count()):
            item = self.item(row)
            on = item.data(Qt.ItemDataRole.UserRole) in keys
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            first = first or (item if on else None)
        self.blockSignals(False)
        if self.count():
            self.scrollToItem(first or self.item(0))


class TasksInput(FieldWidget):
    """A form's field over a ``TaskList``."""

    def __init__(self, tasks: Sequence[TaskOption]) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = TaskList()
        self.list.set_options(tasks)
        self.list.changed.connect(self.changed)
        layout.addWidget(self.list)

    def value(self) -> tuple[str, ...]:
        return self.list.value()

    def set_value(self, value: Any) -> None:
        self.list.set_value(tuple(value or ()))

    def editor(self) -> QWidget:
        return self.list


class ShiftDetailsPanel(QWidget):
    """Area, supervisor and tasks of the selected shift."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.area = QComboBox()
        self.supervisor = QComboBox()
        self.tasks = TaskList()
        for combo in (self.area, self.supervisor):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(6)
        form.addRow("Area", self.area)
        form.addRow("Supervisor", self.supervisor)
        form.addRow("Tasks", self.tasks)
        self._choices: ShiftChoices | None = None
        self._filling = False
        self.area.currentIndexChanged.connect(self._changed)
        self.supervisor.currentIndexChanged.connect(self._changed)
        self.tasks.changed.connect(self._changed)

    def set_choices(self, choices: ShiftChoices) -> None:
        """The worksite's areas, the staff and the task catalog to pick from."""
        if choices == self._choices:
            return
        self._choices = choices
        current = self.details()
        self._filling = True
        self.area.clear()
        self.area.addItem("No area", None)
        for area_id, name in choices.areas:
            self.area.addItem(name, area_id)
        self.supervisor.clear()
        self.supervisor.addItem("No supervisor named", None)
        for m in choices.supervisors:
            self.supervisor.addItem(supervisor_text(m), m.id)
        self.tasks.set_options(choices.tasks)
        self._filling = False
        self.show_details(current)

    def show_details(self, details: Details) -> None:
        """Show a shift's details (no ``changed``)."""
        self._filling = True
        self.area.setCurrentIndex(max(0, self.area.findData(details.area_id)))
        self.supervisor.setCurrentIndex(
            max(0, self.supervisor.findData(details.supervisor_staff_id))
        )
        self.tasks.set_value(details.tasks)
        self._filling = False

    def details(self) -> Details:
        checked = self.tasks.value()
        return Details(self.area.currentData(), self.supervisor.currentData(), checked)

    def _changed(self, *_args: object) -> None:
        if not self._filling:
            self.changed.emit(self.details())
