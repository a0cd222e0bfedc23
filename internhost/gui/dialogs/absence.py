"""Marking a planned shift absent: excused or not, and why (``hours_progress.mark_absent``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from internhost.core.dto import AttendanceRow
from internhost.core.errors import ValidationError
from internhost.core.services import hours_progress
from internhost.gui.dialogs.base import BaseDialog
from internhost.gui.formatting import long_date
from internhost.gui.ops import Ops
from internhost.gui.widgets.basics import label


class AbsenceDialog(BaseDialog):
    def __init__(self, ops: Ops, shift: AttendanceRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
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
        self.error: QLabel = label(role="error", wrap=True)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout.addWidget(self.excused)
        layout.addWidget(label("Reason"))
        layout.addWidget(self.reason)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.reason.textChanged.connect(self.error.hide)

    def state(self) -> Any:
        return (self.excused.isChecked(), self.reason.toPlainText())

    def save(self) -> None:
        self.buttons.setEnabled(False)
        self.ops.write(
            self,
            hours_progress.mark_absent,
            self.shift.shift_id,
            self.excused.isChecked(),
            self.reason.toPlainText(),
            self.ops.today(),
            changes={"shift"},
            done=lambda _result: self.discard(),
            failed=self.ops.expected(self, self._refused),
        )

    def _refused(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, ValidationError):
            text = "; ".join(f"{e.field.capitalize()}: {e.message}" for e in exc.errors)
        else:
            text = str(exc)
        self.error.setText(text)
        self.error.show()
