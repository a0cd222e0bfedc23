"""Step 3: the dry run's verdict on every row (nothing written yet).

Every row with its action and its errors and warnings by line and column; Import
stays disabled, with the reason under the table, while rows have errors and the
valid-rows-only option is off. The dry run itself ran on the worker (the frame
asked for it); this step only shows its report.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

from internhost.core.importers.result import ImportReport
from internhost.gui.dialogs.import_roster.rows_view import RowsView
from internhost.gui.dialogs.import_roster.wording import (
    file_issues,
    import_blocked,
    plural,
    summary,
)
from internhost.gui.theme import set_role
from internhost.gui.widgets.basics import label


class ReviewStep(QWidget):
    """The dry run's report: a summary, the rows, and why Import may not run."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: ImportReport | None = None
        self.skip_invalid = False
        self.summary_label = label(role="heading", wrap=True)
        self.file_warnings = label(role="muted", wrap=True)
        self.problems_only = QCheckBox("Only rows with problems")
        self.problems_only.toggled.connect(self._filter_changed)
        self.shown_count = label(role="muted")
        tools = QHBoxLayout()
        tools.addWidget(self.problems_only)
        tools.addStretch(1)
        tools.addWidget(self.shown_count)
        self.rows = RowsView()
        details = self.rows.details
        details.setMinimumHeight(details.fontMetrics().lineSpacing() * 2)
        self.block = label(role="error", wrap=True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.file_warnings)
        layout.addLayout(tools)
        layout.addWidget(self.rows, 1)
        layout.addWidget(self.block)

    def show_report(self, report: ImportReport, *, skip_invalid: bool) -> None:
        """Show the dry run ``report`` of an import with ``skip_invalid`` as chosen."""
        self.report = report
        self.skip_invalid = skip_invalid
        self.summary_label.setText(summary(report))
        warnings = file_issues(report.warnings)
        self.file_warnings.setText("\n".join(f"Warning: {w}" for w in warnings))
        self.file_warnings.setVisible(bool(warnings))
        problems = any(o.line for o in report.errors + report.warnings)
        self.rows.set_report(
            report,
            "Select a row to read all of its problems." if problems else "No row has a problem.",
        )
        self._update_shown()
        blocked = self.blocked()
        invalid = report.outcomes.count_of("invalid")
        if blocked is None and invalid:
            skipped = f"{plural(invalid, 'row')} with errors will be skipped"
            self._say(f"{skipped}; the other rows are imported.", "muted")
        else:
            self._say(blocked or "", "error")

    def blocked(self) -> str | None:
        """Why Import is disabled, or None when it may run."""
        return import_blocked(self.report, self.skip_invalid)

    def show_failure(self, text: str) -> None:
        """The commit failed: why, under the table (nothing was written)."""
        self._say(text, "error")

    def _say(self, text: str, role: str) -> None:
        self.block.setText(text)
        set_role(self.block, role)
        self.block.setVisible(bool(text))

    def _filter_changed(self, on: bool) -> None:
        self.rows.model.set_problems_only(on)
        self._update_shown()

    def _update_shown(self) -> None:
        model = self.rows.model
        self.shown_count.setText(
            f"showing {model.rowCount():,} of {plural(model.total, 'row')}"
            if model.problems_only
            else ""
        )
