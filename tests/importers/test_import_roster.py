"""Importing new interns from messy rosters into the sample database: what is written,
which rows are refused and why, and that nothing is ever half-imported."""

from __future__ import annotations

import gc
import json
from datetime import date

import pytest
from sqlalchemy import select

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.errors import PermissionDenied
from internhost.core.importers.result import ImportRefused
from internhost.core.importers.roster import import_roster
from internhost.core.models import (
    AuditEvent,
    ChecklistItem,
    District,
    Intern,
    InternContact,
    Placement,
    PlanItem,
    School,
    Staff,
    Worksite,
)
from internhost.core.rules.checklist import PlacementFacts, required
from internhost.core.storage import db

HEADER = (
    "First Name,Last Name,DOB,School,Student ID,Parent/Guardian,Guardian Phone,"
    "Start Date,End Date,Worksite,Mentor Email,Paid,Rate,Program\r\n"
)
MENTOR = "maria.kowalski@prairieforge.example"


def _row(
    first: str = "Ana",
    last: str = "Ruiz",
    dob: str = "3/4/2008 0:00",
    school: str = "Auburn High School",
    student_id: str = "900001",
    guardian: str = "Rosa Ruiz",
    phone: str = "(815) 555-1000",
    start: str = "9/8/2025 0:00",
    end: str = "2025-12-18",
    worksite: str = "Rockford Plant",
    mentor: str = MENTOR,
    paid: str = "yes",
    rate: str = "$15.50",
    program: str = "Student-learner (co-op)",
) -> str:
    cells = [first, last, dob, school, student_id, guardian, phone, start, end, worksite]
    return ",".join([*cells, mentor, paid, rate, program]) + "\r\n"


def _interns(factory, last_name: str) -> list[Intern]:
    with db.read_session(factory, SYSTEM) as s:
        return list(s.scalars(select(Intern).where(Intern.legal_last_name == last_name)))


def _issues(report, kind: str = "errors") -> list[tuple[int | None, str | None]]:
    return [(i.line, i.column) for i in getattr(report, kind)]


def test_a_messy_excel_roster_imports_interns_guardians_and_placements(
    run_import, demo_factory, today
) -> None:
    data = (
        "\ufeff"
        + HEADER
        + "\r\n"  # a blank line
        + _row()
        + _row(
            first="José",
            last='"Núñez, Jr."',
            dob="2008-07-01",
            student_id="900002",
            guardian='"Núñez, María"',
            worksite="Elgin Assembly",
            mentor="",
            paid="no",
            rate="",
            program="school_wbl",
        )
    ).encode("utf-8")
    report = run_import(data)
    # José's unpaid placement, with no decision that he is not an employee, is one the
    # wage rule keeps from becoming active: imported, as a draft that says why.
    (drafted,) = report.to_json()["warnings"]
    assert (drafted["line"], drafted["column"]) == (4, "placement_start")
    assert drafted["message"].startswith("imported as a draft. Kept as a draft: ")
    assert {k: v for k, v in report.to_json().items() if k != "warnings"} == {
        "rows": 2,
        "imported": 2,
        "updated": 0,
        "would_import": 2,
        "dry_run": False,
        "errors": [],
        "errors_not_listed": 0,
        "warnings_not_listed": 0,
    }
    assert [(o.line, o.action, o.label) for o in report.outcomes] == [
        (3, "create", "Ruiz, Ana"),
        (4, "create", "Núñez, Jr., José"),
    ]
    [ana] = _interns(demo_factory, "Ruiz")
    assert ana.birth_date == date(2008, 3, 4) and ana.student_id == "900001"
    assert (ana.search_name, ana.sort_name) == ("ana ruiz 900001", "ruiz ana")
    with db.read_session(demo_factory, SYSTEM) as s:
        auburn = s.scalar(select(School).where(School.name == "Auburn High School"))
        assert (ana.school_id, ana.residence_district_id) == (auburn.id, auburn.district_id)
        assert ana.residence_district_confirmed is False
        [guardian] = s.scalars(select(InternContact).where(InternContact.intern_id == ana.id))
        assert (guardian.kind, guardian.position, guardian.name, guardian.phone) == (
            "guardian",
            0,
            "Rosa Ruiz",
            "(815) 555-1000",
        )
        [placement] = s.scalars(select(Placement).where(Placement.intern_id == ana.id))
        site = s.get(Worksite, placement.worksite_id)
        mentor = s.get(Staff, placement.mentor_id)
        assert (site.name, mentor.email) == ("Rockford Plant", MENTOR)
        assert (placement.start_date, placement.end_date) == (date(2025, 9, 8), date(2025, 12, 18))
        assert (placement.paid, placement.hourly_rate_cents, placement.program) == (
            True,
            1550,
            "student_learner",
        )
        keys = set(
            s.scalars(
                select(ChecklistItem.requirement_key).where(
                    ChecklistItem.placement_id == placement.id
                )
            )
        )
        facts = PlacementFacts(
            ana.birth_date, placement.start_date, placement.end_date, "IL", "student_learner", True
        )
        assert keys == {r.key for r in required(facts, today)} and "C5" in keys
        plan = s.scalars(select(PlanItem).where(PlanItem.placement_id == placement.id)).all()
        assert len(plan) == 13 and {p.status for p in plan} == {"open"}
        events = s.scalars(select(AuditEvent).where(AuditEvent.operation == "import roster")).all()
    by_aggregate = {(e.aggregate_type, e.aggregate_id): e for e in events}
    intern_event = by_aggregate[("interns", ana.id)]
    assert intern_event.action == "create"
    assert sorted(k.split(":")[0] for k in json.loads(intern_event.payload)) == [
        "intern_contacts",
        "interns",
        "placements",
    ]
    assert ("placement_checklist", placement.id) in by_aggregate
    assert ("placement_plan", placement.id) in by_aggregate
    [jose] = _interns(demo_factory, "Núñez, Jr.")
    with db.read_session(demo_factory, SYSTEM) as s:
        [p] = s.scalars(select(Placement).where(Placement.intern_id == jose.id))
        assert (p.paid, p.hourly_rate_cents, p.mentor_id, p.program) == (
            False,
            None,
            None,
            "school_wbl",
        )


