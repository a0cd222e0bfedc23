"""What a weekly timesheet says, and an intern's shifts as a calendar file.

A timesheet is a form for paper sign-off: the workweek's days (weeks start on
``Employer.workweek_start``), the shifts planned on each, what was logged so far,
and blank lines for the times actually worked and the signatures of intern and
mentor (``core/reports/timesheet.py`` draws it). The calendar is the intern's
planned shifts as iCalendar, in the worksite's time zone (``core/fileio/icalendar.py``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from internhost.core import dto
from internhost.core.actor import Actor, Permission, require
from internhost.core.fileio.icalendar import CalendarEvent, build_calendar
from internhost.core.models import (
    Area,
    Employer,
    Intern,
    Placement,
    Shift,
    Staff,
    TimeEntry,
    Worksite,
)
from internhost.core.services.exports import postal_address
from internhost.core.services.hours_progress import intern_with_placements
from internhost.core.validation import Checker
from internhost.core.workweeks import record_minutes, week_start

#: A planned shift or a logged entry: both have a placement, a day and breaks.
_Span = TypeVar("_Span", Shift, TimeEntry)


def _name(intern: Intern) -> str:
    return f"{intern.preferred_name or intern.legal_first_name} {intern.legal_last_name}"


def _span(start: datetime, end: datetime) -> str:
    return f"{start:%H:%M}–{end:%H:%M}"


def timesheet_content(s: Session, actor: Actor, intern_id: int, week: date) -> dto.TimesheetContent:
    """The timesheet of the workweek holding ``week`` (any day of it)."""
    require(actor, Permission.READ_RECORDS)
    check = Checker()
    day = check.work_date("week", week, required=True)
    check.done()
    assert day is not None
    intern = intern_with_placements(s, actor, intern_id)
    employer = s.scalar(select(Employer))
    first = week_start(day, employer.workweek_start if employer else "sun")
    last = first + timedelta(days=6)
    overlapping = [
        p
        for p in intern.placements
        if p.start_date <= last and (p.end_date is None or p.end_date >= first)
    ]
    ids = [p.id for p in overlapping]
    planned = _by_day(s, Shift, ids, first, last)
    logged = _by_day(s, TimeEntry, ids, first, last)
    days = tuple(
        dto.TimesheetDay(
            d,
            tuple(_span(x.start_local, x.end_local) for x in planned[d]),
            sum(record_minutes(x) for x in planned[d]),
            tuple(_span(x.start_local, x.end_local) for x in logged[d]),
            sum(record_minutes(x) for x in logged[d]),
        )
        for d in (first + timedelta(days=i) for i in range(7))
    )
    placement = overlapping[-1] if overlapping else None
    site = s.get(Worksite, placement.worksite_id) if placement and placement.worksite_id else None
    mentor = s.get(Staff, placement.mentor_id) if placement and placement.mentor_id else None
    return dto.TimesheetContent(
        employer=employer.legal_name if employer else "",
        intern=_name(intern),
        badge=(placement.badge or "") if placement else "",
        worksite=site.name if site else "",
        mentor=mentor.full_name if mentor else "",
        week_start=first,
        days=days,
    )


def _by_day(
    s: Session, model: type[_Span], placement_ids: list[int], first: date, last: date
) -> dict[date, list[_Span]]:
    """The shifts or entries of ``placement_ids`` from ``first`` to ``last`` (with their
    breaks), by work date, in time order."""
    out: dict[date, list[_Span]] = defaultdict(list)
    stmt = (
        select(model)
        .where(model.placement_id.in_(placement_ids), model.work_date.between(first, last))
        .options(selectinload(model.breaks))
        .order_by(model.start_local)
    )
    for row in s.scalars(stmt):
        out[row.work_date].append(row)
    return out


def intern_calendar(s: Session, actor: Actor, intern_id: int) -> str:
    """The intern's planned shifts as an iCalendar (RFC 5545) text, each in its
    worksite's time zone."""
    require(actor, Permission.READ_RECORDS)
    intern = intern_with_placements(s, actor, intern_id)
    ids = [p.id for p in intern.placements]
    rows = s.execute(
        select(Shift, Worksite, Area.name, Staff)
        .join(Placement, Placement.id == Shift.placement_id)
        .join(Worksite, Worksite.id == Placement.worksite_id)
        .outerjoin(Area, Area.id == Shift.area_id)
        .outerjoin(Staff, Staff.id == Shift.supervisor_staff_id)
        .where(Shift.placement_id.in_(ids))
        .order_by(Shift.start_local, Shift.id)
    ).all()
    events = []
    for shift, site, area, supervisor in rows:
        details = [f"Area: {area}" if area else ""]
        # An outer join: no staff record when the supervisor was typed by name.
        staff: Staff | None = supervisor
        who = staff.full_name if staff is not None else shift.supervisor_name
        details.append(f"Supervisor: {who}" if who else "")
        events.append(
            CalendarEvent(
                uid=f"shift-{shift.id}@internhost",
                start=shift.start_local,
                end=shift.end_local,
                time_zone=site.time_zone,
                summary=f"Internship shift at {site.name}",
                location=postal_address(site),
                description="\n".join(d for d in details if d),
            )
        )
    return build_calendar(events, name=f"{_name(intern)}: internship shifts")
