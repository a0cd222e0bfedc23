"""A planned shift's details in the planner's side panel: its area, its on-site
supervisor (with whether they are 21 or older, which Illinois asks of a minor's
supervisor), its planned tasks and its unpaid breaks.

The panel only reports what HR chose (``changed`` with a ``Details``); the planner
makes it a draft of the selected shift and checks it live like a move. The choices
come from ``schedules.shift_choices`` for the shift's worksite. Breaks are typed as
times of the shift's day (one after midnight belongs to an overnight shift's next
day); a time that does not parse is said beside the list and reported to no one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from internhost.core.dto import ShiftChoices, SupervisorChoice, TaskOption
from internhost.core.rules.ages import supervisor_rule
from internhost.gui.widgets.basics import label
from internhost.gui.widgets.fields import Cell, FieldWidget, TableInput

#: Rows of the task list shown without scrolling.
TASK_ROWS = 5
#: A break added: this long, in the middle of the shift, on a quarter hour.
NEW_BREAK = timedelta(minutes=30)
QUARTER = timedelta(minutes=15)

Breaks = tuple[tuple[datetime, datetime], ...]


@dataclass(frozen=True)
class Details:
    """What a shift's details hold: area id, supervisor's staff id, task keys and
    unpaid breaks (local start and end)."""

    area_id: int | None
    supervisor_staff_id: int | None
    tasks: tuple[str, ...]
    breaks: Breaks = ()


def break_at(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """A new break for a shift ``start``–``end``: half an hour in its middle, starting
    on a quarter hour (the service says so if it does not fit a short shift)."""
    middle = start + (end - start - NEW_BREAK) / 2
    offset = (middle - datetime.combine(middle.date(), time())) % QUARTER
    begin = max(start + QUARTER, middle - offset) if end - start > NEW_BREAK else middle
    return begin, begin + NEW_BREAK


def on_shift(start: datetime, moment: time) -> datetime:
    """``moment`` on the shift starting at ``start``: its day, or the next one for a
    time before the start (an overnight shift)."""
    when = datetime.combine(start.date(), moment)
    return when + timedelta(days=1) if when < start else when


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


class BreaksInput(TableInput):
    """A shift's breaks as rows of From and To times; Add break puts one in the
    middle of the shift (``span``, set by the panel)."""

    def __init__(self) -> None:
        super().__init__(
            (Cell("From", "time"), Cell("To", "time")),
            add_text="Add break",
            min_rows=2,
            new_row=self._new_row,
        )
        self.span: tuple[datetime, datetime] | None = None
        remove = self.findChild(QPushButton, "removeRow")
        assert remove is not None  # TableInput's own button
        remove.setText("Remove break")
        # a shift has a few breaks: the list stays short and leaves the findings room
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.table.setMaximumHeight(self.table.minimumHeight())

    def _new_row(self, _above: tuple[Any, ...] | None) -> tuple[time, time]:
        assert self.span is not None
        begin, end = break_at(*self.span)
        return begin.time(), end.time()

    def breaks(self) -> Breaks:
        """The rows as breaks of the shift; ValueError naming the row for one
        that is not a start and an end."""
        assert self.span is not None
        out = []
        for n, (begin, end) in enumerate(self.value(), start=1):
            if begin is None or end is None:
                raise ValueError(f"row {n}: give the break's start and end")
            out.append((on_shift(self.span[0], begin), on_shift(self.span[0], end)))
        return tuple(out)

    def show_breaks(self, span: tuple[datetime, datetime], breaks: Breaks) -> None:
        self.span = span
        self.blockSignals(True)
        self.set_value(tuple((a.time(), b.time()) for a, b in breaks))
        self.blockSignals(False)


class ShiftDetailsPanel(QWidget):
    """Area, supervisor, tasks and breaks of the selected shift."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.area = QComboBox()
        self.supervisor = QComboBox()
        self.tasks = TaskList()
        self.breaks = BreaksInput()
        self.breaks_problem = label(role="error", wrap=True)
        self.breaks_problem.hide()
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
        form.addRow("Breaks", self.breaks)
        form.addRow("", self.breaks_problem)
        self._choices: ShiftChoices | None = None
        self._filling = False
        #: The breaks last shown or read, kept while the rows typed do not parse.
        self._breaks: Breaks = ()
        self.area.currentIndexChanged.connect(self._changed)
        self.supervisor.currentIndexChanged.connect(self._changed)
        self.tasks.changed.connect(self._changed)
        self.breaks.changed.connect(self._breaks_changed)

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

    def show_details(self, details: Details, span: tuple[datetime, datetime] | None = None) -> None:
        """Show a shift's details (no ``changed``); ``span``: the shift's start and
        end, which its breaks are times of (the breaks shown as they are otherwise)."""
        self._filling = True
        self.area.setCurrentIndex(max(0, self.area.findData(details.area_id)))
        self.supervisor.setCurrentIndex(
            max(0, self.supervisor.findData(details.supervisor_staff_id))
        )
        self.tasks.set_value(details.tasks)
        shown = span or self.breaks.span
        if shown is not None and (details.breaks != self._breaks or shown != self.breaks.span):
            self.breaks.show_breaks(shown, details.breaks)
            self._breaks = details.breaks
            self._say_breaks("")
        self._filling = False

    def details(self) -> Details:
        checked = self.tasks.value()
        return Details(
            self.area.currentData(), self.supervisor.currentData(), checked, self._breaks
        )

    def _breaks_changed(self) -> None:
        try:
            self._breaks = self.breaks.breaks()
        except ValueError as exc:
            self._say_breaks(str(exc))
            return
        self._say_breaks("")
        self._changed()

    def _say_breaks(self, problem: str) -> None:
        self.breaks_problem.setText(problem[:1].upper() + problem[1:])
        self.breaks_problem.setVisible(bool(problem))

    def _changed(self, *_args: object) -> None:
        if not self._filling:
            self.changed.emit(self.details())
