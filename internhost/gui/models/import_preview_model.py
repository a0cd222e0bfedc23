"""The roster import's preview table: one row per record of the file, with what the
import would do with it and every error and warning the core found on its line.

Presentation only: the rows, actions and messages are the core's ``ImportReport``
(from a dry run, or from the commit on the result step); this module groups them
by line and words them for a user who knows the spreadsheet, not the code.

A roster may have hundreds of thousands of rows: the report keeps their outcomes
packed, and the model makes a row's ``PreviewRow`` only when the view asks for it
(the rows on screen), so a big file costs no object per row here either.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, overload

from PySide6.QtGui import QColor

from internhost.core.importers.result import MAX_LISTED, ImportReport, Issue, Outcomes
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
    # a time clock's columns
    "badge": "Badge",
    "date": "Date",
    "in": "In",
    "out": "Out",
    "out_date": "Out date",
    "break_start": "Break start",
    "break_end": "Break end",
    "supervisor": "Supervisor",
    "tasks": "Tasks",
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


class PreviewRows(Sequence[PreviewRow]):
    """A report's rows in file order (or only those at ``indexes``), each with the
    issues of its line, made when asked for."""

    def __init__(
        self,
        outcomes: Outcomes,
        errors: Mapping[int, tuple[Issue, ...]],
        warnings: Mapping[int, tuple[Issue, ...]],
        indexes: Sequence[int] | None = None,
    ) -> None:
        self._outcomes = outcomes
        self._errors = errors
        self._warnings = warnings
        self._indexes = indexes

    def __len__(self) -> int:
        return len(self._outcomes if self._indexes is None else self._indexes)

    @overload
    def __getitem__(self, index: int) -> PreviewRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[PreviewRow]: ...
    def __getitem__(self, index: int | slice) -> PreviewRow | list[PreviewRow]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        o = self._outcomes[index if self._indexes is None else self._indexes[index]]
        errors = self._errors.get(o.line, ())
        if not errors and o.action == "invalid":  # past the errors the report lists
            errors = (Issue(o.line, None, NOT_LISTED),)
        return PreviewRow(o.line, o.label, o.action, errors, self._warnings.get(o.line, ()))

    def with_problems(self) -> PreviewRows:
        """Only the rows with errors or warnings."""
        lines = self._errors.keys() | self._warnings.keys()
        indexes = self._outcomes.indexes(lines, "invalid")
        return PreviewRows(self._outcomes, self._errors, self._warnings, indexes)


#: An invalid row's errors when the report did not keep them.
NOT_LISTED = f"Errors not listed (the report lists the first {MAX_LISTED:,})"


def preview_rows(report: ImportReport) -> PreviewRows:
    """The report's outcomes in file order, each with the issues of its line."""
    return PreviewRows(report.outcomes, _by_line(report.errors), _by_line(report.warnings))


def _by_line(issues: Sequence[Issue]) -> dict[int, tuple[Issue, ...]]:
    found: dict[int, list[Issue]] = defaultdict(list)
    for issue in issues:
        if issue.line is not None:
            found[issue.line].append(issue)
    return {line: tuple(listed) for line, listed in found.items()}


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
            long=True,
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
        self._all: PreviewRows | None = None
        self._problems_only = False

    @property
    def problems_only(self) -> bool:
        return self._problems_only

    def set_report(self, report: ImportReport | None) -> None:
        """Show a report's rows: a dry run's as what would happen, a commit's as what
        did (``Imported``, ``Skipped``, or ``Not imported`` when nothing was written)."""
        self._all = preview_rows(report) if report is not None else None
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
        return len(self._all) if self._all is not None else 0

    def set_rows(self, rows: Sequence[PreviewRow]) -> None:
        """Shows ``rows`` as given, not copied: they are made when the view asks."""
        self.beginResetModel()
        self._rows = rows  # type: ignore[assignment]
        self.endResetModel()

    def _refilter(self) -> None:
        rows = self._all
        if rows is not None and self._problems_only:
            rows = rows.with_problems()
        self.set_rows(rows if rows is not None else ())
