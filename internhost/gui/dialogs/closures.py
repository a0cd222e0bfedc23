"""The plants' closure calendar: HR lists, adds and removes the days a worksite (or
every worksite) is closed. The planner hatches those days and refuses shifts on
them; recurring shifts skip them (``services/closures.py``, ``schedules``).

Opened from the planner's More menu. Adding opens the record dialog (its errors
beside their fields); removing asks first. Both announce "calendar", so the
planner reads its week again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QVBoxLayout, QWidget

from internhost.core.dto import ClosureRow, WorksiteRow
from internhost.core.services import closures, directory
from internhost.gui.dialogs.base import BaseDialog
from internhost.gui.formatting import long_date
from internhost.gui.models.columns import Column, RowsModel
from internhost.gui.ops import Ops
from internhost.gui.widgets.basics import button, label
from internhost.gui.widgets.fields import FieldForm, choice, day, text
from internhost.gui.widgets.tables import columns_table

EVERY_SITE = "Every worksite"
CHANGES = {"calendar"}

COLUMNS: tuple[Column[ClosureRow], ...] = (
    Column("Day", lambda c: long_date(c.day), elide=False, sample="Wednesday, September 30, 2026"),
    Column("Worksite", lambda c: c.worksite or EVERY_SITE, sample="Rockford Plant 2"),
    Column("Reason", lambda c: c.reason, long=True, sample="Inventory count"),
)


class ClosuresDialog(BaseDialog):
    """Every recorded closure from today on, with Add and Remove."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.setWindowTitle("Plant closures")
        self.resize(700, 480)
        self.sites: list[WorksiteRow] = []
        self.model: RowsModel[ClosureRow] = RowsModel(COLUMNS, self)
        self.table = columns_table(self.model)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.message = label(role="error", wrap=True)
        self.add_button = button("Add closure…", "primary", self.add)
        self.remove_button = button("Remove", "secondary", self.remove)
        self.remove_button.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        row.addWidget(button("Done", "secondary", self.accept))
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(
                "Days a plant is closed: no shift is planned on them, recurring shifts "
                "skip them, and the planner hatches them.",
                "muted",
                wrap=True,
            )
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.ops.read(self, directory.list_worksites, done=self._got_sites)
        self.load()

    def load(self) -> None:
        self.ops.read(self, closures.list_closures, first=self.ops.today(), done=self.show_closures)

    def _got_sites(self, rows: list[WorksiteRow]) -> None:
        self.sites = [r for r in rows if not r.archived]

    def show_closures(self, rows: list[ClosureRow]) -> None:
        self.model.set_rows(rows)
        self._selection_changed(QItemSelection(), QItemSelection())

    def selected(self) -> ClosureRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selection_changed(self, _a: QItemSelection, _b: QItemSelection) -> None:
        self.remove_button.setEnabled(self.selected() is not None)

    def add(self) -> ClosureRow | None:
        """The record dialog for one closure; the saved row, or None when cancelled."""
        from internhost.gui.dialogs.record import edit_with_form

        form = FieldForm(
            [
                day("day", "Day"),
                choice(
                    "worksite_id",
                    "Worksite",
                    [(None, EVERY_SITE), *((s.id, s.name) for s in self.sites)],
                    aliases=("worksite",),
                ),
                text("reason", "Reason", placeholder="Inventory count"),
            ]
        )

        def save(values: dict[str, Any]) -> ClosureRow:
            return self.ops.database.write(closures.add_closure, closures.ClosureInput(**values))

        saved: ClosureRow | None = edit_with_form(
            self, "Add plant closure", form, save, ops=self.ops, changes=CHANGES, size=(520, 300)
        )
        if saved is not None:
            self.message.clear()
            self.load()
        return saved

    def remove(self) -> None:
        closure = self.selected()
        if closure is None:
            return
        where = closure.worksite or EVERY_SITE.lower()
        asked = QMessageBox.question(
            self,
            "Remove plant closure",
            f"Open {where} again on {long_date(closure.day)}?",
        )
        if asked != QMessageBox.StandardButton.Yes:
            return
        self.ops.write(
            self,
            closures.remove_closure,
            closure.id,
            changes=CHANGES,
            done=lambda _none: self.load(),
            failed=self.ops.expected(self, lambda exc: self.message.setText(str(exc))),
        )
