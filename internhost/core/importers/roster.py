"""Roster import: a school's or SIS's spreadsheet of students → interns, their
guardians and emergency contacts, and placements with their checklists and plans.

The pipeline is the general one (``reading`` → ``mapping`` → ``values`` →
``result``); this module names the roster's columns and drives it. Every row is
checked before anything is written, and the write is all or nothing in one unit
of work: with ``skip_invalid`` the valid rows go in, without it any error means
nothing does. A dry run checks the same way inside a read-only session.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from internhost.core import audit, login_guard
from internhost.core.actor import Actor, Permission
from internhost.core.db import read_session, unit_of_work
from internhost.core.exporting import ROSTER_COLUMNS
from internhost.core.importers import mapping
from internhost.core.importers.reading import Table, read_table
from internhost.core.importers.result import ImportRefused, ImportReport, Issue, RowOutcome
from internhost.core.importers.roster_context import RosterContext
from internhost.core.importers.roster_rows import RowChecker, RowPlan
from internhost.core.importers.roster_write import write_plans
from internhost.core.models import School

KIND = "roster"
#: The canonical roster columns, in order; the interns export writes the same ones.
COLUMNS = ROSTER_COLUMNS
_ORDER = {column: i for i, column in enumerate(COLUMNS)}
REQUIRED = ("first_name", "last_name", "birth_date")
SPEC = mapping.ColumnSpec(
    kind=KIND,
    columns=COLUMNS,
    aliases={
        "first_name": ("First", "First Name", "Given Name", "Legal First Name", "Student First"),
        "last_name": ("Last", "Last Name", "Surname", "Family Name", "Legal Last Name"),
        "preferred_name": ("Preferred", "Preferred Name", "Nickname", "Goes By"),
        "birth_date": ("DOB", "Birth Date", "Date of Birth", "Birthdate", "Birthday"),
        "school": ("School Name", "High School", "Attending School"),
        "grade": ("Grade Level", "Gr"),
        "student_id": ("Student ID", "Student Number", "Student No", "ID Number", "SIS ID"),
        "guardian_name": ("Parent/Guardian", "Guardian", "Parent", "Parent Name", "Guardian 1"),
        "guardian_phone": ("Parent Phone", "Guardian Phone", "Parent/Guardian Phone"),
        "guardian_email": ("Parent Email", "Guardian Email", "Parent/Guardian Email"),
        "emergency_contact": ("Emergency Contact Name", "Emergency Name", "Emergency"),
        "emergency_phone": ("Emergency Contact Phone", "Emergency Phone Number"),
        "address": ("Home Address", "Street Address", "Street"),
        "district": ("Home District", "Residence District", "District of Residence"),
        "worksite": ("Site", "Work Site", "Location", "Plant"),
        "placement_start": ("Start", "Start Date", "Placement Start Date", "First Day"),
        "placement_end": ("End", "End Date", "Placement End Date", "Last Day"),
        "paid": ("Paid?", "Is Paid"),
        "hourly_rate": ("Rate", "Pay Rate", "Hourly Wage", "Wage", "Hourly Pay"),
        "program": ("Program Type", "Placement Type", "Work-Based Learning Type"),
        "mentor_email": ("Mentor", "Mentor E-mail", "Supervisor Email"),
    },
    # An interns export carries these; importing it back ignores them silently.
    ignored=frozenset({"id", "status"}),
)


def parse_mappings(texts: list[str]) -> dict[str, str]:
    """``["Header=column", ...]`` from the command line → {header: column}."""
    return dict(mapping.parse_mapping(text, SPEC) for text in texts)


def import_roster(
    factory: sessionmaker[Session],
    actor: Actor,
    data: bytes,
    *,
    school: str | None = None,
    mappings: Mapping[str, str] | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    update_existing: bool = False,
    today: date,
) -> ImportReport:
    """Check every row of ``data`` and, unless ``dry_run``, write them all or none.

    Raises ``ImportRefused`` (the CLI's exit 2) when the file cannot be read, a
    required column is missing, or ``school`` names no school on record.
    """
    login_guard.require_with(factory, actor, Permission.IMPORT)
    given = dict(mappings or {})
    for header, column in given.items():
        if column not in COLUMNS:
            raise ImportRefused(f"mapping {header!r}: {column!r} is not a roster column")
    table = read_table(data)
    session = read_session if dry_run else unit_of_work
    with _cycle_collection_paused(), session(factory, actor) as s:
        audit.label(s, "import roster")
        layout = mapping.resolve(table.headers, SPEC, mapping.remembered(s, KIND), given)
        ctx = RosterContext(s, with_stored=update_existing)
        default_school = _default_school(ctx, school)
        _require_columns(layout, table, has_default_school=default_school is not None)
        checker = RowChecker(
            s, ctx, default_school=default_school, update_existing=update_existing, today=today
        )
        report = ImportReport(rows=len(table.records), dry_run=dry_run)
        report.warnings += [*table.warnings, *layout.warnings]
        plans: list[RowPlan] = []
        for record in table.records:
            result = checker.check(record.line, layout.values(record))
            report.errors += sorted(result.errors, key=_in_column_order)
            report.warnings += [
                *table.overflow(record),
                *sorted(result.warnings, key=_in_column_order),
            ]
            action = "invalid" if result.plan is None else result.plan.action
            report.outcomes.append(RowOutcome(record.line, action, result.label))
            if result.plan is not None:
                plans.append(result.plan)
        report.would_import = len(plans)
        if dry_run:
            return report
        mapping.remember(s, KIND, given)
        if report.errors and not skip_invalid:
            return report
        write_plans(s, actor, plans, today)
        report.imported = sum(p.action == "create" for p in plans)
        report.updated = sum(p.action == "update" for p in plans)
    return report


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Check, write and commit without CPython's cycle collector. A big roster
    allocates millions of small objects (cells, rows, audit entries) and keeps
    hundreds of thousands alive until the commit, so the collector would walk the
    growing heap again and again (a sixth of a 10,000-row import) to find no
    cycles. Reference counting frees everything as before; the collector runs
    again afterwards, unless something else had it paused already."""
    paused_here = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused_here:
            gc.enable()


def _in_column_order(issue: Issue) -> int:
    return _ORDER.get(issue.column or "", len(_ORDER))


def _default_school(ctx: RosterContext, name: str | None) -> School | None:
    if name is None or not name.strip():
        return None
    school = ctx.school(name)
    if school is None:
        raise ImportRefused(f"unknown school {name!r} (--school); known: {ctx.school_names()}")
    return school


def _require_columns(layout: mapping.Layout, table: Table, *, has_default_school: bool) -> None:
    needed = [*REQUIRED, *([] if has_default_school else ["school"])]
    missing = [c for c in needed if not layout.has(c)]
    if missing:
        headers = ", ".join(repr(h) for h in table.headers)
        hint = " or give --school" if missing == ["school"] else ""
        raise ImportRefused(
            f"required column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f'not found among the headers {headers}; map with --map "Header=column"{hint}'
        )
