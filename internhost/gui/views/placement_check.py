"""The placement editor's two new parts: what the intern will do (areas, tasks and
machines, each with the packs' "who may" wording) and what the placement check finds
before the placement is saved.

The findings come from ``placements.preview_placement``, read on the database worker
as the form changes (the last edit's answer wins), so the editor shows what saving
would store and the status it would get, worded by the core. Severity is written out
beside each finding, never shown by colour alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from internhost.core import dto
from internhost.core.services.assignments import AssignmentInput
from internhost.gui.theme import set_role
from internhost.gui.widgets import fields as f
from internhost.gui.widgets.basics import label

KIND_LABELS = {"area": "Area", "task": "Task", "machine": "Machine"}
#: The exemption fact the editor asks about for a task or machine (the packs'
#: student-learner and apprentice exemptions both need it).
SUPERVISED = "direct_supervision"
SEVERITY_WORDS = {"violation": "Violation", "warning": "Warning", "advisory": "Advisory"}
BLOCK_WORDS = {
    "placement": "keeps the placement a draft",
    "activation": "keeps it from becoming active",
}

Key = tuple[str, Any]


def _key(item: AssignmentInput) -> Key:
    if item.area_id is not None:
        return ("area", item.area_id)
    if item.equipment_id is not None:
        return ("machine", item.equipment_id)
    return ("task", item.task_key)


def _input(key: Key, supervised: bool) -> AssignmentInput:
    kind, value = key
    details = {SUPERVISED: True} if supervised and kind != "area" else {}
    if kind == "area":
        return AssignmentInput(area_id=value)
    if kind == "machine":
        return AssignmentInput(equipment_id=value, details=details)
    return AssignmentInput(task_key=value, details=details)


class AssignmentsInput(f.FieldWidget):
    """The areas, tasks and machines a placement assigns: pick one and Add; each row
    says who may do it and, for a task or machine, whether it is done under direct
    supervision (what the student-learner and apprentice exemptions ask)."""

    COLUMNS = ("Assigned", "Who may", "Under direct supervision")

    def __init__(self, options: Mapping[Any, Sequence[dto.AssignmentOption]]) -> None:
        super().__init__()
        self._by_site = options
        self._known: dict[Key, dto.AssignmentOption] = {
            (o.kind, o.key): o for rows in options.values() for o in rows
        }
        self.picker = QComboBox()
        self.picker.setObjectName("assignmentPicker")
        self.picker.setMinimumContentsLength(28)
        self.picker.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        add = QPushButton("Add")
        add.setObjectName("addAssignment")
        add.setAutoDefault(False)
        add.clicked.connect(self._add_picked)
        remove = QPushButton("Remove")
        remove.setObjectName("removeAssignment")
        remove.setAutoDefault(False)
        remove.clicked.connect(self._remove_selected)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("assignments")
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(150)
        row = QHBoxLayout()
        row.addWidget(self.picker, 1)
        row.addWidget(add)
        row.addWidget(remove)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addWidget(self.table)
        self._keys: list[Key] = []
        self.set_worksite(None)

    def editor(self) -> QWidget:
        return self.picker

    def set_worksite(self, worksite_id: Any) -> None:
        """Offer the areas and machines of ``worksite_id`` and the task catalog."""
        self.picker.clear()
        for option in self._by_site.get(worksite_id, self._by_site.get(None, ())):
            caption = f"{KIND_LABELS[option.kind]}: {option.label}"
            if option.detail:
                caption += f" ({option.detail})"
            self.picker.addItem(caption, (option.kind, option.key))

    def value(self) -> tuple[AssignmentInput, ...]:
        return tuple(_input(key, self._supervised(row)) for row, key in enumerate(self._keys))

    def set_value(self, value: Any) -> None:
        self.table.setRowCount(0)
        self._keys = []
        for item in value or ():
            self._append(_key(item), bool((item.details or {}).get(SUPERVISED)))
        self.changed.emit()

    def _supervised(self, row: int) -> bool:
        box = self.table.cellWidget(row, 2)
        return isinstance(box, QCheckBox) and box.isChecked()

    def _append(self, key: Key, supervised: bool) -> None:
        option = self._known.get(key)
        row = self.table.rowCount()
        self.table.insertRow(row)
        name = f"{KIND_LABELS[key[0]]}: {option.label if option else key[1]}"
        who = option.who_may if option else ""
        for col, text in ((0, name), (1, who or "—")):
            cell = QTableWidgetItem(text)
            cell.setToolTip(text)
            self.table.setItem(row, col, cell)
        if key[0] != "area":
            box = QCheckBox("Yes")
            box.setChecked(supervised)
            box.toggled.connect(lambda _on: self.changed.emit())
            self.table.setCellWidget(row, 2, box)
        self._keys.append(key)
        self.table.resizeRowToContents(row)

    def _add_picked(self) -> None:
        key = self.picker.currentData()
        if key is None or key in self._keys:
            return
        self._append(key, False)
        self.changed.emit()

    def _remove_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._keys):
            self.table.removeRow(row)
            del self._keys[row]
            self.changed.emit()


class CheckPanel(QWidget):
    """What the placement check finds, and the status saving would give."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("placementCheck")
        self.heading = label("What the check finds", "heading")
        self.status = label(wrap=True)
        self.status.setObjectName("checkStatus")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.findings = label(wrap=True)
        self.findings.setObjectName("checkFindings")
        self.findings.setTextFormat(Qt.TextFormat.PlainText)
        self.findings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 8, 0, 0)
        column.setSpacing(6)
        column.addWidget(self.heading)
        column.addWidget(self.status)
        column.addWidget(self.findings)
        self.show_waiting()

    def show_waiting(self) -> None:
        self.status.setText("Checking…")
        set_role(self.status, "muted")
        self.findings.setText("")

    def show_problem(self, text: str) -> None:
        """The form cannot be checked yet (a field to fix first)."""
        self.status.setText(text)
        set_role(self.status, "muted")
        self.findings.setText("")

    def show_preview(self, preview: dto.PlacementPreview) -> None:
        if preview.unchecked:
            self.show_problem(preview.unchecked)
            return
        status = f"Saving makes it: {preview.status.capitalize()}"
        if preview.status_note:
            status += f". {preview.status_note}"
        self.status.setText(status)
        set_role(self.status, "error" if preview.status == "draft" else "muted")
        if not preview.findings:
            self.findings.setText("No findings: nothing flags this placement.")
            return
        self.findings.setText("\n\n".join(_finding_text(x) for x in preview.findings))


def _finding_text(finding: dto.PreviewFinding) -> str:
    marker = "" if finding.verification == "V" else f" [{finding.verification}: unverified]"
    lines = [
        f"{SEVERITY_WORDS.get(finding.severity, finding.severity)}: {finding.message}",
        f"{finding.citation}{marker}",
    ]
    blocks = [BLOCK_WORDS[b] for b in finding.blocks if b in BLOCK_WORDS]
    if finding.decision:
        lines.append(f"HR decided: {finding.decision}.")
    elif blocks:
        lines.append(f"It {' and '.join(blocks)}. {finding.advice}")
    return "\n".join(lines)
