"""What the import dialog says about a report, a failure or a file, in a user's words.

Qt-free and separate from the steps so the sentences are tested as sentences, and
the steps that show them stay about layout.
"""

from __future__ import annotations

from collections.abc import Sequence

from internhost.core.errors import DomainError
from internhost.core.importers.result import ImportReport, Issue
from internhost.gui.errors import report as describe
from internhost.gui.models.import_preview_model import issue_text

#: Characters of each sample value shown in the mapping step.
SAMPLE_CHARS = 32


def plural(count: int, noun: str) -> str:
    """``1 row``, ``2 rows``; ``2 time entries``."""
    if count == 1:
        return f"{count:,} {noun}"
    many = noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"
    return f"{count:,} {many}"


def short(text: str, limit: int = SAMPLE_CHARS) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def summary(report: ImportReport) -> str:
    """``12 rows: 10 would be imported, 2 have errors`` (a dry run)."""
    invalid = report.outcomes.count_of("invalid")
    updates = report.outcomes.count_of("update")
    unchanged = report.outcomes.count_of("unchanged")
    parts = [f"{report.would_import:,} would be imported"]
    if updates or unchanged:
        detail = [f"{report.would_import - updates - unchanged:,} new"]
        detail += [f"{updates:,} updated"] if updates else []
        detail += [f"{unchanged:,} unchanged"] if unchanged else []
        parts[0] += f" ({', '.join(detail)})"
    if invalid:
        parts.append(f"{invalid:,} {'has' if invalid == 1 else 'have'} errors")
    text = f"{plural(report.rows, 'row')}: {', '.join(parts)}"
    if report.warnings:
        text += f"; {plural(report.warning_count, 'warning')}"
    return text


def result_text(
    report: ImportReport,
    skip_invalid: bool,
    record: str = "new intern",
    unchanged_are: str = "intern on record already matched the file",
) -> tuple[str, str]:
    """The result step's heading and the sentence under it (``record`` names what a
    row writes, ``unchanged_are`` what an unchanged row is)."""
    written = report.imported + report.updated
    done = [f"imported {plural(report.imported, record)}"] if report.imported else []
    done += [f"updated {plural(report.updated, 'intern')}"] if report.updated else []
    head = ", ".join(done) if written else "nothing was imported"
    head = head[0].upper() + head[1:]
    invalid = report.outcomes.count_of("invalid")
    lines = [f"{plural(report.rows, 'row')} in the file."]
    if invalid and written:
        lines.append(
            f"{plural(invalid, 'row')} with errors {'was' if invalid == 1 else 'were'} "
            "skipped; fix them in the file and import it again."
        )
    elif invalid:
        lines.append(
            f"{plural(invalid, 'row')} had errors, so nothing was written"
            + ("." if skip_invalid else " (all rows or none).")
        )
    unchanged = report.outcomes.count_of("unchanged")
    if unchanged:
        noun, _, rest = unchanged_are.partition(" ")
        verb = rest.replace("was ", "were ", 1) if unchanged != 1 else rest
        lines.append(f"{plural(unchanged, noun)} {verb}.")
    if report.warnings:
        lines.append(f"{plural(report.warning_count, 'warning')}: see the rows below.")
    return head, " ".join(lines)


def importing(report: ImportReport) -> str:
    """What the commit of the dry run ``report`` is doing, in the status line and the
    progress window (whose steps count the file's rows, the invalid ones too)."""
    if report.would_import == report.rows:
        return f"Importing {plural(report.rows, 'row')}…"
    return f"Importing {report.would_import:,} of the file's {plural(report.rows, 'row')}…"


def import_blocked(report: ImportReport | None, skip_invalid: bool) -> str | None:
    """Why Import may not run after the dry run ``report``, or None when it may."""
    if report is None:
        return "Check the rows first."
    if report.rows == 0:
        return "The file has no rows to import."
    invalid = report.outcomes.count_of("invalid")
    if report.errors and not skip_invalid:
        return (
            f"{plural(invalid, 'row')} {'has' if invalid == 1 else 'have'} errors, and the "
            "import is all or nothing. Fix the file and choose it again, or go back to the "
            "first step and choose to import the valid rows only."
        )
    if report.would_import == 0:
        return "No row can be imported."
    return None


def message(exc: BaseException) -> str:
    """A domain error's own words (no traceback: it is the user's to act on), or the
    app's description of anything else."""
    if isinstance(exc, DomainError):
        return str(exc)
    return describe(exc)


def file_issues(issues: Sequence[Issue]) -> list[str]:
    """The issues about the whole file (no line), worded."""
    return [issue_text(i) for i in issues if i.line is None]
