"""Marking a planned shift absent: excused or not, and why (``hours_progress.mark_absent``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QPlainTextEdit, QVBoxLayout, QWidget

from internhost.core.dto import AttendanceRow
from internhost.core.services import hours_progress
from internhost.gui.dialogs.service_dialog import ServiceDialog
from internhost.gui.formatting import long_date
from internhost.gui.ops import Ops
from internhost.gui.widgets.basics import label


class AbsenceDialog(ServiceDialog):
    def __init__(self, ops: Ops, shift: AttendanceRow, parent: QWidget | None = None) -> None:
        super().__init__(ops, parent)
        self.shift = shift
        self.setWindowTitle("Mark absent")
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(
                f"{long_date(shift.work_date)}, planned "
                f"{shift.start:%H:%M}–{shift.end:%H:%M}: not worked.",
                wrap=True,
            )
        )
        self.excused = QCheckBox("Excused (the reason is required)")
        self.excused.setChecked(bool(shift.excused))
        self.reason = QPlainTextEdit(shift.reason)
        self.reason.setPlaceholderText("Why the intern was absent")
        self.reason.setTabChangesFocus(True)
        layout.addWidget(self.excused)
        layout.addWidget(label("Reason"))
        layout.addWidget(self.reason)
        self.finish(layout)
        self.reason.textChanged.connect(self.error.hide)

    def state(self) -> Any:
        return (self.excused.isChecked(), self.reason.toPlainText())

    def save(self) -> None:
        self.write(
            hours_progress.mark_absent,
            self.shift.shift_id,
            self.excused.isChecked(),
            self.reason.toPlainText(),
            self.ops.today(),
            changes={"shift"},
        )
