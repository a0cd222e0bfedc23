"""The roster import's preview table: one row per record of the file, with what the
import would do with it and every error and warning the core found on its line.

Presentation only: the rows, actions and messages are the core's ``ImportReport``
(from a dry run, or from the commit on the result step); this module groups them
by line and words them for a user who knows the spreadsheet, not the code.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QColor

from internhost.core.importers.result import ImportReport, Issue
from internhost.gui.models.columns import RIGHT, Column, Pill, RowsModel
from internhost.gui.theme import ERROR, PILL_TONES

#: The canonical roster columns as a user reads them (in the mapping step's combos
#: and in front of each message); the core names them ``first_name``…
COLUMN_LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "preferred_name": "Preferred name",
    "birth_date": "Birth date",
    "school": "School",
    "grade": "Grade",
    "student_id": "Student ID",
    "guardian_name": "Guardian name",
    "guardian_phone": "Guardian phone",
    "guardian_email": "Guardian email",
    "emergency_contact": "Emergency contact",
    "emergency_phone": "Emergency phone",
    "address": "Home address",
    "district": "District of residence",
    "worksite": "Worksite",
    "placement_start": "Placement start",
    "placement_end": "Placement end",
    "paid": "Paid",
    "hourly_rate": "Hourly rate",
    "program": "Program",
    "mentor_email": "Mentor email",
}
#: What a dry run would do with a row, as a pill.
ACTIONS = {
    "create": Pill("New", "success"),
    "update": Pill("Update", "info"),
    "unchanged": Pill("Unchanged", "muted"),
    "invalid": Pill("Error", "danger"),
}
#: What the commit did with a row.
DONE_ACTIONS = {
    "create": Pill("Imported", "success"),
    "update": Pill("Updated", "info"),
    "unchanged": Pill("Unchanged", "muted"),
    "invalid": Pill("Skipped", "danger"),
}
#: What the commit did when it wrote nothing (rows had errors, all or nothing).
NOTHING_DONE = dict.fromkeys(ACTIONS, Pill("Not imported", "muted")) | {
    "invalid": Pill("Error", "danger")
}
ERROR_COLOR = QColor(ERROR)
WARNING_COLOR = QColor(PILL_TONES["warning"][1])


def column_label(column: str | None) -> str:
    return COLUMN_LABELS.get(column or "", column or "")


def issue_text(issue: Issue) -> str:
    """``Birth date: 2008-02-30 is not a date`` (the message alone for a whole row)."""
    return f"{column_label(issue.column)}: {issue.message}" if issue.column else issue.message


@dataclass(frozen=True)
class PreviewRow:
    """One record of the file: its line, the intern it names, and its problems."""

    line: int
    label: str
    action: str
    errors: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()

    @property
    def has_problems(self) -> bool:
        return bool(self.errors or self.warnings)

    def details(self) -> str:
        """Every problem on its own line, for a tooltip or the details box."""
        lines = [f"Error: {issue_text(e)}" for e in self.errors]
        lines += [f"Warning: {issue_text(w)}" for w in self.warnings]
        return "\n".join(lines)


def preview_rows(report: ImportReport) -> list[PreviewRow]:
    """The report's outcomes in file order, each with the issues of its line."""
    errors: dict[int, list[Issue]] = defaultdict(list)
    warnings: dict[int, list[Issue]] = defaultdict(list)
    for issue in report.errors:
        if issue.line is not None:
            errors[issue.line].append(issue)
    for issue in report.warnings:
        if issue.line is not None:
            warnings[issue.line].append(issue)
    return [
        PreviewRow(
            o.line,
            o.label,
            o.action,
            tuple(errors.get(o.line, ())),
            tuple(warnings.get(o.line, ())),
        )
        for o in report.outcomes
    ]


def _joined(issues: Sequence[Issue]) -> str:
    return "; ".join(issue_text(i) for i in issues)


def _tooltip(row: PreviewRow) -> str | None:
    return row.details() or None


def _count(issues: Sequence[Issue], tone: str) -> tuple[Pill, ...]:
    """A pill with the number of problems when the cell shows more than one."""
    return (Pill(str(len(issues)), tone),) if len(issues) > 1 else ()


def columns(action: Callable[[str], Pill]) -> tuple[Column[PreviewRow], ...]:
    """The table's columns; ``action`` words a row's action as a pill."""
    return (
        Column("Line", lambda r: str(r.line), align=RIGHT, sample="99999", elide=False),
        Column("Name", lambda r: r.label, sample="Nguyễn-Hernández, María José"),
        Column(
            "Action",
            lambda r: "",
            tooltip=lambda r: action(r.action).text,
            pills=lambda r: (action(r.action),),
            sample="Not imported",
            elide=False,
        ),
        Column(
            "Errors",
            lambda r: _joined(r.errors),
            tooltip=_tooltip,
            foreground=lambda r: ERROR_COLOR if r.errors else None,
            pills=lambda r: _count(r.errors, "danger"),
            sample="Birth date: 2008-02-30 is not a date",
        ),
        Column(
            "Warnings",
            lambda r: _joined(r.warnings),
            tooltip=_tooltip,
            foreground=lambda r: WARNING_COLOR if r.warnings else None,
            pills=lambda r: _count(r.warnings, "warning"),
            sample="Worksite: no worksite; set it in the app",
        ),
    )


def _worded(actions: Mapping[str, Pill]) -> Callable[[str], Pill]:
    return lambda action: actions.get(action, Pill(action, "muted"))


#: The columns as a dry run shows them (their samples size the view).
COLUMNS = columns(_worded(ACTIONS))
#: The same after a commit that wrote the valid rows, and after one that wrote nothing.
DONE_COLUMNS = columns(_worded(DONE_ACTIONS))
NOTHING_DONE_COLUMNS = columns(_worded(NOTHING_DONE))


class ImportPreviewModel(RowsModel[PreviewRow]):
    """Every row of an import report, or only those with errors or warnings."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)
        self._all: tuple[PreviewRow, ...] = ()
        self._problems_only = False

    @property
    def problems_only(self) -> bool:
        return self._problems_only

    def set_report(self, report: ImportReport | None) -> None:
        """Show a report's rows: a dry run's as what would happen, a commit's as what
        did (``Imported``, ``Skipped``, or ``Not imported`` when nothing was written)."""
        self._all = tuple(preview_rows(report)) if report is not None else ()
        # Module-level column sets (the reset below announces the change): columns
        # closing over the model would make a reference cycle, and a cycle may be
        # collected, deleting the model, on the worker thread.
        if report is None or report.dry_run:
            self.columns = COLUMNS
        elif report.imported or report.updated or not report.errors:
            self.columns = DONE_COLUMNS
        else:
            self.columns = NOTHING_DONE_COLUMNS
        self._refilter()

    def set_problems_only(self, on: bool) -> None:
        if on != self._problems_only:
            self._problems_only = on
            self._refilter()

    @property
    def total(self) -> int:
        return len(self._all)

    def _refilter(self) -> None:
        rows = [r for r in self._all if r.has_problems] if self._problems_only else self._all
        self.set_rows(rows)