def test_every_error_of_a_row_is_listed_with_its_physical_line(run_import, counts) -> None:
    before = counts()
    data = (
        HEADER
        + '"Ana",Ruiz,3/4/2008,Auburn High School,1,"Rosa\r\nRuiz",,9/8/2025,,,,,,\r\n'  # 2-3
        + _row(
            first="",
            dob="2008-02-30",
            school="Nowhere High",
            start="9/8/25",
            worksite="Moon Base",
            paid="maybe",
            rate='"12,50"',
            program="internship",
        )  # line 4
    )
    report = run_import(data)
    assert report.rows == 2 and report.imported == 0 and report.would_import == 0
    assert _issues(report) == [
        (2, "guardian_name"),  # a line break inside a name
        (4, "first_name"),
        (4, "birth_date"),
        (4, "school"),
        (4, "worksite"),
        (4, "placement_start"),
        (4, "paid"),
        (4, "hourly_rate"),
        (4, "program"),
    ]
    messages = {i.column: i.message for i in report.errors}
    assert messages["birth_date"] == "2008-02-30 is not a date"
    assert messages["first_name"] == "is required"
    assert messages["school"] == (
        "unknown school 'Nowhere High'; known: Auburn High School, Elgin High School "
        "and Jefferson High School"
    )
    assert messages["worksite"] == (
        "unknown worksite 'Moon Base'; known: Elgin Assembly and Rockford Plant"
    )
    assert "two-digit year" in messages["placement_start"]
    assert counts() == before


def test_one_bad_row_means_nothing_is_imported(run_import, counts) -> None:
    before = counts()
    data = HEADER + _row() + _row(first="Bo", student_id="900002", dob="13/13/2008")
    report = run_import(data)
    assert (report.imported, report.would_import, _issues(report)) == (0, 1, [(3, "birth_date")])
    assert counts() == before


def test_a_repeated_cell_parses_the_same_on_every_row(run_import, demo_factory) -> None:
    """Each distinct cell text is parsed once per import: repeats still count."""
    data = (
        HEADER
        + _row(paid="maybe", start="9/8/25")  # 2
        + _row(first="Bo", student_id="900002", paid="maybe", start="9/8/25")  # 3
        + _row(first="Cy", student_id="900003")  # 4
        + _row(first="Di", student_id="900004")  # 5
    )
    report = run_import(data, skip_invalid=True)
    assert _issues(report) == [
        (2, "placement_start"),
        (2, "paid"),
        (3, "placement_start"),
        (3, "paid"),
    ]
    assert [e.message for e in report.errors if e.column == "paid"] == [
        "maybe is not yes or no",
        "maybe is not yes or no",
    ]
    with db.read_session(demo_factory, SYSTEM) as s:
        placed = s.execute(
            select(Intern.legal_first_name, Placement.start_date, Placement.hourly_rate_cents)
            .join(Placement, Placement.intern_id == Intern.id)
            .where(Intern.legal_last_name == "Ruiz")
            .order_by(Intern.legal_first_name)
        ).all()
    assert placed == [("Cy", date(2025, 9, 8), 1550), ("Di", date(2025, 9, 8), 1550)]


