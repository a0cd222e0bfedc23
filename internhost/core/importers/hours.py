"""Time-clock import: a clock's or payroll system's punches → logged time entries.

The pipeline is the roster's (``reading`` → ``mapping`` → ``pipeline`` →
``result``); this module names the clock's columns and drives it, and
``hours_rows`` checks each row. The write is all or nothing unless
``skip_invalid``; after the last batch every intern whose hours came in is checked
against the rules (``compliance.check_interns``) and the findings stored with the
entries, in the same transaction: what the new entries feed (``check_interns``'s
``entries_changed``, with the new entries' ids and dates, so only the weeks they
touch are checked again), not the plans and placements they leave as they were. A
violation never refuses a row: entries record what happened.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from internhost.core.actor import Actor, Permission
from internhost.core.collection import cycle_collection_paused
from internhost.core.importers import mapping
from internhost.core.importers.hours_rows import EntryPlan, HoursChecker, HoursContext
from internhost.core.importers.pipeline import (
    check_rows,
    given_mappings,
    opened,
    require_columns,
    run_import,
)
from internhost.core.importers.reading import Record, Roster, Source
from internhost.core.importers.result import ImportReport
from internhost.core.models import TimeEntry, WorkBreak, WorkTask
from internhost.core.progress import NO_PROGRESS, Progress
from internhost.core.services import compliance
from internhost.core.storage.db import read_session, unit_of_work
from internhost.core.trail import audit, login_guard

KIND = "hours"
COLUMNS = (
    "badge",
    "student_id",
    "school",
    "date",
    "in",
    "out",
    "out_date",
    "break_start",
    "break_end",
    "supervisor",
    "tasks",
)
_ORDER = {column: i for i, column in enumerate(COLUMNS)}
REQUIRED = ("date", "in", "out")
#: At least one of these names the intern.
IDENTIFIERS = ("badge", "student_id")
SPEC = mapping.ColumnSpec(
    kind=KIND,
    columns=COLUMNS,
    aliases={
        "badge": ("Badge", "Badge #", "Badge No", "Employee ID", "Employee Number", "File #"),
        "student_id": ("Student ID", "Student #", "Student Number"),
        "school": ("School Name",),
        "date": ("Date", "Work Date", "Punch Date"),
        "in": ("In", "Time In", "Punch In", "Clock In"),
        "out": ("Out", "Time Out", "Punch Out", "Clock Out"),
        "out_date": ("Out Date", "Date Out", "Punch Out Date"),
        "break_start": ("Break Start", "Break Out", "Lunch Out", "Meal Start"),
        "break_end": ("Break End", "Break In", "Lunch In", "Meal End"),
        "supervisor": ("Supervisor", "Supervisor Email", "On-site Supervisor"),
        "tasks": ("Tasks", "Task", "Machines", "Job"),
    },
    ignored=frozenset({"id", "name", "employee name", "first name", "last name", "hours"}),
    required=REQUIRED,
    any_of=IDENTIFIERS,
    noun="time-clock",
)
#: Rows checked and written at a time.
BATCH_ROWS = 2_000


def parse_mappings(texts: list[str]) -> dict[str, str]:
    """``["Header=column", ...]`` from the command line → {header: column}."""
    return dict(mapping.parse_mapping(text, SPEC) for text in texts)


def import_hours(
    factory: sessionmaker[Session],
    actor: Actor,
    source: Source,
    *,
    mappings: Mapping[str, str] | None = None,
    ignore: Collection[int] = (),
    digest: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    today: date,
    expected_rows: int | None = None,
    progress: Progress = NO_PROGRESS,
) -> ImportReport:
    """Check every row of ``source`` and, unless ``dry_run``, write the entries and
    store their findings, all or none (the valid ones with ``skip_invalid``).

    Raises ``ImportRefused`` (the CLI's exit 2) when the file cannot be read or is
    over the size limits, or a required column is missing; nothing is written then.
    ``ignore``, ``digest``, ``expected_rows`` and ``progress`` as for the roster.
    """
    login_guard.require_with(factory, actor, Permission.IMPORT)
    given = given_mappings(mappings, SPEC)
    with opened(source, digest, ignore) as (roster, headers):
        session = read_session if dry_run else unit_of_work
        with cycle_collection_paused(), session(factory, actor) as s:
            audit.label(s, "import hours")
            layout = mapping.resolve(headers, SPEC, mapping.remembered(s, KIND), given)
            require_columns(layout, headers, SPEC)
            report = ImportReport(dry_run=dry_run)
            report.add_warnings([*roster.warnings, *layout.warnings])
            if not dry_run:
                mapping.remember(s, KIND, given)
            checker = HoursChecker(s, HoursContext(s), today=today, entered_by=actor.user_id)
            touched: set[int] = set()
            added: dict[int, dict[int, date]] = {}  # placement -> {new entry: work date}

            def write(plans: list[EntryPlan]) -> None:
                new = [p for p in plans if p.action == "create"]
                ids = _write_entries(s, new)
                touched.update(p.intern_id for p in new)
                for plan, entry_id in zip(new, ids, strict=True):
                    placement = added.setdefault(plan.entry["placement_id"], {})
                    placement[entry_id] = plan.entry["work_date"]
                audit.flush_events(s)  # the payloads go with the batch

            whole, steps = run_import(
                s,
                roster,
                layout,
                checker,
                report,
                None if dry_run else write,
                kind=KIND,
                given=given,
                skip_invalid=skip_invalid,
                progress=progress,
                expected_rows=expected_rows,
                batch_rows=BATCH_ROWS,
                check=_check,
            )
            if whole and not dry_run:
                steps.saving(report.rows, "Checking the rules")
                compliance.check_interns(s, actor, sorted(touched), today, entries_changed=added)
                audit.label(s, "import hours")  # the checks' findings belong to the import
                steps.saving(report.rows)  # the last moment a Cancel keeps nothing
    return report


def _check(
    batch: list[Record], roster: Roster, layout: mapping.Layout, checker: Any, report: ImportReport
) -> list[EntryPlan]:
    return check_rows(batch, roster, layout, checker, report, _ORDER)


def _write_entries(s: Session, plans: list[EntryPlan]) -> list[int]:
    """Insert the entries, their breaks and tasks: one executemany per table; the
    entries' ids, in the order of ``plans``."""
    ids = audit.bulk_insert(s, TimeEntry, [p.entry for p in plans])
    root = _entry_root
    breaks = [
        {"time_entry_id": i, "start_local": a, "end_local": b}
        for i, p in zip(ids, plans, strict=True)
        for a, b in p.breaks
    ]
    tasks = [{"time_entry_id": i, **t} for i, p in zip(ids, plans, strict=True) for t in p.tasks]
    audit.bulk_insert(s, WorkBreak, breaks, root=root)
    audit.bulk_insert(s, WorkTask, tasks, root=root)
    return ids


def _entry_root(row: Mapping[str, Any]) -> tuple[str, int | None]:
    """A break or task of an entry is audited with its entry."""
    return "time_entries", row["time_entry_id"]
