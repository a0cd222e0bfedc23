"""The import pipeline every CSV import shares: records checked a batch at a time,
each batch's valid rows written, all of them or none.

A file is streamed in batches: each is checked by the import's own row checker,
then written, with its audit events, and let go, so memory grows with the batch,
not the file. The write is all or nothing, in one transaction: with
``skip_invalid`` the valid rows go in; without it, the first error stops the
writing (the caller rolls back), while the rest of the file is still checked, so
the report lists every problem. Before each batch the import reports a step to its
``progress`` (``Rows 2,001–4,000 of 5,000``) and stops there with ``Cancelled``
if the user asked. The roster import and the time-clock import both drive it.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from itertools import islice
from typing import Any, Protocol

from internhost.core.importers import mapping
from internhost.core.importers.reading import Record, Roster, Source, open_roster
from internhost.core.importers.result import ImportRefused, ImportReport, Issue, RowOutcome
from internhost.core.progress import Progress


class Plan(Protocol):
    """What one valid row writes; ``action`` is ``create``, ``update`` or ``unchanged``."""

    @property
    def action(self) -> str: ...


class RowResult(Protocol):
    label: str
    plan: Any
    errors: list[Issue]
    warnings: list[Issue]


class RowChecker(Protocol):
    def check_batch(self, rows: Sequence[tuple[int, dict[str, str]]]) -> Sequence[RowResult]: ...

    def close(self) -> None:
        """Let go of what the checks kept (the rows seen so far, on disk)."""


#: Checks a batch into the report and returns the valid rows' plans (an import may
#: wrap ``check_rows`` so tests can hold it).
CheckBatch = Callable[[list[Record], Roster, mapping.Layout, Any, ImportReport], list[Any]]


def check_rows(
    batch: list[Record],
    roster: Roster,
    layout: mapping.Layout,
    checker: RowChecker,
    report: ImportReport,
    order: Mapping[str, int],
) -> list[Any]:
    """Check a batch's rows into ``report`` (each row's problems in ``order`` of their
    columns); the plans of the valid ones."""
    results = checker.check_batch([(record.line, layout.values(record)) for record in batch])
    plans: list[Any] = []

    def in_order(issue: Issue) -> int:
        return order.get(issue.column or "", len(order))

    for record, result in zip(batch, results, strict=True):
        report.add_errors(sorted(result.errors, key=in_order))
        report.add_warnings([*roster.overflow(record), *sorted(result.warnings, key=in_order)])
        action = "invalid" if result.plan is None else result.plan.action
        report.outcomes.append(RowOutcome(record.line, action, result.label))
        if result.plan is not None:
            plans.append(result.plan)
    report.rows += len(batch)
    report.would_import += len(plans)
    return plans


def run_import(
    s: Any,
    roster: Roster,
    layout: mapping.Layout,
    checker: RowChecker,
    report: ImportReport,
    write: Callable[[list[Any]], None] | None,
    *,
    kind: str,
    given: Mapping[str, str],
    skip_invalid: bool,
    progress: Progress,
    expected_rows: int | None,
    batch_rows: int,
    check: CheckBatch,
) -> tuple[bool, Steps]:
    """``run_batches`` as an import runs it in its unit of work ``s`` (``write`` None:
    a dry run): the checker closed after, and when an error stopped the writing, all
    rolled back and nothing reported imported, but the columns the user gave remembered
    all the same. Returns whether every batch was written, and the steps to go on with."""
    steps = Steps(progress, expected_rows)
    with closing(checker):
        whole = run_batches(
            roster,
            layout,
            checker,
            report,
            write,
            skip_invalid=skip_invalid,
            steps=steps,
            batch_rows=batch_rows,
            check=check,
        )
    if write is not None and not whole:  # an error: all or nothing
        s.rollback()
        report.imported = report.updated = 0
        mapping.remember(s, kind, given)  # the columns were right all the same
    return whole, steps


def run_batches(
    roster: Roster,
    layout: mapping.Layout,
    checker: RowChecker,
    report: ImportReport,
    write: Callable[[list[Any]], None] | None,
    *,
    skip_invalid: bool,
    steps: Steps,
    batch_rows: int,
    check: CheckBatch,
) -> bool:
    """Check every row into ``report``, a batch at a time, and ``write`` each batch's
    valid rows until a row has an error (unless ``skip_invalid``). True when every
    batch was written; False when an error stopped the writing, or for a dry run."""
    writing = write is not None
    for batch in batches(roster.records(), batch_rows):
        steps.batch(report.rows, len(batch))
        plans = check(batch, roster, layout, checker, report)
        writing = writing and (skip_invalid or not report.errors)
        if writing and write is not None:
            write(plans)
            report.imported += sum(p.action == "create" for p in plans)
            report.updated += sum(p.action == "update" for p in plans)
        del plans
        gc.collect(1)  # the batch's few cycles (statements), not the whole heap
    return writing


def given_mappings(mappings: Mapping[str, str] | None, spec: mapping.ColumnSpec) -> dict[str, str]:
    """This run's ``{header: column}``, every column one of ``spec``'s."""
    given = dict(mappings or {})
    for header, column in given.items():
        if column not in spec.columns:
            raise ImportRefused(f"mapping {header!r}: {column!r} is not a {spec.noun} column")
    return given


@contextmanager
def opened(
    source: Source, digest: str | None, ignore: Collection[int]
) -> Iterator[tuple[Roster, tuple[str, ...]]]:
    """The file open for reading, and its headers with those at ``ignore`` blanked
    (the mapping step's choice); a file whose SHA-256 is no longer ``digest`` (the
    one previewed) is refused."""
    with open_roster(source) as roster:
        if digest is not None and roster.digest != digest:
            raise ImportRefused("the file changed since it was checked; choose it again")
        yield roster, tuple("" if i in ignore else h for i, h in enumerate(roster.headers))


def require_columns(
    layout: mapping.Layout,
    headers: tuple[str, ...],
    spec: mapping.ColumnSpec,
    *,
    given: Collection[str] = (),
    hints: Mapping[str, str] | None = None,
) -> None:
    """Refuse a file without ``spec``'s required columns (those ``given`` otherwise
    aside) or without any of its ``any_of`` columns, naming what is missing;
    ``hints`` adds how a missing column can be given otherwise (``--school``)."""
    missing = [c for c in spec.required if c not in given and not layout.has(c)]
    if spec.any_of and not any(layout.has(c) for c in spec.any_of):
        missing.insert(0, " or ".join(spec.any_of))
    if missing:
        names = ", ".join(repr(h) for h in headers)
        hint = "".join((hints or {}).get(c, "") for c in missing) if len(missing) == 1 else ""
        raise ImportRefused(
            f"required column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f'not found among the headers {names}; map with --map "Header=column"{hint}'
        )


class Steps:
    """The import's steps as its ``progress`` hears them: one per batch of rows."""

    def __init__(self, progress: Progress, expected_rows: int | None) -> None:
        self.progress = progress
        self.expected = max(expected_rows or 0, 0)

    def _total(self, rows: int) -> int:
        """The rows the file holds: as expected, unless it proved longer; 0 (unknown)
        without an expectation."""
        return max(self.expected, rows) if self.expected else 0

    def batch(self, done: int, size: int) -> None:
        total = self._total(done + size)
        rows = f"Row {done + 1:,}" if size == 1 else f"Rows {done + 1:,}–{done + size:,}"
        self.progress.step(done, total, f"{rows} of {total:,}" if total else rows)

    def saving(self, rows: int, what: str = "Saving") -> None:
        self.progress.step(rows, self._total(rows), what)


def batches(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    it = iter(records)
    while batch := list(islice(it, size)):
        yield batch
