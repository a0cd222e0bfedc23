"""Reading back what set-up saved: the employer, worksites, equipment, staff, districts
with their calendars, and schools, as lists for the records screens and as the very
inputs ``setup.save_*`` takes, so a form edits exactly what is stored. Archiving and
restoring those records live here too.

Saving an unchanged ``*_input`` again writes nothing (no audit event): the readers
return the stored, already-cleaned values.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from internhost.core import dto
from internhost.core.actor import Actor, Permission, require
from internhost.core.errors import NotFound, ValidationError
from internhost.core.models import (
    Area,
    District,
    Employer,
    Equipment,
    Intern,
    Placement,
    School,
    SchoolCalendar,
    Staff,
    Worksite,
)
from internhost.core.models.base import utcnow
from internhost.core.models.enums import STAFF_ROLES
from internhost.core.rules.guidance import who_may
from internhost.core.rules.packs import load_rules
from internhost.core.services import setup
from internhost.core.trail import audit
from internhost.core.validation import by_id

# -- the employer


def employer_input(s: Session, actor: Actor) -> setup.EmployerInput | None:
    """The company facts as stored, or None before the company is saved."""
    require(actor, Permission.READ_RECORDS)
    e = s.get(Employer, 1)
    if e is None:
        return None
    return setup.EmployerInput(
        legal_name=e.legal_name,
        address=e.address,
        hr_contact_name=e.hr_contact_name,
        hr_contact_email=e.hr_contact_email,
        hr_contact_phone=e.hr_contact_phone,
        flsa_covered=e.flsa_covered,
        workweek_start=e.workweek_start,
        wc_carrier=e.wc_carrier,
        wc_policy_number=e.wc_policy_number,
        wc_policy_expires=e.wc_policy_expires,
        liability_coi_expires=e.liability_coi_expires,
        child_labor_notice_posted_on=e.child_labor_notice_posted_on,
        federal_poster_posted_on=e.federal_poster_posted_on,
    )


# -- worksites


def list_worksites(
    s: Session, actor: Actor, *, include_archived: bool = True
) -> list[dto.WorksiteRow]:
    """Worksites by name, each with its areas."""
    require(actor, Permission.READ_RECORDS)
    stmt = select(Worksite).options(selectinload(Worksite.areas)).order_by(Worksite.name)
    if not include_archived:
        stmt = stmt.where(Worksite.archived_at.is_(None))
    return [setup.worksite_row(site) for site in s.scalars(stmt)]


def _worksite(s: Session, worksite_id: int) -> Worksite:
    site = s.get(Worksite, worksite_id, options=[selectinload(Worksite.areas)])
    if site is None:
        raise NotFound(f"no worksite with id {worksite_id}")
    return site


def worksite_input(s: Session, actor: Actor, worksite_id: int) -> setup.WorksiteInput:
    require(actor, Permission.READ_RECORDS)
    site = _worksite(s, worksite_id)
    return setup.WorksiteInput(
        name=site.name,
        state=site.state,
        time_zone=site.time_zone,
        address=site.address,
        city=site.city,
        postal_code=site.postal_code,
        areas=tuple((a.name, a.kind) for a in site.areas),
    )


# -- equipment


def list_equipment(
    s: Session, actor: Actor, worksite_id: int | None = None, *, include_archived: bool = True
) -> list[dto.EquipmentRow]:
    """The equipment register (of one worksite, or all) by worksite and name, each
    machine with its catalog tasks and who may do them. ``include_archived=False``
    also leaves out the machines of archived worksites."""
    require(actor, Permission.READ_RECORDS)
    stmt = (
        select(Equipment, Area.name)
        .join(Worksite, Worksite.id == Equipment.worksite_id)
        .outerjoin(Area, Area.id == Equipment.area_id)
        .options(selectinload(Equipment.tasks))
        .order_by(Worksite.name, Equipment.name, Equipment.id)
    )
    if worksite_id is not None:
        stmt = stmt.where(Equipment.worksite_id == worksite_id)
    if not include_archived:
        stmt = stmt.where(Equipment.archived_at.is_(None), Worksite.archived_at.is_(None))
    return [setup.equipment_row(machine, area) for machine, area in s.execute(stmt)]


def equipment_input(s: Session, actor: Actor, equipment_id: int) -> setup.EquipmentInput:
    require(actor, Permission.READ_RECORDS)
    machine = s.get(Equipment, equipment_id, options=[selectinload(Equipment.tasks)])
    if machine is None:
        raise NotFound(f"no equipment with id {equipment_id}")
    area = s.get(Area, machine.area_id) if machine.area_id is not None else None
    return setup.EquipmentInput(
        worksite_id=machine.worksite_id,
        name=machine.name,
        task_keys=tuple(t.task_key for t in machine.tasks),
        area=area.name if area else None,
        description=machine.description,
    )


def task_catalog() -> list[dto.TaskOption]:
    """Every task of the rule engine's catalog, by label, with who may do it."""
    return sorted(
        (
            dto.TaskOption(
                key=task.key,
                label=task.label,
                who_may=who_may(task.key),
                hazardous_order=f"HO {task.ho}" if task.ho else None,
                description=task.description,
                production_area=task.production_area,
            )
            for task in load_rules(None).tasks.values()
        ),
        key=lambda option: (option.label.casefold(), option.key),
    )


