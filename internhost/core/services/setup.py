"""Setting up the employer: company facts, worksites with their areas, the equipment
register, and staff. The onboarding wizard and the records screens save through
these; every one validates all its fields first and writes nothing on an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from internhost.core.actor import Actor, Permission, require
from internhost.core.dates import birthday_of_age
from internhost.core.dto import EquipmentRow, WorksiteRow
from internhost.core.errors import NotFound
from internhost.core.models import (
    Area,
    CalendarDay,
    District,
    Employer,
    Equipment,
    EquipmentTask,
    School,
    SchoolCalendar,
    Staff,
    Worksite,
)
from internhost.core.models.enums import AREA_KINDS, STAFF_ROLES, WEEKDAYS
from internhost.core.rules.guidance import who_may
from internhost.core.rules.packs import load_rules
from internhost.core.trail import audit
from internhost.core.validation import Checker, by_id


@dataclass(frozen=True)
class EmployerInput:
    legal_name: str
    address: str = ""
    hr_contact_name: str = ""
    hr_contact_email: str = ""
    hr_contact_phone: str = ""
    flsa_covered: bool = True
    workweek_start: str = "sun"
    wc_carrier: str = ""
    wc_policy_number: str = ""
    wc_policy_expires: date | None = None
    liability_coi_expires: date | None = None
    child_labor_notice_posted_on: date | None = None
    federal_poster_posted_on: date | None = None


def save_employer(s: Session, actor: Actor, data: EmployerInput) -> int:
    """Create or update the one employer of this database; returns its id (1)."""
    require(actor, Permission.EDIT_RECORDS)
    check = Checker()
    values = {
        "legal_name": check.name("legal_name", data.legal_name, required=True),
        "address": check.text("address", data.address, max_len=500, multiline=True),
        "hr_contact_name": check.name("hr_contact_name", data.hr_contact_name),
        "hr_contact_email": check.email("hr_contact_email", data.hr_contact_email) or "",
        "hr_contact_phone": check.text("hr_contact_phone", data.hr_contact_phone, max_len=40),
        "flsa_covered": bool(data.flsa_covered),
        "workweek_start": check.choice("workweek_start", data.workweek_start, WEEKDAYS),
        "wc_carrier": check.name("wc_carrier", data.wc_carrier),
        "wc_policy_number": check.text("wc_policy_number", data.wc_policy_number, max_len=100),
        "wc_policy_expires": data.wc_policy_expires,
        "liability_coi_expires": data.liability_coi_expires,
        "child_labor_notice_posted_on": data.child_labor_notice_posted_on,
        "federal_poster_posted_on": data.federal_poster_posted_on,
    }
    check.done()
    audit.label(s, "save employer")
    employer = s.get(Employer, 1)
    if employer is None:
        employer = Employer(id=1)
        s.add(employer)
    for key, value in values.items():
        setattr(employer, key, value)
    s.flush()
    return employer.id


@dataclass(frozen=True)
class WorksiteInput:
    name: str
    state: str
    time_zone: str
    address: str = ""
    city: str = ""
    postal_code: str = ""
    #: (area name, "production" or "office")
    areas: tuple[tuple[str, str], ...] = ()


def worksite_row(site: Worksite) -> WorksiteRow:
    """The row of a worksite loaded with its areas."""
    areas = tuple((a.name, a.kind) for a in site.areas)
    return WorksiteRow(
        site.id,
        site.name,
        site.address,
        site.city,
        site.state,
        site.time_zone,
        areas,
        any(kind == "production" for _, kind in areas),
        site.archived_at is not None,
    )


def save_worksite(
    s: Session, actor: Actor, data: WorksiteInput, worksite_id: int | None = None
) -> WorksiteRow:
    """Create a worksite, or update one (its areas replaced by those given)."""
    require(actor, Permission.EDIT_RECORDS)
    if s.get(Employer, 1) is None:
        check = Checker()
        check.fail("employer", "save the company first")
        check.done()
    site = None
    if worksite_id is not None:
        site = by_id(s, Worksite, worksite_id, options=[selectinload(Worksite.areas)])
        if site is None:
            raise NotFound(f"no worksite with id {worksite_id}")
    check = Checker()
    name = check.name("name", data.name, required=True)
    clash = name and s.scalar(
        select(Worksite.id).where(
            func.lower(Worksite.name) == name.lower(), Worksite.id != (worksite_id or 0)
        )
    )
    if clash:
        check.fail("name", f"a worksite named {name!r} already exists")
    areas: list[tuple[str, str]] = []
    for i, (area_name, kind) in enumerate(data.areas):
        label = check.name(f"areas[{i}].name", area_name, required=True)
        check.choice(f"areas[{i}].kind", kind, AREA_KINDS)
        if label.lower() in {a.lower() for a, _ in areas}:
            check.fail(f"areas[{i}].name", f"{label!r} is listed twice")
        areas.append((label, kind))
    values = {
        "name": name,
        "state": check.state("state", data.state),
        "time_zone": check.time_zone("time_zone", data.time_zone),
        "address": check.text("address", data.address, max_len=500, multiline=True),
        "city": check.text("city", data.city, max_len=100),
        "postal_code": check.text("postal_code", data.postal_code, max_len=20),
    }
    check.done()
    audit.label(s, "save worksite")
    if site is None:
        site = Worksite(employer_id=1)
        s.add(site)
    for key, value in values.items():
        setattr(site, key, value)
    existing = {a.name.lower(): a for a in site.areas}
    site.areas = [
        _area(existing.get(area_name.lower()), area_name, kind) for area_name, kind in areas
    ]
    s.flush()
    return worksite_row(site)


@dataclass(frozen=True)
class AreaInput:
    worksite_id: int
    name: str
    #: "production" or "office"
    kind: str


def add_area(s: Session, actor: Actor, data: AreaInput) -> WorksiteRow:
    """Add one area to a worksite (the equipment dialog's "Add area…"), leaving its
    other areas as they are; the worksite's row comes back with the new area."""
    require(actor, Permission.EDIT_RECORDS)
    site = by_id(s, Worksite, data.worksite_id, options=[selectinload(Worksite.areas)])
    if site is None:
        raise NotFound(f"no worksite with id {data.worksite_id}")
    check = Checker()
    name = check.name("name", data.name, required=True)
    check.choice("kind", data.kind, AREA_KINDS)
    if name and name.lower() in {a.name.lower() for a in site.areas}:
        check.fail("name", f"{name!r} is already an area of {site.name}")
    check.done()
    audit.label(s, "add area")
    site.areas.append(_area(None, name, data.kind))
    s.flush()
    s.refresh(site, ["areas"])  # in their order (by name), the new one among them
    return worksite_row(site)


def _area(current: Area | None, name: str, kind: str) -> Area:
    area = current or Area()
    area.name, area.kind = name, kind
    return area


@dataclass(frozen=True)
class EquipmentInput:
    worksite_id: int
    name: str
    task_keys: tuple[str, ...]
    area: str | None = None
    description: str = ""


def equipment_row(machine: Equipment, area: str | None) -> EquipmentRow:
    """The row of a machine loaded with its tasks; ``area`` is its area's name."""
    catalog = load_rules(None).tasks
    keys = [t.task_key for t in machine.tasks]
    return EquipmentRow(
        machine.id,
        machine.worksite_id,
        machine.name,
        area,
        tuple((k, catalog[k].label if k in catalog else k, _who_may(k)) for k in keys),
        machine.archived_at is not None,
        machine.description,
    )


def _who_may(task_key: str) -> str:
    try:
        return who_may(task_key)
    except KeyError:  # a key a newer task pack dropped: show it, say nothing of it
        return ""


def save_equipment(
    s: Session, actor: Actor, data: EquipmentInput, equipment_id: int | None = None
) -> EquipmentRow:
    """Register a machine (or update one) with the catalog tasks done on it."""
    require(actor, Permission.EDIT_RECORDS)
    machine = Equipment() if equipment_id is None else by_id(s, Equipment, equipment_id)
    if machine is None:
        raise NotFound(f"no equipment with id {equipment_id}")
    catalog = load_rules(None).tasks
    check = Checker()
    site = by_id(s, Worksite, data.worksite_id, options=[selectinload(Worksite.areas)])
    if data.worksite_id is None:
        check.fail("worksite", "is required")
    elif site is None:
        check.fail("worksite", f"no worksite with id {data.worksite_id}")
    name = check.name("name", data.name, required=True)
    if not data.task_keys:
        check.fail("task_keys", "pick at least one task done on this machine")
    for i, key in enumerate(data.task_keys):
        if key not in catalog:
            check.fail(f"task_keys[{i}]", f"{key!r} is not in the task catalog")
    area = None
    if data.area and site is not None:
        area = next((a for a in site.areas if a.name.lower() == data.area.lower()), None)
        if area is None:
            check.fail("area", f"{data.area!r} is not an area of {site.name}")
    description = check.text("description", data.description, max_len=2000, multiline=True)
    check.done()
    audit.label(s, "save equipment")
    if equipment_id is None:
        s.add(machine)
    machine.worksite_id, machine.name, machine.description = data.worksite_id, name, description
    machine.area_id = area.id if area else None
    current = {t.task_key: t for t in machine.tasks}
    machine.tasks = [
        current.get(k) or EquipmentTask(task_key=k) for k in dict.fromkeys(data.task_keys)
    ]
    s.flush()
    return equipment_row(machine, area.name if area else None)


@dataclass(frozen=True)
class StaffInput:
    first_name: str
    last_name: str
    role: str
    email: str = ""
    phone: str = ""
    title: str = ""
    worksite_id: int | None = None
    is_21_or_older: bool = False
    age_attested_on: date | None = None
    clearance_date: date | None = None
    mentor_training_date: date | None = None


def save_staff(
    s: Session, actor: Actor, data: StaffInput, staff_id: int | None = None, *, today: date
) -> int:
    """Add or update a mentor, supervisor or HR contact; returns the id."""
    require(actor, Permission.EDIT_RECORDS)
    member = Staff() if staff_id is None else by_id(s, Staff, staff_id)
    if member is None:
        raise NotFound(f"no staff member with id {staff_id}")
    check = Checker()
    values = {
        "first_name": check.name("first_name", data.first_name, required=True, max_len=100),
        "last_name": check.name("last_name", data.last_name, required=True, max_len=100),
        "role": check.choice("role", data.role, STAFF_ROLES),
        "email": check.email("email", data.email, required=data.role == "mentor"),
        "phone": check.text("phone", data.phone, max_len=40),
        "title": check.text("title", data.title),
        "worksite_id": data.worksite_id,
        "is_21_or_older": bool(data.is_21_or_older),
        "age_attested_on": data.age_attested_on,
        "clearance_date": data.clearance_date,
        "mentor_training_date": data.mentor_training_date,
    }
    if data.worksite_id is not None and by_id(s, Worksite, data.worksite_id) is None:
        check.fail("worksite", f"no worksite with id {data.worksite_id}")
    for name in ("age_attested_on", "clearance_date", "mentor_training_date"):
        when = getattr(data, name)
        if when is not None and when > today:
            check.fail(name, "is in the future")
    if values["email"]:
        clash = s.scalar(
            select(Staff.id).where(Staff.email == values["email"], Staff.id != (staff_id or 0))
        )
        if clash:
            check.fail("email", f"{values['email']} belongs to another staff member")
    check.done()
    audit.label(s, "save staff")
    if staff_id is None:
        s.add(member)
    if values["is_21_or_older"] and not values["age_attested_on"]:
        values["age_attested_on"] = today
    for key, value in values.items():
        setattr(member, key, value)
    s.flush()
    return member.id


SCHOOL_YEAR = re.compile(r"[0-9]{4}-[0-9]{2}")
#: The longest a school year may run, first day to last: thirteen months (a calendar
#: holds one school year; every compliance check expands it day by day).
MAX_SCHOOL_YEAR_DAYS = 396


@dataclass(frozen=True)
class CalendarInput:
    """A district's school year: weekdays from first to last day at the default hours,
    except the days listed (no school; early dismissal with its end; late start)."""

    district: str
    school_year: str
    first_day: date
    last_day: date
    day_start: time
    day_end: time
    no_school: tuple[date, ...] = ()
    early_dismissal: tuple[tuple[date, time], ...] = ()
    late_start: tuple[tuple[date, time], ...] = ()
    state: str = "IL"


def save_calendar(
    s: Session,
    actor: Actor,
    data: CalendarInput,
    calendar_id: int | None = None,
    *,
    replace: bool = True,
) -> int:
    """Save a district's calendar for one school year; returns its id. The district is
    created when new (names match ignoring case).

    ``calendar_id`` edits that calendar (its district or year may change, unless
    another calendar already holds them). Without it the calendar of the district
    and year is created, or replaced when ``replace`` (imports, new term); a form
    creating one passes ``replace=False``, so an existing year is an error instead
    of being overwritten unseen."""
    require(actor, Permission.EDIT_RECORDS)
    editing = None
    if calendar_id is not None:
        editing = by_id(s, SchoolCalendar, calendar_id)
        if editing is None:
            raise NotFound(f"no school calendar with id {calendar_id}")
    check = Checker()
    checked = _checked_calendar(check, data)
    district, stored = _stored_calendar(s, checked.district, checked.school_year)
    if stored is not None and stored is not editing and (editing is not None or not replace):
        check.fail(
            "school_year",
            f"{stored.district.name} already has a {checked.school_year} calendar: edit that one",
        )
    check.done()
    audit.label(s, "save school calendar")
    before = editing.district_id if editing is not None else None
    saved = _store_calendar(s, data, checked, district, editing or stored)
    _calendar_changed(s, {before, s.get_one(SchoolCalendar, saved).district_id})
    return saved


def _calendar_changed(s: Session, district_ids: set[int | None]) -> None:
    """The findings of every intern whose checks read these districts' calendars are
    stale until they are checked again (``compliance.recheck_stale``)."""
    from internhost.core.services import compliance

    interns: set[int] = set()
    for district_id in district_ids - {None}:
        assert district_id is not None
        interns |= compliance.interns_of_district(s, district_id)
    compliance.mark_stale(s, interns)


#: A day of a calendar's exceptions and its time (none for a day off), as entered.
SchoolDay = tuple[date | None, time | None]


@dataclass(frozen=True)
class _CheckedCalendar:
    """A calendar's values once checked: what ``_store_calendar`` writes."""

    district: str
    state: str
    school_year: str
    #: The days (and times) entered in full; one missing either is a problem noted in
    #: the checker, so a calendar with it is never stored.
    no_school: list[date]
    early_dismissal: list[tuple[date, time]]
    late_start: list[tuple[date, time]]


def _checked_calendar(check: Checker, data: CalendarInput) -> _CheckedCalendar:
    """Every field of ``data`` checked, each problem noted in ``check`` by field (and
    by entry: ``no_school[2]``)."""
    name = check.name("district", data.district, required=True)
    school_year = data.school_year or ""
    if not SCHOOL_YEAR.fullmatch(school_year):
        check.fail("school_year", "write it as 2025-26")
        school_year = ""
    first = check.work_date("first_day", data.first_day, required=True)
    last = check.work_date("last_day", data.last_day, required=True)
    check.order("last_day", first, last)
    if first and last and (last - first).days > MAX_SCHOOL_YEAR_DAYS:
        check.fail("last_day", "is more than 13 months after the first day: one school year only")
    day_start = check.time_of_day("day_start", data.day_start, required=True)
    day_end = check.time_of_day("day_end", data.day_end, required=True)
    if day_start is not None and day_end is not None and day_end <= day_start:
        check.fail("day_end", "is not after the start of the school day")
    lists: dict[str, list[SchoolDay]] = {
        "no_school": [(d, None) for d in data.no_school or ()],
        "early_dismissal": list(data.early_dismissal or ()),
        "late_start": list(data.late_start or ()),
    }
    _check_school_days(check, lists, (first, last), (day_start, day_end))
    return _CheckedCalendar(
        district=name,
        state=check.state("state", data.state),
        school_year=school_year,
        no_school=[day for day, _ in lists["no_school"] if day is not None],
        early_dismissal=_complete(lists["early_dismissal"]),
        late_start=_complete(lists["late_start"]),
    )


def _complete(entries: list[SchoolDay]) -> list[tuple[date, time]]:
    """The entries with both their date and time (``_check_school_days`` notes the others)."""
    return [(day, moment) for day, moment in entries if day is not None and moment is not None]


def _check_school_days(
    check: Checker,
    lists: dict[str, list[SchoolDay]],
    year: tuple[date | None, date | None],
    hours: tuple[time | None, time | None],
) -> None:
    """The days off, early dismissals and late starts: each dated once, within the
    school year, and (but days off) at a time within the school day."""
    (first, last), (day_start, day_end) = year, hours
    seen: set[date] = set()
    for field_name, entries in lists.items():
        for i, (day, moment) in enumerate(entries):
            where = f"{field_name}[{i}]"
            if day is None:
                check.fail(where, "needs a date")
                continue
            if first and last and not first <= day <= last:
                check.fail(where, f"{day.isoformat()} is outside the school year")
            if day in seen:
                check.fail(where, f"{day.isoformat()} is listed twice")
            seen.add(day)
            if field_name == "no_school":
                continue
            if moment is None:
                check.fail(where, "needs a time")
            elif day_start and day_end and not day_start < moment < day_end:
                check.fail(where, f"{moment:%H:%M} is not within the school day")


def _stored_calendar(
    s: Session, name: str, school_year: str
) -> tuple[District | None, SchoolCalendar | None]:
    """The district of that name (ignoring case) and its calendar of that year."""
    district = _district_named(s, name)
    if district is None or not school_year:
        return district, None
    stored = s.scalar(
        select(SchoolCalendar).where(
            SchoolCalendar.district_id == district.id, SchoolCalendar.school_year == school_year
        )
    )
    return district, stored


def _district_named(s: Session, name: str) -> District | None:
    """The district of that name, ignoring case (none for no name)."""
    if not name:
        return None
    return s.scalar(select(District).where(func.lower(District.name) == name.lower()))


def _store_calendar(
    s: Session,
    data: CalendarInput,
    checked: _CheckedCalendar,
    district: District | None,
    calendar: SchoolCalendar | None,
) -> int:
    """Write the checked calendar (and its district, when new); its id."""
    if district is None:
        district = District(name=checked.district, state=checked.state)
        s.add(district)
        s.flush()
    school_year = checked.school_year
    calendar = calendar or SchoolCalendar(district_id=district.id, school_year=school_year)
    calendar.district_id, calendar.school_year = district.id, school_year
    calendar.first_day, calendar.last_day = data.first_day, data.last_day
    day_start, day_end = data.day_start, data.day_end
    calendar.day_start, calendar.day_end = day_start, day_end
    # Days already stored are updated in place: saving an unchanged calendar writes
    # nothing, and a day that changes kind never clashes with its old row.
    current = {d.day: d for d in calendar.days}

    def exception(day: date, kind: str, start: time | None, end: time | None) -> CalendarDay:
        row = current.get(day) or CalendarDay(day=day)
        row.kind, row.start_time, row.end_time = kind, start, end
        return row

    calendar.days = [
        *(exception(d, "no_school", None, None) for d in checked.no_school),
        *(exception(d, "early_dismissal", day_start, t) for d, t in checked.early_dismissal),
        *(exception(d, "late_start", t, day_end) for d, t in checked.late_start),
    ]
    s.add(calendar)
    s.flush()
    return calendar.id


def calendar_input(
    s: Session, calendar_id: int, *, district: str | None = None, years_later: int = 0
) -> CalendarInput:
    """A stored calendar as input for a copy: for another district, or moved forward by
    whole years (the same dates, which HR then edits), for "new term"."""
    calendar = s.get(SchoolCalendar, calendar_id, options=[selectinload(SchoolCalendar.days)])
    if calendar is None:
        raise NotFound(f"no school calendar with id {calendar_id}")

    def move(day: date) -> date:
        return birthday_of_age(day, years_later)  # Feb 29 moves to Mar 1

    start_year = int(calendar.school_year[:4]) + years_later
    # A day other than a day off has both its times (the table's check hours_match_kind).
    days = calendar.days
    return CalendarInput(
        district=district or calendar.district.name,
        school_year=f"{start_year}-{(start_year + 1) % 100:02d}",
        first_day=move(calendar.first_day),
        last_day=move(calendar.last_day),
        day_start=calendar.day_start,
        day_end=calendar.day_end,
        no_school=tuple(move(d.day) for d in days if d.kind == "no_school"),
        early_dismissal=tuple(
            (move(d.day), d.end_time)
            for d in days
            if d.kind == "early_dismissal" and d.end_time is not None
        ),
        late_start=tuple(
            (move(d.day), d.start_time)
            for d in days
            if d.kind == "late_start" and d.start_time is not None
        ),
    )


@dataclass(frozen=True)
class SchoolInput:
    name: str
    district: str
    address: str = ""
    coordinator_name: str = ""
    coordinator_email: str = ""
    coordinator_phone: str = ""


def save_school(s: Session, actor: Actor, data: SchoolInput, school_id: int | None = None) -> int:
    """Add or update a school; its district must exist (save its calendar first)."""
    require(actor, Permission.EDIT_RECORDS)
    school = School() if school_id is None else by_id(s, School, school_id)
    if school is None:
        raise NotFound(f"no school with id {school_id}")
    check = Checker()
    name = check.name("name", data.name, required=True)
    problems = len(check.errors)
    district_name = check.name("district", data.district)
    district = _district_named(s, district_name)
    if district is None and len(check.errors) == problems:
        known = ", ".join(s.scalars(select(District.name).order_by(District.name))) or "none yet"
        check.fail("district", f"{data.district!r} is not a known district (known: {known})")
    if name and s.scalar(
        select(School.id).where(
            func.lower(School.name) == name.lower(), School.id != (school_id or 0)
        )
    ):
        check.fail("name", f"a school named {name!r} already exists")
    values = {
        "name": name,
        "address": check.text("address", data.address, max_len=500, multiline=True),
        "coordinator_name": check.name("coordinator_name", data.coordinator_name),
        "coordinator_email": check.email("coordinator_email", data.coordinator_email) or "",
        "coordinator_phone": check.text("coordinator_phone", data.coordinator_phone, max_len=40),
    }
    check.done()
    assert district is not None  # or the checker noted it, and done() raised
    audit.label(s, "save school")
    if school_id is None:
        s.add(school)
    school.district_id = district.id
    for key, value in values.items():
        setattr(school, key, value)
    s.flush()
    return school.id
