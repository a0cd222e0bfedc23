"""What an import tells its caller: the problems found and what was (or would be) written.

Shared by every CSV import (the roster now, the time clock later), so the CLI, the
JSON output and the GUI's preview table read one shape. Problems are plain values
with the file's physical line (None for the file as a whole) and the canonical
column, so a user can find the cell in the spreadsheet they sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from internhost.core.errors import DomainError


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


@dataclass
class ImportReport:
    """The result of one import or dry run; ``to_json`` is the documented shape.

    ``would_import`` counts the valid rows (new and updated records): what a commit
    with ``--skip-invalid`` would write. ``imported`` and ``updated`` count what was
    written (nothing on a dry run); ``updated`` leaves out records that did not change.
    """

    rows: int = 0
    imported: int = 0
    updated: int = 0
    would_import: int = 0
    dry_run: bool = False
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    outcomes: list[RowOutcome] = field(default_factory=list)

    @property
    def has_row_errors(self) -> bool:
        return bool(self.errors)

    def to_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "imported": self.imported,
            "updated": self.updated,
            "would_import": self.would_import,
            "dry_run": self.dry_run,
            "errors": [e.to_json() for e in self.errors],
            "warnings": [w.to_json() for w in self.warnings],
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
        lines = [head, f"{_n(len(self.errors), 'error')}, {_n(len(self.warnings), 'warning')}"]
        lines += [f"error: {e.where()}: {e.message}" for e in self.errors]
        lines += [f"warning: {w.where()}: {w.message}" for w in self.warnings]
        return "\n".join(lines)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
