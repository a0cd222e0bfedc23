"""Reading back what set-up saved: the lists the records screens show, the inputs the
forms edit (saving them again changes nothing), and archiving."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.errors import NotFound, PermissionDenied, ValidationError
from internhost.core.models import AuditEvent, Placement
from internhost.core.services import directory, interns, setup
from internhost.core.storage import db

TODAY = date(2025, 10, 15)
VIEWER = Actor(Role.VIEWER, "v")


def _events(factory) -> int:
    with db.read_session(factory, SYSTEM) as s:
        return s.scalar(select(func.count()).select_from(AuditEvent))


@pytest.fixture
def ids(factory) -> dict[str, int]:
    """An employer with two worksites, a machine, three staff, a calendar, two schools."""
    out: dict[str, int] = {}
    with db.unit_of_work(factory, SYSTEM) as s:
        setup.save_employer(
            s,
            SYSTEM,
            setup.EmployerInput(
                legal_name="Acme Stamping LLC",
                address="1 Press Way\nRockford, IL",
                hr_contact_name="Hal Hr",
                hr_contact_email="hal@acme.example",
                wc_carrier="Midwest Mutual",
                wc_policy_number="WC-1",
                wc_policy_expires=date(2026, 6, 30),
                liability_coi_expires=date(2026, 6, 30),
                child_labor_notice_posted_on=date(2025, 8, 1),
                federal_poster_posted_on=date(2025, 8, 1),
            ),
        )
        plant = setup.save_worksite(
            s,
            SYSTEM,
            setup.WorksiteInput(
                "Plant 1",
                "IL",
                "America/Chicago",
                address="1 Press Way",
                city="Rockford",
                postal_code="61101",
                areas=(("Press Line", "production"), ("Office", "office")),
            ),
        )
        office = setup.save_worksite(
            s, SYSTEM, setup.WorksiteInput("Annex", "IL", "America/Chicago")
        )
        baler = setup.save_equipment(
            s,
            SYSTEM,
            setup.EquipmentInput(
                plant.id,
                "Cardboard baler",
                ("baler_load", "baler_operate"),
                area="Press Line",
                description="Harris 60",
            ),
        )
        press = setup.save_equipment(
            s, SYSTEM, setup.EquipmentInput(plant.id, "Press 4", ("punch_press",))
        )
        out["mentor"] = setup.save_staff(
            s,
            SYSTEM,
            setup.StaffInput(
                "Maria",
                "Kowalski",
                "mentor",
                email="maria@acme.example",
                phone="815-555-0100",
                title="Lead",
                worksite_id=plant.id,
                is_21_or_older=True,
                clearance_date=date(2025, 7, 1),
                mentor_training_date=date(2025, 7, 15),
            ),
            today=TODAY,
        )
        out["supervisor"] = setup.save_staff(
            s, SYSTEM, setup.StaffInput("Sam", "Able", "supervisor"), today=TODAY
        )
        out["hr"] = setup.save_staff(
            s, SYSTEM, setup.StaffInput("Hal", "Hr", "hr", email="hal@acme.example"), today=TODAY
        )
        out["calendar"] = setup.save_calendar(
            s,
            SYSTEM,
            setup.CalendarInput(
                district="Rockford SD 205",
                school_year="2025-26",
                first_day=date(2025, 8, 20),
                last_day=date(2026, 6, 4),
                day_start=time(8),
                day_end=time(15),
                no_school=(date(2025, 9, 1), date(2025, 11, 27)),
                early_dismissal=((date(2025, 12, 19), time(12)),),
                late_start=((date(2025, 10, 1), time(10)),),
            ),
        )
        out["school"] = setup.save_school(
            s,
            SYSTEM,
            setup.SchoolInput(
                "Auburn High School",
                "Rockford SD 205",
                address="5110 Auburn St",
                coordinator_name="Cora Ord",
                coordinator_email="cora@rps.example",
                coordinator_phone="815-555-0199",
            ),
        )
        out["other_school"] = setup.save_school(
            s, SYSTEM, setup.SchoolInput("Boylan", "Rockford SD 205")
        )
        out |= {"plant": plant.id, "annex": office.id, "baler": baler.id, "press": press.id}
    return out


def test_the_employer_reads_back_and_resaves_as_nothing(factory, ids) -> None:
    with db.read_session(factory, SYSTEM) as s:
        data = directory.employer_input(s, VIEWER)
    assert data.legal_name == "Acme Stamping LLC" and data.wc_policy_expires == date(2026, 6, 30)
    assert data.address == "1 Press Way\nRockford, IL"
    before = _events(factory)
    with db.unit_of_work(factory, SYSTEM) as s:
        setup.save_employer(s, SYSTEM, data)
    assert _events(factory) == before


def test_no_employer_yet_reads_as_none(factory) -> None:
    with db.read_session(factory, SYSTEM) as s:
        assert directory.employer_input(s, SYSTEM) is None
        assert directory.list_worksites(s, SYSTEM) == []
        assert directory.list_staff(s, SYSTEM) == []
        assert directory.list_districts(s, SYSTEM) == []


def test_every_input_saves_back_unchanged(factory, ids) -> None:
    with db.read_session(factory, SYSTEM) as s:
        site = directory.worksite_input(s, VIEWER, ids["plant"])
        machine = directory.equipment_input(s, VIEWER, ids["baler"])
        mentor = directory.staff_input(s, VIEWER, ids["mentor"])
        supervisor = directory.staff_input(s, VIEWER, ids["supervisor"])
        calendar = directory.calendar_for_edit(s, VIEWER, ids["calendar"])
        school = directory.school_input(s, VIEWER, ids["school"])
    assert site.areas == (("Office", "office"), ("Press Line", "production"))
    assert (site.city, site.postal_code) == ("Rockford", "61101")
    assert machine.task_keys == ("baler_load", "baler_operate")
    assert (machine.area, machine.description) == ("Press Line", "Harris 60")
    assert mentor.email == "maria@acme.example" and mentor.age_attested_on == TODAY
    assert supervisor.email == ""
    assert calendar.school_year == "2025-26" and calendar.state == "IL"
    assert calendar.no_school == (date(2025, 9, 1), date(2025, 11, 27))
    assert calendar.early_dismissal == ((date(2025, 12, 19), time(12)),)
    assert calendar.late_start == ((date(2025, 10, 1), time(10)),)
    assert school.district == "Rockford SD 205" and school.coordinator_name == "Cora Ord"
    before = _events(factory)
    with db.unit_of_work(factory, SYSTEM) as s:
        setup.save_worksite(s, SYSTEM, site, ids["plant"])
        setup.save_equipment(s, SYSTEM, machine, ids["baler"])
        setup.save_staff(s, SYSTEM, mentor, ids["mentor"], today=TODAY)
        setup.save_staff(s, SYSTEM, supervisor, ids["supervisor"], today=TODAY)
        assert setup.save_calendar(s, SYSTEM, calendar) == ids["calendar"]
        setup.save_school(s, SYSTEM, school, ids["school"])
    assert _events(factory) == before


def test_an_edited_calendar_day_changes_kind_in_place(factory, ids) -> None:
    with db.read_session(factory, SYSTEM) as s:
        calendar = directory.calendar_for_edit(s, SYSTEM, ids["calendar"])
    edited = replace(
        calendar,
        no_school=(date(2025, 9, 1),),
        early_dismissal=(*calendar.early_dismissal, (date(2025, 11, 27), time(11))),
    )
    with db.unit_of_work(factory, SYSTEM) as s:
        setup.save_calendar(s, SYSTEM, edited)
    with db.read_session(factory, SYSTEM) as s:
        (row,) = directory.list_calendars(s, SYSTEM)
        again = directory.calendar_for_edit(s, SYSTEM, ids["calendar"])
    assert (row.no_school_days, row.early_dismissals, row.late_starts) == (1, 2, 1)
    assert again.early_dismissal == (
        (date(2025, 11, 27), time(11)),
        (date(2025, 12, 19), time(12)),
    )


def test_lists_show_what_was_saved(factory, ids) -> None:
    with db.read_session(factory, SYSTEM) as s:
        sites = directory.list_worksites(s, VIEWER)
        machines = directory.list_equipment(s, VIEWER, ids["plant"])
        staff = directory.list_staff(s, VIEWER)
        mentors = directory.list_staff(s, VIEWER, role="mentor")
        districts = directory.list_districts(s, VIEWER)
        calendars = directory.list_calendars(s, VIEWER)
        schools = directory.list_schools(s, VIEWER)
    assert [w.name for w in sites] == ["Annex", "Plant 1"]
    assert sites[1].has_production_areas and not sites[0].has_production_areas
    assert [m.name for m in machines] == ["Cardboard baler", "Press 4"]
    baler = machines[0]
    assert baler.area == "Press Line" and baler.description == "Harris 60" and not baler.archived
    assert [t[0] for t in baler.tasks] == ["baler_load", "baler_operate"]
    assert "HO 12" in baler.tasks[1][2]
    assert [m.name for m in staff] == ["Sam Able", "Hal Hr", "Maria Kowalski"]
    (maria,) = mentors
    assert (maria.worksite, maria.worksite_id, maria.is_21_or_older) == (
        "Plant 1",
        ids["plant"],
        True,
    )
    assert (maria.clearance_date, maria.mentor_training_date) == (
        date(2025, 7, 1),
        date(2025, 7, 15),
    )
    assert staff[0].email == "" and staff[0].worksite is None
    assert [(d.name, d.state, d.calendars) for d in districts] == [
        ("Rockford SD 205", "IL", ((ids["calendar"], "2025-26"),))
    ]
    (cal,) = calendars
    assert (cal.district, cal.first_day, cal.day_end) == (
        "Rockford SD 205",
        date(2025, 8, 20),
        time(15),
    )
    assert (cal.no_school_days, cal.early_dismissals, cal.late_starts) == (2, 1, 1)
    assert [(x.name, x.district, x.archived) for x in schools] == [
        ("Auburn High School", "Rockford SD 205", False),
        ("Boylan", "Rockford SD 205", False),
    ]
    assert schools[0].coordinator_email == "cora@rps.example"


def test_the_task_catalog_is_sorted_and_says_who_may() -> None:
    catalog = directory.task_catalog()
    labels = [t.label for t in catalog]
    assert labels == sorted(labels, key=str.casefold) and len(catalog) == len(set(labels))
    by_key = {t.key: t for t in catalog}
    assert by_key["forklift"].hazardous_order == "HO 7"
    assert "never under 18 (HO 7)" in by_key["forklift"].who_may
    assert by_key["office_clerical"].hazardous_order is None
    assert not by_key["office_clerical"].production_area


def test_unknown_role_and_ids(factory, ids) -> None:
    with db.read_session(factory, SYSTEM) as s:
        with pytest.raises(ValidationError):
            directory.list_staff(s, SYSTEM, role="janitor")
        for reader in (
            directory.worksite_input,
            directory.equipment_input,
            directory.staff_input,
            directory.calendar_for_edit,
            directory.school_input,
        ):
            with pytest.raises(NotFound):
                reader(s, SYSTEM, 999)


@pytest.mark.parametrize("kind", ["worksite", "equipment", "staff", "school"])
def test_archive_hides_and_restore_brings_back(factory, ids, kind: str) -> None:
    record = {
        "worksite": "annex",
        "equipment": "press",
        "staff": "supervisor",
        "school": "other_school",
    }[kind]

    def names(s, include_archived: bool) -> list[str]:
        if kind == "worksite":
            return [
                r.name
                for r in directory.list_worksites(s, SYSTEM, include_archived=include_archived)
            ]
        if kind == "equipment":
            return [
                r.name
                for r in directory.list_equipment(s, SYSTEM, include_archived=include_archived)
            ]
        if kind == "staff":
            return [
                r.name for r in directory.list_staff(s, SYSTEM, include_archived=include_archived)
            ]
        return [
            r.name for r in directory.list_schools(s, SYSTEM, include_archived=include_archived)
        ]

    with db.read_session(factory, SYSTEM) as s:
        everything = names(s, True)
    with db.unit_of_work(factory, SYSTEM) as s:
        assert directory.archive(s, SYSTEM, kind, ids[record], today=TODAY) == []
    before = _events(factory)
    with db.unit_of_work(factory, SYSTEM) as s:
        directory.archive(s, SYSTEM, kind, ids[record], today=TODAY)  # again: nothing
    assert _events(factory) == before
    with db.read_session(factory, SYSTEM) as s:
        assert names(s, True) == everything
        assert len(names(s, False)) == len(everything) - 1
    with db.unit_of_work(factory, SYSTEM) as s:
        directory.restore(s, SYSTEM, kind, ids[record])
    with db.read_session(factory, SYSTEM) as s:
        assert names(s, False) == everything
    assert _events(factory) == before + 1


def test_archiving_a_worksite_hides_its_machines_from_the_active_register(factory, ids) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:
        warnings = directory.archive(s, SYSTEM, "worksite", ids["plant"], today=TODAY)
    assert warnings == ["2 machines stay in its equipment register"]
    with db.read_session(factory, SYSTEM) as s:
        assert directory.list_equipment(s, SYSTEM, include_archived=False) == []
        assert len(directory.list_equipment(s, SYSTEM)) == 2


def test_archiving_a_mentor_in_use_warns_but_archives(factory, ids) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:
        for n, (start, end) in enumerate(
            [(-30, 30), (10, None), (-90, -1)]  # current, upcoming, ended
        ):
            intern = interns.create_intern(
                s,
                SYSTEM,
                interns.InternInput(f"Kid{n}", "Tester", date(2009, 1, 1), ids["school"]),
                TODAY,
            )
            s.add(
                Placement(
                    intern_id=intern.id,
                    school_id=ids["school"],
                    worksite_id=ids["plant"],
                    mentor_id=ids["mentor"],
                    start_date=TODAY + timedelta(days=start),
                    end_date=None if end is None else TODAY + timedelta(days=end),
                )
            )
    with db.unit_of_work(factory, SYSTEM) as s:
        warnings = directory.archive(s, SYSTEM, "staff", ids["mentor"], today=TODAY)
        school = directory.archive(s, SYSTEM, "school", ids["school"], today=TODAY)
    assert warnings == ["2 active placements still name this mentor"]
    assert school == ["2 active placements still name this school", "3 interns attend this school"]
    with db.read_session(factory, SYSTEM) as s:
        assert directory.list_staff(s, SYSTEM, role="mentor", include_archived=False) == []


def test_a_viewer_reads_but_may_not_archive(factory, ids) -> None:
    with db.read_session(factory, VIEWER) as s:
        assert directory.list_schools(s, VIEWER)
    with db.unit_of_work(factory, SYSTEM) as s:
        with pytest.raises(PermissionDenied):
            directory.archive(s, VIEWER, "school", ids["school"])
        with pytest.raises(PermissionDenied):
            directory.restore(s, VIEWER, "school", ids["school"])
        with pytest.raises(ValidationError):
            directory.archive(s, SYSTEM, "intern", 1)
        with pytest.raises(NotFound):
            directory.archive(s, SYSTEM, "school", 999)