def test_skip_invalid_imports_the_valid_rows(run_import, demo_factory) -> None:
    data = HEADER + _row() + _row(first="Bo", student_id="900002", dob="13/13/2008")
    report = run_import(data, skip_invalid=True)
    assert (report.imported, report.would_import, len(report.errors)) == (1, 1, 1)
    assert [i.legal_first_name for i in _interns(demo_factory, "Ruiz")] == ["Ana"]


def test_a_dry_run_writes_nothing(run_import, counts) -> None:
    before = counts()
    report = run_import(HEADER + _row() + _row(first="Bo", student_id="2"), dry_run=True)
    assert (report.dry_run, report.would_import, report.imported) == (True, 2, 0)
    assert report.to_json()["dry_run"] is True
    assert counts() == before


def test_duplicates_in_the_file_are_reported_on_the_later_row(run_import, demo_factory) -> None:
    data = (
        HEADER
        + _row()  # 2
        + _row(first="Bo", student_id="900001")  # 3: same school and student id
        + _row(first="ANA", last="ruiz", student_id="")  # 4: same name and birth date
        + _row(first="Ana", school="Elgin High School", student_id="900001", dob="2008-03-05")
    )
    report = run_import(data, skip_invalid=True)
    assert _issues(report) == [(3, "student_id"), (4, "last_name")]
    assert [e.message for e in report.errors] == [
        "same school and student id as line 2",
        "same name and birth date as line 2",
    ]
    assert report.imported == 2  # the first stays; another school's 900001 is someone else
    assert len(_interns(demo_factory, "Ruiz")) == 2


def test_duplicates_of_interns_on_record_are_errors(run_import, demo_factory) -> None:
    with db.read_session(demo_factory, SYSTEM) as s:
        jose = s.scalar(select(Intern).where(Intern.legal_first_name == "José"))
        jefferson = s.get(School, jose.school_id).name
    by_name = _row(
        first="jose", last="NUNEZ", dob=jose.birth_date.isoformat(), school=jefferson, student_id=""
    )
    by_id = _row(first="Someone", last="Else", school=jefferson, student_id=jose.student_id)
    report = run_import(HEADER + by_name + by_id)
    assert _issues(report) == [(2, "last_name"), (3, "student_id")]
    assert all("--update-existing" in e.message for e in report.errors)


def test_school_option_fills_empty_cells_ignoring_case(run_import, demo_factory) -> None:
    data = HEADER + _row(school="") + _row(first="Bo", student_id="2", school="Elgin High School")
    report = run_import(data, school="jefferson high school")
    assert report.imported == 2
    with db.read_session(demo_factory, SYSTEM) as s:
        schools = dict(
            s.execute(
                select(Intern.legal_first_name, School.name)
                .join(School, School.id == Intern.school_id)
                .where(Intern.legal_last_name == "Ruiz")
            ).all()
        )
    assert schools == {"Ana": "Jefferson High School", "Bo": "Elgin High School"}


def test_an_unknown_school_option_is_refused_naming_the_known_ones(run_import, counts) -> None:
    before = counts()
    with pytest.raises(ImportRefused, match=r"unknown school 'Lincoln'.*Auburn High School"):
        run_import(HEADER + _row(), school="Lincoln")
    assert counts() == before


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        ("First Name,Surname,School\r\n", "birth_date"),
        ("Given Name,Surname,DOB\r\n", "school"),
        ("Name,DOB\r\n", "first_name, last_name, school"),
    ],
)
def test_a_missing_required_column_refuses_the_file(run_import, header, missing) -> None:
    with pytest.raises(ImportRefused, match=f"required columns? {missing} not found"):
        run_import(header + "a,b,c\r\n")


