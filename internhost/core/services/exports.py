"""Every list as rows of typed values, for the actor: the CSV/JSON exports.

Each entity is one SQL query (no lazy loads, so 50,000 interns stay cheap); the
rows hold ``date``, ``bool``, integer cents and text, and the writers in
``core.exporting`` turn them into files. Fields the actor's role may not see
(birth dates; home addresses and guardians) are None in every row and named by
``hidden_columns``, which is how JSON tells "hidden" (key left out) from "empty"
(``null``). A mentor exports only their own interns — those with a placement they
mentor — and those interns' placements, shifts, time entries, check-ins (with the
internal notes they wrote), evaluations and incidents, as the intern detail screen
shows them. Shifts and time entries give times as local ``HH:MM``
and hours worked (breaks and a clock's deduction left out) with two decimals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TextIO

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.selectable import ScalarSelect

from internhost.core.actor import Actor, Permission, require
from internhost.core.errors import ValidationError
from internhost.core.fileio.exporting import ENTITIES, FORMATS, HEADERS, WRITERS
from internhost.core.models import (
    Area,
    District,
    Intern,
    InternContact,
    Placement,
    School,
    Shift,
    Staff,
    TimeEntry,
    UserAccount,
    WorkBreak,
    Worksite,
    WorkTask,
)
from internhost.core.services import findings, mentoring_exports
from internhost.core.services.interns import (
    _latest_placement,
    visible_interns,
    visible_placements,
)

Rows = list[dict[str, object]]

#: Which permission each sensitive column needs; every other column is visible to
#: anyone who may read records.
COLUMN_PERMISSIONS: dict[str, dict[str, Permission]] = {
    "interns": {
        "birth_date": Permission.SEE_BIRTH_DATES,
        "address": Permission.SEE_CONTACT_DETAILS,
        "guardian_name": Permission.SEE_CONTACT_DETAILS,
        "guardian_phone": Permission.SEE_CONTACT_DETAILS,
        "guardian_email": Permission.SEE_CONTACT_DETAILS,
        "emergency_contact": Permission.SEE_CONTACT_DETAILS,
        "emergency_phone": Permission.SEE_CONTACT_DETAILS,
    },
    # A mentor reads the internal notes they wrote (``mentoring_exports``); HR all.
    "check-ins": {"internal_notes": Permission.LOG_MENTORING},
}


def hidden_columns(actor: Actor, entity: str) -> frozenset[str]:
    """The columns of ``entity`` the actor may not see (None in rows, absent in JSON)."""
    needs = COLUMN_PERMISSIONS.get(_checked(entity, ENTITIES, "entity"), {})
    return frozenset(column for column, perm in needs.items() if not actor.can(perm))


def export_rows(s: Session, actor: Actor, entity: str) -> tuple[list[str], Rows]:
    """The headers of ``entity`` in the issue's order and its rows, as the actor sees them."""
    require(actor, Permission.READ_RECORDS)
    hidden = hidden_columns(actor, entity)
    rows = _BUILDERS[entity](s, actor)
    for row in rows:
        row.update(dict.fromkeys(hidden))
    return list(HEADERS[entity]), rows


def write_export(s: Session, actor: Actor, entity: str, fmt: str, stream: TextIO) -> int:
    """Export ``entity`` as ``fmt`` (csv or json) to a text stream; returns the row count.

    A CSV stream should be opened with ``newline=""`` and UTF-8 encoding.
    """
    writer = WRITERS[_checked(fmt, FORMATS, "format")]
    headers, rows = export_rows(s, actor, entity)
    writer(stream, headers, rows, hidden_columns(actor, entity))
    return len(rows)


def _checked(value: str, allowed: tuple[str, ...], field: str) -> str:
    if value not in allowed:
        raise ValidationError(f"unknown {field} {value!r}; use one of {', '.join(allowed)}", field)
    return value


def _status(archived_at: object) -> str:
    return "active" if archived_at is None else "archived"


def _first_contact(kind: str) -> ScalarSelect[int]:
    """Correlated subquery: the id of an intern's first contact of ``kind``."""
    inner = aliased(InternContact)
    return (
        select(inner.id)
        .where(inner.intern_id == Intern.id, inner.kind == kind)
        .order_by(inner.position, inner.id)
        .limit(1)
        .correlate(Intern)
        .scalar_subquery()
    )


