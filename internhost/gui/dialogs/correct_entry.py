"""HR's correction of a logged entry: its times and breaks, and the reason, which the
audit trail keeps beside the times before and after (``approval.correct_entry``)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from internhost.core.dto import TimeEntryRow
from internhost.core.services import approval
from internhost.gui.dialogs.service_dialog import ServiceDialog
from internhost.gui.formatting import long_date
from internhost.gui.ops import Ops
from internhost.gui.widgets.basics import button, label


def _time_edit(value: time) -> QTimeEdit:
    edit = QTimeEdit(QTime(value.hour, value.minute))
    edit.setDisplayFormat("HH:mm")
    return edit


def _on_or_after(day: date, value: time, start: time) -> datetime:
    """``value`` on ``day``, or on the day after when it is before the entry's start
    (a shift past midnight)."""
    moment = datetime.combine(day, value)
    return moment + timedelta(days=1) if value < start else moment


class CorrectEntryDialog(ServiceDialog):
    def __init__(self, ops: Ops, entry: TimeEntryRow, parent: QWidget | None = None) -> None:
        super().__init__(ops, parent)
        self.entry = entry
        self.setWindowTitle("Correct logged hours")
        self.setMinimumWidth(420)
        status = "approved" if entry.approved else "not approved yet"
        intro = label(
            f"{long_date(entry.work_date)}, logged {entry.start:%H:%M}–{entry.end:%H:%M} "
            f"({status}). The reason is kept in the audit trail with the times before "
            "and after.",
            wrap=True,
        )
        self.start = _time_edit(entry.start.time())
        self.end = _time_edit(entry.end.time())
        form = QFormLayout()
        form.addRow("In", self.start)
        form.addRow("Out", self.end)
        self.breaks_box = QVBoxLayout()
        self.break_rows: list[tuple[QWidget, QTimeEdit, QTimeEdit]] = []
        for b0, b1 in entry.breaks:
            self.add_break(b0.time(), b1.time())
        add = button("Add break", "secondary", self.add_break)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("Why the times change (required)")
        self.reason.setTabChangesFocus(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(label("Unpaid breaks"))
        layout.addLayout(self.breaks_box)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(label("Reason"))
        layout.addWidget(self.reason)
        self.finish(layout)
        self.reason.textChanged.connect(self.error.hide)

    def add_break(self, start: time | None = None, end: time | None = None) -> None:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        b0 = _time_edit(start or time(12))
        b1 = _time_edit(end or time(12, 30))
        remove = QPushButton("Remove")
        row.addWidget(b0)
        row.addWidget(label("to"))
        row.addWidget(b1)
        row.addWidget(remove)
        row.addStretch(1)
        entry = (holder, b0, b1)
        self.break_rows.append(entry)
        remove.clicked.connect(lambda: self._remove(entry))
        self.breaks_box.addWidget(holder)

    def _remove(self, entry: tuple[QWidget, QTimeEdit, QTimeEdit]) -> None:
        self.break_rows.remove(entry)
        entry[0].deleteLater()

    def state(self) -> Any:
        return (
            self.start.time().toString(),
            self.end.time().toString(),
            tuple((a.time().toString(), b.time().toString()) for _, a, b in self.break_rows),
            self.reason.toPlainText(),
        )

    def correction(self) -> approval.EntryCorrection:
        day = self.entry.work_date
        start = _clock(self.start)
        return approval.EntryCorrection(
            start=datetime.combine(day, start),
            end=_on_or_after(day, _clock(self.end), start),
            reason=self.reason.toPlainText(),
            breaks=tuple(
                (
                    _on_or_after(day, _clock(a), start),
                    _on_or_after(day, _clock(b), start),
                )
                for _, a, b in self.break_rows
            ),
        )

    def save(self) -> None:
        self.write(
            approval.correct_entry,
            self.entry.id,
            self.correction(),
            self.ops.today(),
            changes={"time_entry", "finding"},
        )


def _clock(edit: QTimeEdit) -> time:
    """The time an edit shows (to the minute, as entries are punched)."""
    shown = edit.time()
    return time(shown.hour(), shown.minute())
