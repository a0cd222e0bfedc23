"""New term: copy a term's placements and its districts' calendars forward.

``preview_new_term`` says what would be copied and what skipped, and why;
``apply_new_term`` copies exactly that, in one transaction: every placement through
the same checks and writing as ``placements.save_placement`` (so each copy gets its
legal checklist and onboarding plan), every calendar one school year forward
through ``setup.calendar_input`` and ``setup.save_calendar``. Nothing is written when
anything fails.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from internhost.core import dto
from internhost.core.actor import Actor, Permission, require
from internhost.core.dates import birthday_of_age
from internhost.core.errors import ValidationError
from internhost.core.models import (
    District,
    Intern,
    Placement,
    School,
    SchoolCalendar,
    Staff,
    Worksite,
)
from internhost.core.models.interns import PRIMARY_BENEFICIARY_FACTORS
from internhost.core.services import assignments, compliance, interns, placements, setup
from internhost.core.trail import audit
from internhost.core.validation import Checker

ADULT_AGE = 18


@dataclass(frozen=True)
class NewTermInput:
    """Copy the placements starting from ``from_start`` to ``from_end`` (only those in
    ``placement_ids`` when given) to run from ``new_start`` to ``new_end``."""

    from_start: date
    from_end: date
    new_start: date
    new_end: date | None
    placement_ids: tuple[int, ...] | None = None
    copy_calendars: bool = True


def _check_input(data: NewTermInput) -> None:
    check = Checker()
    from_start = check.work_date("from_start", data.from_start, required=True)
    from_end = check.work_date("from_end", data.from_end, required=True)
    new_start = check.work_date("new_start", data.new_start, required=True)
    new_end = check.work_date("new_end", data.new_end)
    check.order("from_end", from_start, from_end)
    check.order("new_end", new_start, new_end)
    if new_start and from_end and new_start <= from_end:
        check.fail("new_start", f"must be after the term it copies (which ends {from_end})")
    for i, placement_id in enumerate(data.placement_ids or ()):
        if not isinstance(placement_id, int):
            check.fail(f"placement_ids[{i}]", "is not a placement's id")
    check.done()


def _overlaps(p: Placement, start: date, end: date | None) -> bool:
    return (end is None or p.start_date <= end) and (p.end_date is None or p.end_date >= start)


def _copy_input(p: Placement, intern: Intern, data: NewTermInput) -> placements.PlacementInput:
    return placements.PlacementInput(
        intern_id=intern.id,
        school_id=intern.school_id,
        start_date=data.new_start,
        end_date=data.new_end,
        worksite_id=p.worksite_id,
        mentor_id=p.mentor_id,
        paid=p.paid,
        hourly_rate_cents=p.hourly_rate_cents,
        program=p.program,
        required_hours=p.required_hours,
        check_in_every_days=p.check_in_every_days,
        primary_beneficiary=tuple(getattr(p, c) for c in PRIMARY_BENEFICIARY_FACTORS),
        assignments=assignments.as_inputs(p),  # the same work, checked anew
    )


def _placements(
    s: Session, actor: Actor, data: NewTermInput, today: date
) -> tuple[list[dto.NewTermPlacement], dict[int, dict[str, Any]]]:
    """Each placement of the term, copied or skipped, and the checked values of the copies."""
    stmt = interns.visible_interns(
        select(Placement, Intern)
        .join(Intern, Intern.id == Placement.intern_id)
        .where(Placement.start_date >= data.from_start, Placement.start_date <= data.from_end)
        .options(selectinload(Intern.placements)),
        actor,
    ).order_by(Intern.sort_name, Intern.id, Placement.start_date.desc(), Placement.id.desc())
    found = list(s.execute(stmt).all())
    wanted = set(data.placement_ids) if data.placement_ids is not None else None
    if wanted is not None and (unknown := wanted - {p.id for p, _ in found}):
        ids = ", ".join(map(str, sorted(unknown)))
        raise ValidationError(f"{ids}: not placements of the term being copied", "placement_ids")
    schools = dict(s.execute(select(School.id, School.name)).all())
    copied_interns: set[int] = set()
    out: list[dto.NewTermPlacement] = []
    values: dict[int, dict[str, Any]] = {}
    for p, intern in found:
        site = s.get(Worksite, p.worksite_id) if p.worksite_id else None
        mentor = s.get(Staff, p.mentor_id) if p.mentor_id else None
        reason = _skip_reason(p, intern, data, wanted, copied_interns)
        notes: list[str] = []
        copy = _copy_input(p, intern, data)
        if not reason:
            if site is not None and site.archived_at is not None:
                notes.append(f"{site.name} is archived: the copy has no worksite yet")
                # Its areas and machines go with it; the catalog tasks stay.
                kept = tuple(a for a in copy.assignments if a.task_key is not None)
                copy = replace(copy, worksite_id=None, assignments=kept)
                site = None
            if mentor is not None and (mentor.archived_at is not None or mentor.role != "mentor"):
                why = "is archived" if mentor.archived_at is not None else "is no longer a mentor"
                notes.append(f"{mentor.full_name} {why}: the copy has no mentor yet")
                copy = replace(copy, mentor_id=None)
                mentor = None
            if p.school_id != intern.school_id:
                notes.append(f"placed through {schools[intern.school_id]}, the intern's school now")
            if p.employee_status == "not_employee":
                notes.append("the not-an-employee decision is not copied: HR decides it anew")
            try:
                values[p.id] = placements.checked_values(s, actor, copy, None, today=today)
            except ValidationError as error:
                reason = "cannot be copied: " + "; ".join(str(e) for e in error.errors)
        if not reason:
            copied_interns.add(intern.id)
        out.append(
            dto.NewTermPlacement(
                placement_id=p.id,
                intern_id=intern.id,
                intern_name=f"{intern.legal_last_name}, {intern.legal_first_name}",
                school=schools.get(copy.school_id or 0, ""),
                worksite=site.name if site else None,
                mentor=mentor.full_name if mentor else None,
                start_date=data.new_start,
                end_date=data.new_end,
                copy=not reason,
                reason=reason,
                notes=tuple(notes) if not reason else (),
            )
        )
    return out, values


def _skip_reason(
    p: Placement,
    intern: Intern,
    data: NewTermInput,
    wanted: set[int] | None,
    copied_interns: set[int],
) -> str:
    if wanted is not None and p.id not in wanted:
        return "not selected"
    if p.archived_at is not None:
        return "the placement is archived"
    if intern.archived_at is not None:
        return "the intern is archived"
    adult = birthday_of_age(intern.birth_date, ADULT_AGE)
    if adult <= data.new_start:
        return f"turns {ADULT_AGE} on {adult.isoformat()}, before the new term starts"
    if intern.id in copied_interns:
        return "a later placement of this intern in the term is copied instead"
    for other in intern.placements:
        if other.archived_at is None and _overlaps(other, data.new_start, data.new_end):
            if other.id == p.id:
                return "runs on into the new term: give it an end date first"
            return f"already has a placement in the new term (from {other.start_date.isoformat()})"
    return ""


def _calendars(s: Session, data: NewTermInput) -> list[dto.NewTermCalendar]:
    """The calendars in force during the term, each to be copied a school year forward."""
    if not data.copy_calendars:
        return []
    stmt = (
        select(SchoolCalendar, District.name)
        .join(District, District.id == SchoolCalendar.district_id)
        .where(
            SchoolCalendar.first_day <= data.from_end, SchoolCalendar.last_day >= data.from_start
        )
        .order_by(District.name, SchoolCalendar.first_day)
    )
    existing = set(s.execute(select(SchoolCalendar.district_id, SchoolCalendar.school_year)))
    out = []
    for calendar, district in s.execute(stmt):
        start_year = int(calendar.school_year[:4]) + 1
        new_year = f"{start_year}-{(start_year + 1) % 100:02d}"
        reason = ""
        if (calendar.district_id, new_year) in existing:
            reason = f"the {new_year} calendar already exists"
        elif calendar.first_day <= data.new_start <= calendar.last_day:
            reason = f"{calendar.school_year} already covers the new term"
        out.append(
            dto.NewTermCalendar(
                calendar_id=calendar.id,
                district=district,
                school_year=calendar.school_year,
                new_school_year=new_year,
                copy=not reason,
                reason=reason,
            )
        )
    return out


def _plan(
    s: Session, actor: Actor, data: NewTermInput, today: date
) -> tuple[dto.NewTermPreview, dict[int, dict[str, Any]]]:
    require(actor, Permission.EDIT_RECORDS)
    _check_input(data)
    rows, values = _placements(s, actor, data, today)
    return dto.NewTermPreview(tuple(rows), tuple(_calendars(s, data))), values


def preview_new_term(
    s: Session, actor: Actor, data: NewTermInput, today: date
) -> dto.NewTermPreview:
    """What ``apply_new_term`` would copy and skip, with the reasons. Writes nothing."""
    return _plan(s, actor, data, today)[0]


def apply_new_term(s: Session, actor: Actor, data: NewTermInput, today: date) -> dto.NewTermResult:
    """Copy what the preview says, all or nothing: calendars first (the copies' checks
    read them), then the placements, each with its checklist and onboarding plan."""
    preview, values = _plan(s, actor, data, today)
    audit.label(s, "new term")
    calendar_ids = [
        setup.save_calendar(s, actor, setup.calendar_input(s, c.calendar_id, years_later=1))
        for c in preview.calendars_to_copy
    ]
    created = placements.create_placements(
        s, actor, [values[p.placement_id] for p in preview.to_copy]
    )
    for intern_id in sorted({p.intern_id for p in created}):
        compliance.check_intern(s, actor, intern_id, today)
    for placement in created:  # a copy its findings block is a draft that says why
        placements.settle_status(s, placement, was_active=False)
    audit.label(s, "new term")  # the saves and re-checks above belong to this action
    rows = interns.placement_rows(s, [p.id for p in created])
    return dto.NewTermResult(tuple(rows), tuple(calendar_ids), preview)