def _intern_rows(s: Session, actor: Actor) -> Rows:
    latest = aliased(Placement)
    guardian = aliased(InternContact)
    emergency = aliased(InternContact)
    residence = aliased(District)
    mentor = aliased(Staff)
    stmt = (
        select(
            Intern,
            School.name,
            residence.name,
            latest,
            Worksite.name,
            mentor.email,
            guardian,
            emergency,
        )
        .join(School, School.id == Intern.school_id)
        .outerjoin(residence, residence.id == Intern.residence_district_id)
        .outerjoin(latest, latest.id == _latest_placement())
        .outerjoin(Worksite, Worksite.id == latest.worksite_id)
        .outerjoin(mentor, mentor.id == latest.mentor_id)
        .outerjoin(guardian, guardian.id == _first_contact("guardian"))
        .outerjoin(emergency, emergency.id == _first_contact("emergency"))
        .order_by(Intern.sort_name, Intern.id)
    )
    rows: Rows = []
    # The outer joins leave what an intern lacks None: the district of residence, a
    # placement (and its worksite and mentor), a guardian, an emergency contact.
    found: Iterable[
        tuple[
            Intern,
            str,
            str | None,
            Placement | None,
            str | None,
            str | None,
            InternContact | None,
            InternContact | None,
        ]
    ] = s.execute(visible_interns(stmt, actor))
    for i, school, district, p, worksite, mentor_email, g, e in found:
        rows.append(
            {
                "id": i.id,
                "first_name": i.legal_first_name,
                "last_name": i.legal_last_name,
                "preferred_name": i.preferred_name,
                "birth_date": i.birth_date,
                "school": school,
                "grade": i.grade,
                "student_id": i.student_id,
                "guardian_name": g.name if g else None,
                "guardian_phone": g.phone if g else None,
                "guardian_email": g.email if g else None,
                "emergency_contact": e.name if e else None,
                "emergency_phone": e.phone if e else None,
                "address": i.address,
                "district": district,
                "worksite": worksite,
                "placement_start": p.start_date if p else None,
                "placement_end": p.end_date if p else None,
                "paid": p.paid if p else None,
                "hourly_rate": p.hourly_rate_cents if p else None,
                "program": p.program if p else None,
                "mentor_email": mentor_email,
                "badge": p.badge if p else None,
                "status": _status(i.archived_at),
            }
        )
    return rows


def _placement_rows(s: Session, actor: Actor) -> Rows:
    stmt = (
        select(Placement, Intern.legal_first_name, Intern.legal_last_name, School.name)
        .add_columns(Worksite.name, Staff.email)
        .join(Intern, Intern.id == Placement.intern_id)
        .join(School, School.id == Placement.school_id)
        .outerjoin(Worksite, Worksite.id == Placement.worksite_id)
        .outerjoin(Staff, Staff.id == Placement.mentor_id)
        .order_by(Intern.sort_name, Intern.id, Placement.start_date, Placement.id)
    )
    return [
        {
            "id": pl.id,
            "intern_id": pl.intern_id,
            "first_name": first,
            "last_name": last,
            "school": school,
            "worksite": worksite,
            "mentor_email": mentor_email,
            "placement_start": pl.start_date,
            "placement_end": pl.end_date,
            "paid": pl.paid,
            "hourly_rate": pl.hourly_rate_cents,
            "program": pl.program,
            "required_hours": pl.required_hours,
            "status": pl.status,
            "status_note": pl.status_note or "",
            "badge": pl.badge,
        }
        for pl, first, last, school, worksite, mentor_email in s.execute(
            visible_placements(stmt, actor)
        )
    ]


def _staff_rows(s: Session, actor: Actor) -> Rows:
    stmt = select(Staff).order_by(Staff.last_name, Staff.first_name, Staff.id)
    return [
        {
            "id": m.id,
            "name": m.full_name,
            "role": m.role,
            "email": m.email,
            "phone": m.phone,
            "is_21_or_older": m.is_21_or_older,
            "clearance_date": m.clearance_date,
            "mentor_training_date": m.mentor_training_date,
            "status": _status(m.archived_at),
        }
        for m in s.scalars(stmt)
    ]


def _school_rows(s: Session, actor: Actor) -> Rows:
    stmt = (
        select(School, District.name)
        .join(District, District.id == School.district_id)
        .order_by(School.name, School.id)
    )
    return [
        {
            "id": school.id,
            "name": school.name,
            "district": district,
            "coordinator_name": school.coordinator_name,
            "coordinator_email": school.coordinator_email,
            "coordinator_phone": school.coordinator_phone,
        }
        for school, district in s.execute(stmt)
    ]


