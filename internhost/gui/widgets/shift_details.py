"""A planned shift's details in the planner's side panel: its area, its on-site
supervisor (with whether they are 21 or older, which Illinois asks of a minor's
supervisor) and its planned tasks.

The panel only reports what HR chose (``changed`` with a ``Details``); the planner
makes it a draft of the selected shift and checks it live like a move. The choices
come from ``schedules.shift_choices`` for the shift's worksite.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from internhost.core.dto import ShiftChoices, SupervisorChoice

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
    return f"{m.name} ({'21 or older' if m.is_21_or_older else 'under 21'})"


class ShiftDetailsPanel(QWidget):
    """Area, supervisor and tasks of the selected shift."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.area = QComboBox()
        self.supervisor = QComboBox()
        self.tasks = QListWidget()
        self.tasks.setUniformItemSizes(True)
        rows = self.tasks.sizeHintForRow(0) if self.tasks.count() else 20
        self.tasks.setFixedHeight(rows * TASK_ROWS + 6)
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
        self.tasks.itemChanged.connect(self._changed)

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
        self.tasks.clear()
        for task in choices.tasks:
            item = QListWidgetItem(task.label)
            item.setData(Qt.ItemDataRole.UserRole, task.key)
            item.setToolTip(task.who_may)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.tasks.addItem(item)
        self.tasks.setFixedHeight(self.tasks.sizeHintForRow(0) * TASK_ROWS + 6)
        self._filling = False
        self.show_details(current)

    def show_details(self, details: Details) -> None:
        """Show a shift's details (no ``changed``)."""
        self._filling = True
        self.area.setCurrentIndex(max(0, self.area.findData(details.area_id)))
        self.supervisor.setCurrentIndex(
            max(0, self.supervisor.findData(details.supervisor_staff_id))
        )
        for row in range(self.tasks.count()):
            item = self.tasks.item(row)
            on = item.data(Qt.ItemDataRole.UserRole) in details.tasks
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self._filling = False

    def details(self) -> Details:
        checked = tuple(
            self.tasks.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.tasks.count())
            if self.tasks.item(row).checkState() == Qt.CheckState.Checked
        )
        return Details(self.area.currentData(), self.supervisor.currentData(), checked)

    def _changed(self, *_args: object) -> None:
        if not self._filling:
            self.changed.emit(self.details())
