"""A report's rows as a table, and the selected row's problems spelled out below it:
the review step shows the dry run's rows this way, the result step the commit's."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from internhost.core.importers.result import ImportReport
from internhost.gui.models.import_preview_model import COLUMNS, ImportPreviewModel
from internhost.gui.widgets.basics import label
from internhost.gui.widgets.tables import columns_table


class RowsView(QWidget):
    """The table of a report's rows (``model``) over the selected row's details."""

    def __init__(self, parent: QWidget | None = None, *, problems_only: bool = False) -> None:
        super().__init__(parent)
        self.model = ImportPreviewModel(self)
        self.model.set_problems_only(problems_only)
        self.table = columns_table(self.model, COLUMNS)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.details = label(role="muted", wrap=True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)

    def set_report(self, report: ImportReport, hint: str) -> None:
        """Show ``report``'s rows from the top; ``hint`` until a row is selected."""
        self.model.set_report(report)
        self.details.setText(hint)
        if self.model.rowCount():
            self.table.scrollToTop()

    def _selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.details.setText("")
            return
        row = self.model.row_at(rows[0].row())
        self.details.setText(f"Line {row.line}, {row.label}:\n{row.details() or 'No problems.'}")