def postal_address(site: Worksite) -> str:
    """One line: street, city, state and ZIP code, skipping the parts not recorded."""
    locality = " ".join(part for part in (site.state, site.postal_code) if part)
    return ", ".join(part for part in (site.address, site.city, locality) if part)


def _worksite_rows(s: Session, actor: Actor) -> Rows:
    return [
        {
            "id": site.id,
            "name": site.name,
            "address": postal_address(site),
            "state": site.state,
            "time_zone": site.time_zone,
        }
        for site in s.scalars(select(Worksite).order_by(Worksite.name, Worksite.id))
    ]


def _hhmm(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def _minutes(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 60


def _children(
    s: Session, column: str, ids: Select[tuple[int]]
) -> tuple[dict[int, float], dict[int, list[str]]]:
    """Break minutes and task keys of the shifts or entries ``ids`` selects, by their
    id (``column``: ``shift_id`` or ``time_entry_id``)."""
    breaks: defaultdict[int, float] = defaultdict(float)
    parent = getattr(WorkBreak, column)
    for owner, start, end in s.execute(
        select(parent, WorkBreak.start_local, WorkBreak.end_local).where(parent.in_(ids))
    ):
        breaks[owner] += _minutes(start, end)
    tasks: defaultdict[int, list[str]] = defaultdict(list)
    parent = getattr(WorkTask, column)
    for owner, key in s.execute(
        select(parent, WorkTask.task_key).where(parent.in_(ids)).order_by(WorkTask.id)
    ):
        tasks[owner].append(key)
    return breaks, tasks


def _shift_rows(s: Session, actor: Actor) -> Rows:
    stmt = (
        select(Shift, Placement.intern_id, Area.name)
        .join(Placement, Placement.id == Shift.placement_id)
        .outerjoin(Area, Area.id == Shift.area_id)
        .order_by(Shift.start_local, Shift.id)
    )
    visible = visible_placements(stmt, actor)
    _, tasks = _children(s, "shift_id", visible.with_only_columns(Shift.id))
    return [
        {
            "id": shift.id,
            "intern_id": intern_id,
            "placement_id": shift.placement_id,
            "work_date": shift.work_date,
            "start": _hhmm(shift.start_local),
            "end": _hhmm(shift.end_local),
            "area": area,
            "supervisor": shift.supervisor_name,
            "tasks": ";".join(tasks.get(shift.id, ())),
        }
        for shift, intern_id, area in s.execute(visible)
    ]


def _time_entry_rows(s: Session, actor: Actor) -> Rows:
    stmt = (
        select(
            TimeEntry,
            Placement.intern_id,
            Placement.badge,
            Intern.student_id,
            UserAccount.display_name,
            UserAccount.username,
        )
        .join(Placement, Placement.id == TimeEntry.placement_id)
        .join(Intern, Intern.id == Placement.intern_id)
        .outerjoin(UserAccount, UserAccount.id == TimeEntry.approved_by)
        .order_by(TimeEntry.start_local, TimeEntry.id)
    )
    visible = visible_placements(stmt, actor)
    breaks, _ = _children(s, "time_entry_id", visible.with_only_columns(TimeEntry.id))
    rows: Rows = []
    for entry, intern_id, badge, student_id, approver, username in s.execute(visible):
        pause = breaks.get(entry.id, 0.0)
        worked = _minutes(entry.start_local, entry.end_local) - pause
        rows.append(
            {
                "id": entry.id,
                "intern_id": intern_id,
                "placement_id": entry.placement_id,
                "badge": badge,
                "student_id": student_id,
                "work_date": entry.work_date,
                "start": _hhmm(entry.start_local),
                "end": _hhmm(entry.end_local),
                "break_minutes": round(pause + (entry.auto_break_minutes or 0)),
                "hours": round((worked - (entry.auto_break_minutes or 0)) / 60, 2),
                "source": entry.source,
                "approved_by": approver or username,
                "approved_at": entry.approved_at,
                "locked": entry.locked_at is not None,
            }
        )
    return rows


_BUILDERS: dict[str, Callable[[Session, Actor], Rows]] = {
    "interns": _intern_rows,
    "placements": _placement_rows,
    "staff": _staff_rows,
    "schools": _school_rows,
    "worksites": _worksite_rows,
    "findings": findings.export_rows,
    "shifts": _shift_rows,
    "time-entries": _time_entry_rows,
    "check-ins": mentoring_exports.check_in_rows,
    "evaluations": mentoring_exports.evaluation_rows,
    "incidents": mentoring_exports.incident_rows,
}
