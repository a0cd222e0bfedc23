"""What an import tells its caller: the problems found and what was (or would be) written.

Shared by every CSV import (the roster now, the time clock later), so the CLI, the
JSON output and the GUI's preview table read one shape. Problems are plain values
with the file's physical line (None for the file as a whole) and the canonical
column, so a user can find the cell in the spreadsheet they sent.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, overload

from internhost.core.errors import DomainError

#: Errors (and, separately, warnings) a report lists in full; more are counted, not
#: kept. A roster with real mistakes has a few per row: 10,000 is every problem of
#: thousands of rows, and keeps a file of 400,000 bad rows from filling memory.
MAX_LISTED = 10_000


class ImportRefused(DomainError):
    """The import cannot start at all: the file cannot be read, a required column is
    missing, an option names something unknown. The CLI exits 2 with this message."""


@dataclass(frozen=True)
class Issue:
    """One error or warning: where (``line`` None = the whole file) and what."""

    line: int | None
    column: str | None
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message}

    def where(self) -> str:
        place = "file" if self.line is None else f"line {self.line}"
        return f"{place}, {self.column}" if self.column else place


@dataclass(frozen=True)
class RowOutcome:
    """What happens to one record, for a preview table: ``create``, ``update``,
    ``unchanged`` (matches a stored record exactly) or ``invalid``."""

    line: int
    action: str
    label: str


class Outcomes(Sequence[RowOutcome]):
    """Every row's outcome, packed: a 400,000-row roster keeps some 30 bytes a row
    (its line, its action as a byte, its label as UTF-8) instead of an object each.
    A ``RowOutcome`` is made when one is read."""

    ACTIONS: ClassVar = ("create", "update", "unchanged", "invalid")
    _CODES: ClassVar = {action: code for code, action in enumerate(ACTIONS)}

    def __init__(self, outcomes: Iterable[RowOutcome] = ()) -> None:
        self._lines = array("Q")
        self._actions = bytearray()
        self._labels = bytearray()
        self._ends = array("Q")  # where each label ends in ``_labels``
        self._counts: Counter[str] = Counter()
        for outcome in outcomes:
            self.append(outcome)

    def append(self, outcome: RowOutcome) -> None:
        self._lines.append(outcome.line)
        self._actions.append(self._CODES[outcome.action])
        self._labels += outcome.label.encode()
        self._ends.append(len(self._labels))
        self._counts[outcome.action] += 1

    def count_of(self, action: str) -> int:
        """How many rows have ``action`` (``create``, ``update``, ``unchanged``, ``invalid``)."""
        return self._counts[action]

    def __len__(self) -> int:
        return len(self._lines)

    @overload
    def __getitem__(self, index: int) -> RowOutcome: ...
    @overload
    def __getitem__(self, index: slice) -> list[RowOutcome]: ...
    def __getitem__(self, index: int | slice) -> RowOutcome | list[RowOutcome]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("outcome index out of range")
        start = self._ends[index - 1] if index else 0
        label = self._labels[start : self._ends[index]].decode()
        return RowOutcome(self._lines[index], self.ACTIONS[self._actions[index]], label)

    def __iter__(self) -> Iterator[RowOutcome]:
        return map(self.__getitem__, range(len(self)))

    def indexes(self, lines: Collection[int], action: str) -> list[int]:
        """The positions of the rows on one of ``lines`` or with ``action``."""
        code = self._CODES[action]
        pairs = enumerate(zip(self._lines, self._actions, strict=True))
        return [i for i, (line, act) in pairs if act == code or line in lines]


@dataclass
class ImportReport:
    """The result of one import or dry run; ``to_json`` is the documented shape.

    ``would_import`` counts the valid rows (new and updated records): what a commit
    with ``--skip-invalid`` would write. ``imported`` and ``updated`` count what was
    written (nothing on a dry run); ``updated`` leaves out records that did not change.

    ``errors`` and ``warnings`` list the first ``MAX_LISTED`` of each in full (the
    file-level ones first); ``errors_not_listed`` and ``warnings_not_listed`` count
    the rest, so a file of 400,000 bad rows does not fill memory with messages.
    """

    rows: int = 0
    imported: int = 0
    updated: int = 0
    would_import: int = 0
    dry_run: bool = False
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    outcomes: Outcomes = field(default_factory=Outcomes)
    errors_not_listed: int = 0
    warnings_not_listed: int = 0

    @property
    def has_row_errors(self) -> bool:
        return bool(self.errors)

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.errors_not_listed

    @property
    def warning_count(self) -> int:
        return len(self.warnings) + self.warnings_not_listed

    def add_errors(self, issues: Sequence[Issue]) -> None:
        self.errors_not_listed += _keep(self.errors, issues)

    def add_warnings(self, issues: Sequence[Issue]) -> None:
        self.warnings_not_listed += _keep(self.warnings, issues)

    def to_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "imported": self.imported,
            "updated": self.updated,
            "would_import": self.would_import,
            "dry_run": self.dry_run,
            "errors": [e.to_json() for e in self.errors],
            "warnings": [w.to_json() for w in self.warnings],
            "errors_not_listed": self.errors_not_listed,
            "warnings_not_listed": self.warnings_not_listed,
        }

    def to_text(self, name: str = "the file") -> str:
        """A readable summary, then one line per error and warning."""
        if self.dry_run:
            head = (
                f"{name}: {_n(self.rows, 'row')}; dry run, nothing written: "
                f"{self.would_import} would be imported"
            )
        else:
            head = (
                f"{name}: {_n(self.rows, 'row')}; {self.imported} imported, {self.updated} updated"
            )
            if self.errors and not self.imported and not self.updated:
                head += " (nothing written)"
        lines = [head, f"{_n(self.error_count, 'error')}, {_n(self.warning_count, 'warning')}"]
        lines += [f"error: {e.where()}: {e.message}" for e in self.errors]
        lines += _not_listed(self.errors_not_listed, "error", len(self.errors))
        lines += [f"warning: {w.where()}: {w.message}" for w in self.warnings]
        lines += _not_listed(self.warnings_not_listed, "warning", len(self.warnings))
        return "\n".join(lines)


def _keep(listed: list[Issue], issues: Sequence[Issue]) -> int:
    """Add to ``listed`` what fits under ``MAX_LISTED``; how many did not fit."""
    room = max(MAX_LISTED - len(listed), 0)
    listed += issues[:room]
    return max(len(issues) - room, 0)


def _not_listed(count: int, noun: str, listed: int) -> list[str]:
    if not count:
        return []
    return [f"{_n(count, noun)} more not listed (only the first {listed:,} are)"]


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
