"""Setting up the employer, worksites, equipment and staff: every field validated,
nothing written on an error."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.errors import NotFound, PermissionDenied, ValidationError
from internhost.core.models import AuditEvent, Equipment, Staff, Worksite
from internhost.core.rules.guidance import who_may
from internhost.core.services import setup
from internhost.core.storage import db

TODAY = date(2025, 8, 1)


def _fields(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return {e.field for e in error.value.errors}


def _count(factory, model) -> int:
    with db.read_session(factory, SYSTEM) as s:
        return s.scalar(select(func.count()).select_from(model))


def _company(factory) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:
        setup.save_employer(s, SYSTEM, setup.EmployerInput(legal_name="Acme Stamping LLC"))


def test_the_employer_is_saved_once_and_updated(factory) -> None:
    _company(factory)
    with db.unit_of_work(factory, SYSTEM) as s:
        assert (
            setup.save_employer(
                s, SYSTEM, setup.EmployerInput(legal_name="Acme Stamping, Inc.", flsa_covered=False)
            )
            == 1
        )
    with db.read_session(factory, SYSTEM) as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == 2


def test_bad_employer_input_names_every_field(factory) -> None:
    bad = setup.EmployerInput(legal_name=" ", hr_contact_email="not-mail", workweek_start="xyz")
    with db.unit_of_work(factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        setup.save_employer(s, SYSTEM, bad)
    assert _fields(error) == {"legal_name", "hr_contact_email", "workweek_start"}


def test_a_worksite_needs_the_company_first_and_valid_facts(factory) -> None:
    site = setup.WorksiteInput("Plant 1", "IL", "America/Chicago")
    with db.unit_of_work(factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        setup.save_worksite(s, SYSTEM, site)
    assert _fields(error) == {"employer"}
    _company(factory)
    bad = setup.WorksiteInput(
        "Plant 1", "XX", "Mars/Olympus", areas=(("Shop", "factory"), ("Shop", "office"))
    )
    with db.unit_of_work(factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        setup.save_worksite(s, SYSTEM, bad)
    assert _fields(error) == {"state", "time_zone", "areas[0].kind", "areas[1].name"}
    assert _count(factory, Worksite) == 0


def test_areas_decide_production_and_are_replaced_on_update(factory) -> None:
    _company(factory)
    site = setup.WorksiteInput(
        "Plant 1",
        "il",
        "America/Chicago",
        areas=(("Office", "office"), ("Press Line", "production")),
    )
    with db.unit_of_work(factory, SYSTEM) as s:
        row = setup.save_worksite(s, SYSTEM, site)
    assert row.state == "IL" and row.has_production_areas
    with db.unit_of_work(factory, SYSTEM) as s:
        row = setup.save_worksite(
            s,
            SYSTEM,
            setup.WorksiteInput("Plant 1", "IL", "America/Chicago", areas=(("Office", "office"),)),
            row.id,
        )
    assert row.areas == (("Office", "office"),) and not row.has_production_areas
    with db.unit_of_work(factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        setup.save_worksite(s, SYSTEM, setup.WorksiteInput("plant 1", "IL", "America/Chicago"))
    assert _fields(error) == {"name"}


def test_equipment_maps_to_catalog_tasks_and_says_who_may_use_it(factory) -> None:
    _company(factory)
    with db.unit_of_work(factory, SYSTEM) as s:
        site = setup.save_worksite(
            s,
            SYSTEM,
            setup.WorksiteInput(
                "Plant 1", "IL", "America/Chicago", areas=(("Dock", "production"),)
            ),
        )
        baler = setup.save_equipment(
            s,
            SYSTEM,
            setup.EquipmentInput(
                site.id, "Cardboard baler", ("baler_load", "baler_operate"), area="dock"
            ),
        )
    assert baler.area == "Dock" and [t[0] for t in baler.tasks] == ["baler_load", "baler_operate"]
    assert "HO 12" in baler.tasks[1][2]
    with db.unit_of_work(factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        setup.save_equipment(s, SYSTEM, setup.EquipmentInput(site.id, "", ("teleporter",), "Roof"))
    assert _fields(error) == {"name", "task_keys[0]", "area"}
    assert _count(factory, Equipment) == 1


def test_an_area_is_added_to_its_worksite_alone_and_audited(factory) -> None:
    _company(factory)
    with db.unit_of_work(factory, SYSTEM) as s:
        site = setup.save_worksite(
            s,
            SYSTEM,
            setup.WorksiteInput("Plant 1", "IL", "America/Chicago", areas=(("Office", "office"),)),
        )
        other = setup.save_worksite(
            s, SYSTEM, setup.WorksiteInput("Plant 2", "IL", "America/Chicago")
        )
    events = _count(factory, AuditEvent)
    with db.unit_of_work(factory, SYSTEM) as s:
        row = setup.add_area(s, SYSTEM, setup.AreaInput(site.id, "  Shipping dock ", "production"))
    assert row.areas == (("Office", "office"), ("Shipping dock", "production"))
    assert row.has_production_areas and _count(factory, AuditEvent) == events + 1
    with db.read_session(factory, SYSTEM) as s:
        assert s.get(Worksite, other.id).areas == []

    # Taken (ignoring case), an unknown kind, a blank name: refused, nothing written.
    bad = (
        (setup.AreaInput(site.id, "shipping DOCK", "office"), {"name"}),
        (setup.AreaInput(site.id, "Mezzanine", "factory"), {"kind"}),
        (setup.AreaInput(site.id, " ", "basement"), {"name", "kind"}),
    )
    for data, named in bad:
        with db.unit_of_work(factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
            setup.add_area(s, SYSTEM, data)
        assert _fields(error) == named, data
    with db.unit_of_work(factory, SYSTEM) as s, pytest.raises(NotFound):
        setup.add_area(s, SYSTEM, setup.AreaInput(999, "Mezzanine", "office"))
    with db.unit_of_work(factory, SYSTEM) as s, pytest.raises(PermissionDenied):
        setup.add_area(s, Actor(Role.VIEWER, "v"), setup.AreaInput(site.id, "Loft", "office"))
    assert _count(factory, AuditEvent) == events + 1


@pytest.mark.parametrize(
    ("task", "says"),
    [
        ("forklift", "never under 18 (HO 7)"),
        ("press_brake", "16–17 only as a student-learner or registered apprentice"),
        ("drive_public_road", "17 under the conditions of 29 CFR 570.52(b)"),
        ("production_floor", "not under 16"),
        ("office_clerical", "allowed from 14 away from production areas"),
    ],
)
def test_who_may_reads_the_rule_packs(task: str, says: str) -> None:
    assert says in who_may(task)


def test_staff_validation_and_unique_email(factory) -> None:
    mentor = setup.StaffInput(
        "Maria", "Kowalski", "mentor", email="Maria@Example.com", is_21_or_older=True
    )
    with db.unit_of_work(factory, SYSTEM) as s:
        staff_id = setup.save_staff(s, SYSTEM, mentor, today=TODAY)
    with db.read_session(factory, SYSTEM) as s:
        saved = s.get(Staff, staff_id)
        assert saved.email == "maria@example.com" and saved.age_attested_on == TODAY
    again = setup.StaffInput(
        "Mario", "K", "mentor", email="maria@example.com", clearance_date=date(2030, 1, 1)
    )
    with db.unit_of_work(factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        setup.save_staff(s, SYSTEM, again, today=TODAY)
    assert _fields(error) == {"email", "clearance_date"}
    with db.unit_of_work(factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        setup.save_staff(s, SYSTEM, setup.StaffInput("A", "B", "mentor"), today=TODAY)
    assert _fields(error) == {"email"}  # mentors need one: the roster names them by it


def test_only_hr_sets_up(factory) -> None:
    viewer = Actor(Role.VIEWER, "v")
    with db.unit_of_work(factory, SYSTEM) as s, pytest.raises(PermissionDenied):
        setup.save_employer(s, viewer, setup.EmployerInput(legal_name="X"))


def _calendar(**changes) -> setup.CalendarInput:
    from datetime import time

    base = setup.CalendarInput(
        district="Rockford Public Schools District 205",
        school_year="2025-26",
        first_day=date(2025, 8, 20),
        last_day=date(2026, 6, 4),
        day_start=time(8),
        day_end=time(15),
        no_school=(date(2025, 9, 1),),
        early_dismissal=((date(2025, 12, 19), time(12)),),
    )
    return setup.CalendarInput(**{**base.__dict__, **changes})


def test_a_calendar_drives_school_days_and_schools_need_a_district(factory) -> None:
    from datetime import time

    from internhost.core.services.case_facts import district_calendar

    with db.unit_of_work(factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        setup.save_school(s, SYSTEM, setup.SchoolInput("Auburn High School", "Nowhere SD"))
    assert _fields(error) == {"district"}
    with db.unit_of_work(factory, SYSTEM) as s:
        calendar_id = setup.save_calendar(s, SYSTEM, _calendar())
        setup.save_school(
            s,
            SYSTEM,
            setup.SchoolInput("Auburn High School", "rockford public schools district 205"),
        )
    with db.read_session(factory, SYSTEM) as s:
        from internhost.core.models import SchoolCalendar

        days = district_calendar(s, s.get(SchoolCalendar, calendar_id).district_id)
    assert date(2025, 9, 1) not in days and date(2025, 9, 2) in days
    assert days[date(2025, 12, 19)] == (time(8), time(12))
    assert date(2025, 9, 6) not in days  # a Saturday


def test_bad_calendars_name_their_days(factory) -> None:
    from datetime import time

    bad = _calendar(
        school_year="2025/2026",
        last_day=date(2025, 8, 1),
        no_school=(date(2024, 1, 1), date(2024, 1, 1)),
        early_dismissal=((date(2025, 12, 19), time(16)),),
    )
    with db.unit_of_work(factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        setup.save_calendar(s, SYSTEM, bad)
    assert {
        "school_year",
        "last_day",
        "no_school[0]",
        "no_school[1]",
        "early_dismissal[0]",
    } <= _fields(error)


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"first_day": None, "day_end": None}, {"first_day", "day_end"}),
        ({"last_day": None, "day_start": None}, {"last_day", "day_start"}),
        (
            {"no_school": (None,), "early_dismissal": ((date(2025, 12, 19), None),)},
            {"no_school[0]", "early_dismissal[0]"},
        ),
        ({"late_start": ((None, None),)}, {"late_start[0]"}),
        ({"first_day": date.min, "last_day": date.max}, {"first_day", "last_day"}),
        ({"first_day": date(2000, 1, 3), "last_day": date(2100, 6, 4)}, {"last_day"}),
        ({"last_day": date(2026, 9, 21)}, {"last_day"}),  # 13 months and a day
        ({"school_year": "2025-26\n"}, {"school_year"}),
        ({"school_year": None}, {"school_year"}),
        ({"school_year": "\u0662\u0660\u0662\u0665-26"}, {"school_year"}),  # Arabic digits
        ({"district": "Rockford \ud800 205"}, {"district"}),
    ],
)
def test_a_calendar_is_one_school_year_with_its_days_and_hours(
    factory, changes: dict, fields: set[str]
) -> None:
    """None, a school year of thousands of years (every check expands it day by day), a
    year with a line break, a lone surrogate: each a field error, nothing written."""
    from internhost.core.models import SchoolCalendar

    with db.unit_of_work(factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        setup.save_calendar(s, SYSTEM, _calendar(**changes), replace=False)
    assert _fields(error) == fields
    assert _count(factory, SchoolCalendar) == _count(factory, AuditEvent) == 0


def test_a_school_year_of_thirteen_months_is_allowed(factory) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:
        setup.save_calendar(s, SYSTEM, _calendar(last_day=date(2026, 9, 20)))


def test_ids_beyond_64_bits_are_not_found_and_equipment_needs_a_worksite(factory) -> None:
    from internhost.core.errors import NotFound

    _company(factory)
    with db.unit_of_work(factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        setup.save_equipment(s, SYSTEM, setup.EquipmentInput(None, "Drill", ("baler_load",)))
    assert error.value.by_field() == {"worksite": ["is required"]}
    with db.unit_of_work(factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        setup.save_equipment(s, SYSTEM, setup.EquipmentInput(2**63, "Drill", ("baler_load",)))
    assert _fields(error) == {"worksite"}
    with db.unit_of_work(factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        setup.save_staff(
            s, SYSTEM, setup.StaffInput("A", "B", "supervisor", worksite_id=2**64), today=TODAY
        )
    assert _fields(error) == {"worksite"}
    calls = [
        lambda s: setup.save_worksite(
            s, SYSTEM, setup.WorksiteInput("P", "IL", "America/Chicago"), 2**63
        ),
        lambda s: setup.save_equipment(
            s, SYSTEM, setup.EquipmentInput(1, "Drill", ("baler_load",)), 2**63
        ),
        lambda s: setup.save_staff(
            s, SYSTEM, setup.StaffInput("A", "B", "supervisor"), 2**63, today=TODAY
        ),
        lambda s: setup.save_calendar(s, SYSTEM, _calendar(), -(2**63) - 1),
        lambda s: setup.save_school(s, SYSTEM, setup.SchoolInput("X High", "Nowhere"), 2**70),
    ]
    for call in calls:
        with db.unit_of_work(factory, SYSTEM) as s, pytest.raises(NotFound):
            call(s)


@pytest.mark.parametrize(
    ("time_zone", "message"),
    [
        ("x" * 1_000_000, "is longer than 64 characters"),
        ("America/" + "x" * 56, "is not a time zone"),
        ("../../etc/passwd", "is not a time zone"),
        ("America/Chi\ud800cago", "broken character"),
    ],
)
def test_a_time_zone_is_checked_before_it_is_looked_up(
    factory, time_zone: str, message: str
) -> None:
    _company(factory)
    with db.unit_of_work(factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        setup.save_worksite(s, SYSTEM, setup.WorksiteInput("Plant 1", "IL", time_zone))
    assert _fields(error) == {"time_zone"} and message in str(error.value)


def test_a_lone_surrogate_is_a_field_error_in_every_text_field(factory) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:
        setup.save_calendar(s, SYSTEM, _calendar())
    bad = setup.SchoolInput(
        "Hostile \ud800 High", "Rockford\udfff", coordinator_email="a\ud800@b.c"
    )
    with db.unit_of_work(factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        setup.save_school(s, SYSTEM, bad)
    assert _fields(error) == {"name", "district", "coordinator_email"}
    assert "broken character" in error.value.by_field()["name"][0]


def test_a_calendar_copies_to_another_district_and_the_next_year(factory) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:
        calendar_id = setup.save_calendar(s, SYSTEM, _calendar())
        copy = setup.calendar_input(s, calendar_id, district="School District U-46")
        next_year = setup.calendar_input(s, calendar_id, years_later=1)
        setup.save_calendar(s, SYSTEM, copy)
        setup.save_calendar(s, SYSTEM, next_year)
    assert copy.first_day == date(2025, 8, 20) and copy.district == "School District U-46"
    assert next_year.school_year == "2026-27" and next_year.no_school == (date(2026, 9, 1),)


def test_a_form_never_overwrites_a_calendar_it_did_not_open(factory) -> None:
    """New: an existing district-year is an error (replace=False). Edit: the calendar
    opened is the one changed, even when its year changes; a clash is an error."""
    from internhost.core.models import SchoolCalendar

    with db.unit_of_work(factory, SYSTEM) as s:
        first = setup.save_calendar(s, SYSTEM, _calendar())
    with db.unit_of_work(factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        setup.save_calendar(s, SYSTEM, _calendar(last_day=date(2026, 6, 1)), replace=False)
    assert _fields(error) == {"school_year"}
    assert "already has a 2025-26 calendar" in str(error.value)

    with db.unit_of_work(factory, SYSTEM) as s:
        moved = setup.save_calendar(
            s,
            SYSTEM,
            _calendar(
                school_year="2026-27",
                first_day=date(2026, 8, 19),
                last_day=date(2027, 6, 3),
                no_school=(),
                early_dismissal=(),
            ),
            first,
        )
    assert moved == first
    with db.read_session(factory, SYSTEM) as s:
        years = s.scalars(select(SchoolCalendar.school_year)).all()
    assert years == ["2026-27"]

    with db.unit_of_work(factory, SYSTEM) as s:
        second = setup.save_calendar(s, SYSTEM, _calendar(), replace=False)
    with db.unit_of_work(factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        setup.save_calendar(s, SYSTEM, _calendar(school_year="2026-27"), second)
    assert _fields(error) == {"school_year"}