# -- staff


def list_staff(
    s: Session, actor: Actor, *, role: str | None = None, include_archived: bool = True
) -> list[dto.StaffRow]:
    """Staff by last and first name; ``role`` limits them to mentors, supervisors or HR."""
    require(actor, Permission.READ_RECORDS)
    if role is not None and role not in STAFF_ROLES:
        raise ValidationError(f"{role!r} is not one of {', '.join(STAFF_ROLES)}", field="role")
    stmt = (
        select(Staff, Worksite.name)
        .outerjoin(Worksite, Worksite.id == Staff.worksite_id)
        .order_by(func.lower(Staff.last_name), func.lower(Staff.first_name), Staff.id)
    )
    if role is not None:
        stmt = stmt.where(Staff.role == role)
    if not include_archived:
        stmt = stmt.where(Staff.archived_at.is_(None))
    return [
        dto.StaffRow(
            id=m.id,
            name=m.full_name,
            first_name=m.first_name,
            last_name=m.last_name,
            role=m.role,
            email=m.email or "",
            phone=m.phone,
            title=m.title,
            worksite=site,
            is_21_or_older=m.is_21_or_older,
            clearance_date=m.clearance_date,
            mentor_training_date=m.mentor_training_date,
            archived=m.archived_at is not None,
            worksite_id=m.worksite_id,
        )
        for m, site in s.execute(stmt)
    ]


def staff_input(s: Session, actor: Actor, staff_id: int) -> setup.StaffInput:
    require(actor, Permission.READ_RECORDS)
    m = s.get(Staff, staff_id)
    if m is None:
        raise NotFound(f"no staff member with id {staff_id}")
    return setup.StaffInput(
        first_name=m.first_name,
        last_name=m.last_name,
        role=m.role,
        email=m.email or "",
        phone=m.phone,
        title=m.title,
        worksite_id=m.worksite_id,
        is_21_or_older=m.is_21_or_older,
        age_attested_on=m.age_attested_on,
        clearance_date=m.clearance_date,
        mentor_training_date=m.mentor_training_date,
    )


# -- districts and their calendars


def list_districts(s: Session, actor: Actor) -> list[dto.DistrictRow]:
    """Districts by name, each with its calendars' ids and school years."""
    require(actor, Permission.READ_RECORDS)
    years: dict[int, list[tuple[int, str]]] = {}
    for cal_id, district_id, year in s.execute(
        select(SchoolCalendar.id, SchoolCalendar.district_id, SchoolCalendar.school_year).order_by(
            SchoolCalendar.school_year
        )
    ):
        years.setdefault(district_id, []).append((cal_id, year))
    return [
        dto.DistrictRow(d.id, d.name, d.state, tuple(years.get(d.id, ())))
        for d in s.scalars(select(District).order_by(func.lower(District.name)))
    ]


def list_calendars(s: Session, actor: Actor) -> list[dto.CalendarRow]:
    """Every district calendar, by district then school year, with its exception counts."""
    require(actor, Permission.READ_RECORDS)
    stmt = (
        select(SchoolCalendar, District.name)
        .join(District, District.id == SchoolCalendar.district_id)
        .options(selectinload(SchoolCalendar.days))
        .order_by(func.lower(District.name), SchoolCalendar.school_year)
    )
    rows = []
    for cal, district in s.execute(stmt):
        kinds = [d.kind for d in cal.days]
        rows.append(
            dto.CalendarRow(
                id=cal.id,
                district=district,
                school_year=cal.school_year,
                first_day=cal.first_day,
                last_day=cal.last_day,
                day_start=cal.day_start,
                day_end=cal.day_end,
                no_school_days=kinds.count("no_school"),
                early_dismissals=kinds.count("early_dismissal"),
                late_starts=kinds.count("late_start"),
                district_id=cal.district_id,
            )
        )
    return rows


def calendar_for_edit(s: Session, actor: Actor, calendar_id: int) -> setup.CalendarInput:
    """A stored calendar as ``save_calendar`` takes it, to edit in place."""
    require(actor, Permission.READ_RECORDS)
    data = setup.calendar_input(s, calendar_id)
    state = s.scalar(
        select(District.state)
        .join(SchoolCalendar, SchoolCalendar.district_id == District.id)
        .where(SchoolCalendar.id == calendar_id)
    )
    # calendar_input keeps the year's label from its first year; an edit keeps it as stored.
    year = s.scalar(select(SchoolCalendar.school_year).where(SchoolCalendar.id == calendar_id))
    return replace(data, state=state or data.state, school_year=year or data.school_year)


# -- schools


