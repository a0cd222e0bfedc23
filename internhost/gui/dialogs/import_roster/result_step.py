"""Step 4: what the commit kept, and the rows it skipped or that had warnings.

The import is all or nothing in one transaction: the heading says exactly what was
written (new interns imported, interns updated, or nothing), and a stopped import
never reaches this step (it kept nothing; the review step says so).
"""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from internhost.core.importers.result import ImportReport
from internhost.gui.dialogs.import_roster.kinds import ROSTER, ImportKind
from internhost.gui.dialogs.import_roster.rows_view import RowsView
from internhost.gui.dialogs.import_roster.wording import file_issues, result_text
from internhost.gui.widgets.basics import label


class ResultStep(QWidget):
    """The commit's report: a heading, a sentence, and the rows with problems."""

    def __init__(self, parent: QWidget | None = None, *, kind: ImportKind = ROSTER) -> None:
        super().__init__(parent)
        self.kind = kind
        self.heading = label(role="heading", wrap=True)
        self.text = label(wrap=True)
        self.note = label(role="muted", wrap=True)
        self.rows = RowsView(problems_only=True)
        self.empty = label("No row had a problem.", "muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.heading)
        layout.addWidget(self.text)
        layout.addWidget(self.note)
        layout.addWidget(self.rows, 1)
        layout.addWidget(self.empty)
        layout.addStretch(0)

    def show_report(self, report: ImportReport, *, skip_invalid: bool) -> None:
        head, text = result_text(report, skip_invalid, self.kind.record, self.kind.unchanged)
        self.heading.setText(head)
        self.text.setText(text)
        warnings = file_issues(report.warnings)
        self.note.setText("\n".join(f"Warning: {w}" for w in warnings))
        self.note.setVisible(bool(warnings))
        self.rows.set_report(report, "Select a row to read all of its problems.")
        has_rows = self.rows.model.rowCount() > 0
        self.rows.setVisible(has_rows)
        self.empty.setVisible(not has_rows)
