"""--update-existing (blank cells keep what is stored) and mappings remembered
across imports."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from internhost.core.actor import SYSTEM
from internhost.core.models import (
    ChecklistItem,
    ImportMapping,
    Intern,
    InternContact,
    Placement,
    PlanItem,
    School,
)
from internhost.core.storage import db

HEADER = (
    "Student ID,School,First Name,Last Name,DOB,Grade,Parent/Guardian,Guardian Phone,"
    "Emergency Contact,Start Date,End Date,Rate\r\n"
)


@pytest.fixture
def jose(demo_factory) -> dict:
    """José Núñez of the sample, as stored, with his first guardian and placements."""
    with db.read_session(demo_factory, SYSTEM) as s:
        intern = s.scalar(select(Intern).where(Intern.legal_first_name == "José"))
        contacts = s.scalars(
            select(InternContact)
            .where(InternContact.intern_id == intern.id)
            .order_by(InternContact.position)
        ).all()
        placements = s.scalars(
            select(Placement).where(Placement.intern_id == intern.id).order_by(Placement.start_date)
        ).all()
        return {
            "intern": intern,
            "school": s.get(School, intern.school_id).name,
            "guardian": next(c for c in contacts if c.kind == "guardian"),
            "emergency": next(c for c in contacts if c.kind == "emergency"),
            "placements": placements,
        }


def _line(jose: dict, **cells: str) -> str:
    values = {
        "student_id": jose["intern"].student_id,
        "school": jose["school"],
        "first": "",
        "last": "",
        "dob": "",
        "grade": "",
        "guardian": "",
        "phone": "",
        "emergency": "",
        "start": "",
        "end": "",
        "rate": "",
        **cells,
    }
    return ",".join(values.values()) + "\r\n"


def _stored(factory, intern_id: int) -> dict:
    with db.read_session(factory, SYSTEM) as s:
        intern = s.get(Intern, intern_id)
        contacts = s.scalars(
            select(InternContact)
            .where(InternContact.intern_id == intern_id)
            .order_by(InternContact.id)
        ).all()
        placements = s.scalars(
            select(Placement).where(Placement.intern_id == intern_id).order_by(Placement.id)
        ).all()
        return {
            "intern": {c.key: getattr(intern, c.key) for c in Intern.__table__.columns},
            "contacts": [(c.kind, c.position, c.name, c.phone, c.email) for c in contacts],
            "placements": [
                (p.id, p.start_date, p.end_date, p.hourly_rate_cents, p.worksite_id, p.mentor_id)
                for p in placements
            ],
        }


def test_update_existing_keeps_blank_cells_and_updates_the_first_guardian(
    run_import, demo_factory, jose
) -> None:
    intern = jose["intern"]
    before = _stored(demo_factory, intern.id)
    report = run_import(HEADER + _line(jose, phone="(815) 555-7777"), update_existing=True)
    assert (report.imported, report.updated, report.would_import) == (0, 1, 1)
    assert report.outcomes[0].action == "update" and not report.errors
    after = _stored(demo_factory, intern.id)
    assert after["intern"] == before["intern"]
    assert after["placements"] == before["placements"]
    guardian = jose["guardian"]
    expected = [
        (k, p, n, "(815) 555-7777" if (k, p) == ("guardian", guardian.position) else ph, e)
        for k, p, n, ph, e in before["contacts"]
    ]
    assert after["contacts"] == expected


def test_without_update_existing_the_same_row_is_a_duplicate(run_import, jose) -> None:
    report = run_import(HEADER + _line(jose, phone="1"))
    assert (2, "student_id") in [(e.line, e.column) for e in report.errors]
    assert report.would_import == 0


def test_a_placement_with_the_same_school_and_start_is_updated_not_added(
    run_import, demo_factory, jose
) -> None:
    first = jose["placements"][0]
    row = _line(
        jose,
        grade="11",
        start=f"{first.start_date.month}/{first.start_date.day}/{first.start_date.year} 0:00",
        end="2025-12-19",
        rate="$16.25",
    )
    report = run_import(HEADER + row, update_existing=True)
    assert (report.updated, report.errors) == (1, [])
    after = _stored(demo_factory, jose["intern"].id)
    assert after["intern"]["grade"] == 11
    assert len(after["placements"]) == len(jose["placements"])
    updated = next(p for p in after["placements"] if p[0] == first.id)
    assert updated[1:4] == (first.start_date, date(2025, 12, 19), 1625)
    assert updated[4:] == (first.worksite_id, first.mentor_id)  # blank: kept


def test_a_new_start_date_adds_a_placement_with_checklist_and_plan(
    run_import, demo_factory, jose
) -> None:
    report = run_import(
        HEADER + _line(jose, start="2027-02-01", emergency="Ines Vega"), update_existing=True
    )
    assert (report.updated, report.errors) == (1, [])
    after = _stored(demo_factory, jose["intern"].id)
    assert len(after["placements"]) == len(jose["placements"]) + 1
    new_id = after["placements"][-1][0]
    with db.read_session(demo_factory, SYSTEM) as s:
        assert s.scalar(select(func.count()).where(ChecklistItem.placement_id == new_id))
        assert s.scalar(select(func.count()).where(PlanItem.placement_id == new_id)) == 13
    # an emergency contact exists, so the first one is renamed, not a second added
    assert [c[2] for c in after["contacts"] if c[0] == "emergency"] == ["Ines Vega"]


def test_an_unchanged_row_writes_nothing(run_import, demo_factory, jose, counts) -> None:
    intern, guardian = jose["intern"], jose["guardian"]
    row = _line(
        jose,
        first=intern.legal_first_name,
        last=intern.legal_last_name,
        dob=intern.birth_date.isoformat(),
        grade=str(intern.grade),
        guardian=guardian.name,
        phone=guardian.phone,
    )
    before = counts()
    report = run_import(HEADER + row, update_existing=True)
    assert (report.updated, report.would_import, report.outcomes[0].action) == (
        0,
        1,
        "unchanged",
    )
    assert counts() == before


def test_two_rows_for_one_stored_intern_are_a_duplicate(run_import, jose) -> None:
    intern = jose["intern"]
    by_name = _line(
        jose,
        student_id="",
        first=intern.legal_first_name,
        last=intern.legal_last_name,
        dob=intern.birth_date.isoformat(),
        grade="10",
    )
    report = run_import(HEADER + _line(jose, grade="11") + by_name, update_existing=True)
    assert [(e.line, e.column, e.message) for e in report.errors] == [
        (3, "last_name", "same intern on record as line 2")
    ]


MAPPED = "Pupil No,Forename,Surname,DOB\r\n"


def test_mappings_are_remembered_for_the_next_file(run_import, demo_factory) -> None:
    first = run_import(
        MAPPED + "P-1,Ana,Ruiz,2008-03-04\r\n",
        school="Auburn High School",
        mappings={"Pupil No": "student_id", "Forename": "first_name", "Surname": "last_name"},
    )
    assert (first.imported, first.warnings) == (1, [])
    with db.read_session(demo_factory, SYSTEM) as s:
        stored = dict(s.execute(select(ImportMapping.header, ImportMapping.column)).all())
        kinds = set(s.scalars(select(ImportMapping.kind)))
    assert stored == {"pupil no": "student_id", "forename": "first_name", "surname": "last_name"}
    assert kinds == {"roster"}
    second = run_import(MAPPED + "P-2,Bo,Ruiz,2008-05-06\r\n", school="Auburn High School")
    assert (second.imported, second.warnings) == (1, [])
    with db.read_session(demo_factory, SYSTEM) as s:
        ids = set(s.scalars(select(Intern.student_id).where(Intern.legal_last_name == "Ruiz")))
    assert ids == {"P-1", "P-2"}


def test_a_changed_mapping_replaces_the_remembered_one(run_import, demo_factory) -> None:
    forename = {"Forename": "first_name"}
    run_import(MAPPED, school="Auburn High School", mappings={"Pupil No": "grade", **forename})
    run_import(MAPPED, school="Auburn High School", mappings={"Pupil No": "student_id"})
    with db.read_session(demo_factory, SYSTEM) as s:
        stored = dict(s.execute(select(ImportMapping.header, ImportMapping.column)).all())
    assert stored == {"pupil no": "student_id", "forename": "first_name"}


def test_a_dry_run_does_not_remember_mappings(run_import, demo_factory) -> None:
    mappings = {"Pupil No": "student_id", "Forename": "first_name"}
    report = run_import(MAPPED, school="Auburn High School", mappings=mappings, dry_run=True)
    assert report.warnings == []
    with db.read_session(demo_factory, SYSTEM) as s:
        assert s.scalar(select(func.count()).select_from(ImportMapping)) == 0


def test_a_corrected_spelling_is_an_update_but_e_mail_case_is_not(
    run_import, demo_factory, jose
) -> None:
    guardian = jose["guardian"]
    header = "Student ID,School,First,Last,DOB,Parent/Guardian,Guardian Email\r\n"
    row = f"{jose['intern'].student_id},{jose['school']},,,,{guardian.name.upper()},"
    report = run_import(header + row + guardian.email.upper() + "\r\n", update_existing=True)
    assert report.updated == 1
    with db.read_session(demo_factory, SYSTEM) as s:
        stored = s.get(InternContact, guardian.id)
    assert (stored.name, stored.email) == (guardian.name.upper(), guardian.email)
