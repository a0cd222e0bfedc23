"""Roster import: a school's or SIS's spreadsheet of students → interns, their
guardians and emergency contacts, and placements with their checklists and plans.

The pipeline is the general one (``reading`` → ``mapping`` → ``values`` →
``result``); this module names the roster's columns and drives it. The file is
streamed in batches of ``BATCH_ROWS``: each batch is checked, then written, with
its audit events, and let go, so memory grows with the batch, not the file; what
must outlive a batch is compact (the keys that catch a student listed twice, each
row's outcome, the first ``MAX_LISTED`` errors). The write is still all or nothing,
in one transaction: with ``skip_invalid`` the valid rows go in; without it, the
first error stops the writing and the transaction is rolled back at the end, every
batch and audit event with it, while the rest of the file is still checked. A dry
run checks the same way inside a read-only session.

Before each batch the import reports a step (``Rows 2,001–4,000 of 5,000``) to its
``progress`` and stops there with ``Cancelled`` if the user asked; the commit has one
step more (``Saving``) just before it. A cancelled import is rolled back whole: it
keeps nothing, not even the mappings it would have remembered.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from internhost.core.actor import Actor, Permission
from internhost.core.collection import cycle_collection_paused
from internhost.core.fileio.exporting import ROSTER_COLUMNS
from internhost.core.importers import mapping
from internhost.core.importers.pipeline import (
    check_rows,
    given_mappings,
    opened,
    require_columns,
    run_import,
)
from internhost.core.importers.reading import Record, Roster, Source
from internhost.core.importers.result import ImportRefused, ImportReport
from internhost.core.importers.roster_context import RosterContext
from internhost.core.importers.roster_rows import RowChecker, RowPlan
from internhost.core.importers.roster_write import write_plans
from internhost.core.models import School
from internhost.core.progress import NO_PROGRESS, Progress
from internhost.core.storage.db import read_session, refresh_statistics, unit_of_work
from internhost.core.trail import audit, login_guard

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
        "badge": (
            "Badge #",
            "Badge Number",
            "Badge No",
            "Employee ID",
            "Employee Number",
            "Employee No",
            "File #",
        ),
    },
    # An interns export carries these; importing it back ignores them silently.
    ignored=frozenset({"id", "status"}),
    # A school too, unless the import is given a default school.
    required=(*REQUIRED, "school"),
    noun="roster",
)


def parse_mappings(texts: list[str]) -> dict[str, str]:
    """``["Header=column", ...]`` from the command line → {header: column}."""
    return dict(mapping.parse_mapping(text, SPEC) for text in texts)


#: Rows checked and written at a time: big enough that a batch's few statements
#: per table cost nothing beside its rows, small enough that its plans and audit
#: payloads stay a few tens of MB.
BATCH_ROWS = 2_000


def import_roster(
    factory: sessionmaker[Session],
    actor: Actor,
    source: Source,
    *,
    school: str | None = None,
    mappings: Mapping[str, str] | None = None,
    ignore: Collection[int] = (),
    digest: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    update_existing: bool = False,
    today: date,
    expected_rows: int | None = None,
    progress: Progress = NO_PROGRESS,
) -> ImportReport:
    """Check every row of ``source`` (bytes, a path or a binary file) and, unless
    ``dry_run``, write them all or none.

    ``ignore`` names header positions to ignore without a word (the mapping step's
    choice); ``digest``, the SHA-256 the file had when it was previewed: a file
    changed since is refused. Raises ``ImportRefused`` (the CLI's exit 2) when the
    file is over the size limits or cannot be read, a required column is missing,
    or ``school`` names no school on record; nothing is written then.

    ``progress`` hears a step before each batch, ``of expected_rows`` when the caller
    knows how many records the file holds (the mapping step counted them), and
    raises ``Cancelled`` there when the user asked: nothing is written then either.
    """
    login_guard.require_with(factory, actor, Permission.IMPORT)
    given = given_mappings(mappings, SPEC)
    with opened(source, digest, ignore) as (roster, headers):
        session = read_session if dry_run else unit_of_work
        with cycle_collection_paused(), session(factory, actor) as s:
            audit.label(s, "import roster")
            layout = mapping.resolve(headers, SPEC, mapping.remembered(s, KIND), given)
            ctx = RosterContext(s, with_stored=update_existing)
            default_school = _default_school(ctx, school)
            require_columns(
                layout,
                headers,
                SPEC,
                given=("school",) if default_school is not None else (),
                hints={"school": " or give --school"},
            )
            report = ImportReport(dry_run=dry_run)
            report.add_warnings([*roster.warnings, *layout.warnings])
            if not dry_run:
                mapping.remember(s, KIND, given)
            checker = RowChecker(
                s, ctx, default_school=default_school, update_existing=update_existing, today=today
            )

            def write(plans: list[RowPlan]) -> None:
                report.add_warnings(write_plans(s, actor, plans, today))
                audit.flush_events(s)  # the payloads go with the batch

            _, steps = run_import(
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
                check=lambda *args: _check(*args),  # looked up when called
            )
            if not dry_run:
                steps.saving(report.rows)  # the last moment a Cancel keeps nothing
    if report.imported or report.updated:
        refresh_statistics(factory)  # a roster can multiply the interns at once
    return report


def _check(
    batch: list[Record],
    roster: Roster,
    layout: mapping.Layout,
    checker: RowChecker,
    report: ImportReport,
) -> list[RowPlan]:
    """Check a batch's rows into ``report``; the plans of the valid ones."""
    return check_rows(batch, roster, layout, checker, report, _ORDER)


def _default_school(ctx: RosterContext, name: str | None) -> School | None:
    if name is None or not name.strip():
        return None
    school = ctx.school(name)
    if school is None:
        raise ImportRefused(f"unknown school {name!r} (--school); known: {ctx.school_names()}")
    return school