def test_the_school_column_may_be_missing_with_the_school_option(run_import) -> None:
    data = "First,Last,Date of Birth\r\nAna,Ruiz,2008-03-04\r\n"
    assert run_import(data, school="AUBURN HIGH SCHOOL").imported == 1


def test_windows_1252_semicolons_and_accents(run_import, demo_factory) -> None:
    text = (
        "Prénom;Last Name;Date of Birth;Student ID\r\n"
        "José;Núñez-Ávila;07/01/2008;77\r\n"
        "Zoë;Ølsen;2008-07-02;78\r\n"
    )
    data = text.encode("cp1252")
    report = run_import(data, school="Auburn High School", mappings={"Prénom": "first_name"})
    assert report.imported == 2
    [fallback] = [w for w in report.warnings if w.line is None]
    assert fallback.message.startswith("the file is not UTF-8")
    [jose] = _interns(demo_factory, "Núñez-Ávila")
    assert (jose.legal_first_name, jose.search_name) == ("José", "jose nunez-avila 77")


def test_tab_delimited_with_preferred_names(run_import, demo_factory) -> None:
    data = b"Last Name\tFirst\tPreferred\tBirth Date\r\nLee\tXiaolong\tBruce\t1/2/2009\r\n"
    assert run_import(data, school="Auburn High School").imported == 1
    [lee] = [i for i in _interns(demo_factory, "Lee") if i.preferred_name == "Bruce"]
    assert lee.birth_date == date(2009, 1, 2)


def test_worksite_district_and_mentor_problems(run_import, demo_factory) -> None:
    data = (
        HEADER.replace("\r\n", ",District\r\n")
        + _row(worksite="", mentor="nobody@example.com").replace("\r\n", ",Lake County\r\n")
        + _row(first="Bo", student_id="2").replace("\r\n", ",School District U-46\r\n")
    )
    report = run_import(data)
    assert report.imported == 2 and not report.errors
    warnings = {(w.line, w.column): w.message for w in report.warnings}
    assert warnings == {
        (2, "district"): (
            "unknown district 'Lake County'; known: Rockford Public Schools District 205 "
            "and School District U-46"
        ),
        (2, "worksite"): "no worksite given: the placement is unassigned; set it in the app",
        (2, "mentor_email"): "no staff member has the e-mail nobody@example.com; no mentor set",
    }
    ana, bo = sorted(_interns(demo_factory, "Ruiz"), key=lambda i: i.legal_first_name)
    with db.read_session(demo_factory, SYSTEM) as s:
        [p] = s.scalars(select(Placement).where(Placement.intern_id == ana.id))
        assert (p.worksite_id, p.mentor_id) == (None, None)
        u46 = s.scalar(select(District).where(District.name == "School District U-46"))
        auburn = s.scalar(select(School).where(School.name == "Auburn High School"))
    assert (ana.residence_district_id, ana.residence_district_confirmed) == (
        auburn.district_id,
        False,
    )
    assert (bo.residence_district_id, bo.residence_district_confirmed) == (u46.id, True)


def test_with_one_worksite_an_empty_cell_uses_it(run_import, demo_factory) -> None:
    with db.unit_of_work(demo_factory, SYSTEM) as s:
        elgin = s.scalar(select(Worksite).where(Worksite.name == "Elgin Assembly"))
        elgin.archived_at = elgin.created_at
    report = run_import(HEADER + _row(worksite=""))
    assert (report.imported, report.warnings) == (1, [])
    [ana] = _interns(demo_factory, "Ruiz")
    with db.read_session(demo_factory, SYSTEM) as s:
        [p] = s.scalars(select(Placement).where(Placement.intern_id == ana.id))
        assert s.get(Worksite, p.worksite_id).name == "Rockford Plant"


def test_age_warnings_on_the_start_date(run_import) -> None:
    data = (
        HEADER
        + _row(dob="2012-01-01", program="")  # 13 on 2025-09-08
        + _row(first="Bo", student_id="2", dob="2010-09-09", program="")  # 14, production
        + _row(first="Cy", student_id="3", dob="2009-09-08", program="")  # 16 that day
    )
    report = run_import(data, dry_run=True)
    assert [(w.line, w.column, w.message) for w in report.warnings] == [
        (
            2,
            "birth_date",
            "student is 13 on the start date; federal law bars employing under-14s",
        ),
        (
            3,
            "worksite",
            "student is 14 on the start date and Rockford Plant has production areas: "
            "keep them out of the workroom",
        ),
    ]
    assert report.would_import == 3 and not report.errors