def list_schools(s: Session, actor: Actor, *, include_archived: bool = True) -> list[dto.SchoolRow]:
    require(actor, Permission.READ_RECORDS)
    stmt = (
        select(School, District.name)
        .join(District, District.id == School.district_id)
        .order_by(func.lower(School.name))
    )
    if not include_archived:
        stmt = stmt.where(School.archived_at.is_(None))
    return [
        dto.SchoolRow(
            id=school.id,
            name=school.name,
            district=district,
            address=school.address,
            coordinator_name=school.coordinator_name,
            coordinator_email=school.coordinator_email,
            coordinator_phone=school.coordinator_phone,
            archived=school.archived_at is not None,
            district_id=school.district_id,
        )
        for school, district in s.execute(stmt)
    ]


def school_input(s: Session, actor: Actor, school_id: int) -> setup.SchoolInput:
    require(actor, Permission.READ_RECORDS)
    row = s.execute(
        select(School, District.name)
        .join(District, District.id == School.district_id)
        .where(School.id == school_id)
    ).first()
    if row is None:
        raise NotFound(f"no school with id {school_id}")
    school, district = row
    return setup.SchoolInput(
        name=school.name,
        district=district,
        address=school.address,
        coordinator_name=school.coordinator_name,
        coordinator_email=school.coordinator_email,
        coordinator_phone=school.coordinator_phone,
    )


# -- archiving

#: The records that can be archived, each of which keeps an ``archived_at``.
Archivable = Worksite | Equipment | Staff | School
ARCHIVABLE: dict[str, type[Archivable]] = {
    "worksite": Worksite,
    "equipment": Equipment,
    "staff": Staff,
    "school": School,
}


def archive(
    s: Session, actor: Actor, kind: str, record_id: int, *, today: date | None = None
) -> list[str]:
    """Archive a worksite, machine, staff member or school: it leaves the pickers and
    the active lists but keeps its history. Archiving is allowed while placements still
    name the record; the returned warnings say what still does, for the GUI to show.
    Archiving an archived record changes nothing. ``today`` (default: the computer's
    date) decides which placements are still current."""
    record = _archivable(s, actor, kind, record_id)
    warnings = _still_in_use(s, kind, record_id, today or date.today())
    if record.archived_at is None:
        audit.label(s, f"archive {kind}")
        record.archived_at = utcnow()
        s.flush()
    return warnings


def restore(s: Session, actor: Actor, kind: str, record_id: int) -> list[str]:
    """Bring an archived record back; returns warnings (none so far), like ``archive``."""
    record = _archivable(s, actor, kind, record_id)
    if record.archived_at is not None:
        audit.label(s, f"restore {kind}")
        record.archived_at = None
        s.flush()
    return []


def _archivable(s: Session, actor: Actor, kind: str, record_id: int) -> Archivable:
    require(actor, Permission.EDIT_RECORDS)
    model = ARCHIVABLE.get(kind)
    if model is None:
        raise ValidationError(f"{kind!r} is not one of {', '.join(ARCHIVABLE)}", field="kind")
    record = by_id(s, model, record_id)
    if record is None:
        raise NotFound(f"no {kind} with id {record_id}")
    return record


def _current_placements(today: date) -> Select[int]:
    return (
        select(func.count(Placement.id))
        .join(Intern, Intern.id == Placement.intern_id)
        .where(
            Intern.archived_at.is_(None),
            Placement.archived_at.is_(None),
            or_(Placement.end_date.is_(None), Placement.end_date >= today),
        )
    )


def _placements_text(n: int, what: str) -> str:
    return f"{n} active placement{'s' if n != 1 else ''} still {what}"


def _still_in_use(s: Session, kind: str, record_id: int, today: date) -> list[str]:
    """What still refers to a record about to be archived, in words."""
    warnings: list[str] = []
    current = _current_placements(today)
    if kind == "staff":
        n = s.scalar(current.where(Placement.mentor_id == record_id)) or 0
        if n:
            warnings.append(_placements_text(n, "name this mentor"))
    elif kind == "worksite":
        n = s.scalar(current.where(Placement.worksite_id == record_id)) or 0
        if n:
            warnings.append(_placements_text(n, "name this worksite"))
        machines = (
            s.scalar(
                select(func.count(Equipment.id)).where(
                    and_(Equipment.worksite_id == record_id, Equipment.archived_at.is_(None))
                )
            )
            or 0
        )
        if machines:
            plural = "s stay" if machines != 1 else " stays"
            warnings.append(f"{machines} machine{plural} in its equipment register")
    elif kind == "school":
        n = s.scalar(current.where(Placement.school_id == record_id)) or 0
        if n:
            warnings.append(_placements_text(n, "name this school"))
        pupils = (
            s.scalar(
                select(func.count(Intern.id)).where(
                    Intern.school_id == record_id, Intern.archived_at.is_(None)
                )
            )
            or 0
        )
        if pupils:
            word = "interns attend" if pupils != 1 else "intern attends"
            warnings.append(f"{pupils} {word} this school")
    return warnings