def test_placement_details_need_a_start_and_consistent_pay(run_import) -> None:
    data = (
        HEADER
        + _row(start="")
        + _row(first="Bo", student_id="2", paid="no", rate="$12")
        + _row(first="Cy", student_id="3", end="2025-09-01")
    )
    report = run_import(data, dry_run=True)
    assert [(e.line, e.column, e.message) for e in report.errors] == [
        (
            2,
            "placement_start",
            "is required for a placement (given: placement_end, worksite, mentor_email, paid, "
            "hourly_rate, program)",
        ),
        (3, "hourly_rate", "is given for an unpaid placement"),
        (4, "placement_end", "is before placement_start"),
    ]


def test_cells_beyond_the_placement_forms_limits_are_row_errors(run_import, counts) -> None:
    """The placement form's limits (dates in 2000-2100, at most $1,000.00 an hour): a
    rate or a date at the calendar's ends crashed the write instead."""
    before = counts()
    data = (
        HEADER
        + _row(rate="$99999999999999999999")
        + _row(first="Bo", student_id="2", start="9999-12-31", end="")
        + _row(first="Cy", student_id="3", start="0001-01-01")
        + _row(first="Di", student_id="4", end="12/31/9999 0:00", rate='"$1,000.01"')
        + _row(first="Ed", student_id="5", rate='"$1,000.00"')
    )
    report = run_import(data)
    assert [(e.line, e.column) for e in report.errors] == [
        (2, "hourly_rate"),
        (3, "placement_start"),
        (4, "placement_start"),
        (5, "placement_end"),
        (5, "hourly_rate"),
    ]
    messages = {(e.line, e.column): e.message for e in report.errors}
    assert messages[(2, "hourly_rate")] == "may not be more than $1,000.00"
    assert messages[(3, "placement_start")] == (
        "9999-12-31 is not between 2000 and 2100; check the year"
    )
    assert report.imported == 0 and counts() == before


def test_a_viewer_may_not_import(demo_factory) -> None:
    with pytest.raises(PermissionDenied):
        import_roster(
            demo_factory, Actor(Role.VIEWER, "v"), HEADER.encode(), today=date(2025, 10, 15)
        )


def test_a_header_only_file_imports_nothing_without_complaint(run_import) -> None:
    report = run_import(HEADER)
    assert (report.rows, report.imported, report.errors, report.warnings) == (0, 0, [], [])


def test_an_unquoted_comma_that_shifts_a_row_is_pointed_out(run_import) -> None:
    data = HEADER + _row(last="Ruiz, Jr.")
    report = run_import(data, dry_run=True)
    assert (2, None) in _issues(report, "warnings")
    assert report.errors and report.outcomes[0].action == "invalid"
    assert report.outcomes[0].label == "Ruiz, Ana"


def test_an_interns_export_reads_back_without_warnings(run_import, demo_factory) -> None:
    """Our own CSV export: canonical headers, an ``id`` and a ``status`` column (ignored
    silently) and formula-guarded cells (the guard is stripped)."""
    data = (
        "\ufeffid,first_name,last_name,birth_date,school,guardian_name,guardian_phone,status\r\n"
        "77,Ana,Ruiz,2008-03-04,Auburn High School,'=Rosa,'+1 815 555 0100,active\r\n"
    ).encode()
    report = run_import(data)
    assert (report.imported, report.warnings, report.errors) == (1, [], [])
    [ana] = _interns(demo_factory, "Ruiz")
    assert ana.id != 77
    with db.read_session(demo_factory, SYSTEM) as s:
        [guardian] = s.scalars(select(InternContact).where(InternContact.intern_id == ana.id))
    assert (guardian.name, guardian.phone) == ("=Rosa", "+1 815 555 0100")


def test_the_cycle_collector_runs_again_after_an_import(run_import) -> None:
    """The import pauses it while it works, whatever the outcome, and leaves it
    paused when the caller had paused it."""
    assert gc.isenabled()
    assert run_import(HEADER + _row()).imported == 1
    assert gc.isenabled()
    with pytest.raises(ImportRefused):
        run_import(HEADER + _row(first="Bo", student_id="2"), school="Nowhere High")
    assert gc.isenabled()
    gc.disable()
    try:
        run_import(HEADER + _row(first="Cy", student_id="3"))
        assert not gc.isenabled()
    finally:
        gc.enable()
