"""The payroll export: approved hours per intern per workweek, split for pay.

One row per intern and workweek (weeks start on ``Employer.workweek_start``) for
every workweek that touches the dates asked, whole, since overtime is counted over
the whole week. Only approved entries are paid; what still waits for approval is
shown in ``unapproved_hours`` so payroll can chase it. ``overtime_hours`` are those
over the wage pack's weekly threshold (``[overtime]``). ``youth_rate_hours`` are
those the youth minimum may be paid for: the intern no older than the rate's
``youth_max_age`` on the day, and their hours with the employer that calendar year
(every logged hour, approved or not, since the law counts hours worked) not past
``youth_max_hours_per_year``; the rest are ``adult_rate_hours``. The rates are the
placement's hourly rate, raised to the minimum that applies (the state's youth or
adult rate, never below the federal minimum); empty for an unpaid placement.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from internhost.core.actor import Actor, Permission, require
from internhost.core.dates import age_on
from internhost.core.errors import ValidationError
from internhost.core.fileio.exporting import FORMATS, WRITERS
from internhost.core.models import Employer, Intern, Placement, TimeEntry, Worksite
from internhost.core.rules.hours_law import overtime_rule
from internhost.core.rules.packs import WageRate, load_rules
from internhost.core.validation import Checker
from internhost.core.workweeks import hours, record_minutes, week_start

PAYROLL_HEADERS = (
    "intern_id",
    "name",
    "badge",
    "week_start",
    "hours",
    "regular_hours",
    "overtime_hours",
    "youth_rate_hours",
    "adult_rate_hours",
    "youth_rate",
    "adult_rate",
    "unapproved_hours",
)
#: The longest span one export may cover.
MAX_DAYS = 400
FEDERAL = "US"


@dataclass
class _Week:
    """One intern's workweek as it is summed up."""

    approved: int = 0
    youth: int = 0
    unapproved: int = 0
    placements: list[Placement] = field(default_factory=list)
    #: The minimums that applied to the week's paid minutes (youth, adult), in cents.
    youth_minimum: int | None = None
    adult_minimum: int = 0


def _dates(start: object, end: object) -> tuple[date, date]:
    check = Checker()
    first = check.work_date("from", start, required=True)  # type: ignore[arg-type]
    last = check.work_date("to", end, required=True)  # type: ignore[arg-type]
    if first and last:
        if last < first:
            check.fail("to", "is before the start date")
        elif (last - first).days > MAX_DAYS:
            check.fail("to", f"is more than {MAX_DAYS} days after the start date; export less")
    check.done()
    assert first is not None and last is not None
    return first, last


def payroll_rows(s: Session, actor: Actor, start: date, end: date) -> list[dict[str, object]]:
    """The payroll rows of the workweeks touching ``start``–``end`` (HR only)."""
    require(actor, Permission.EXPORT_PAYROLL)
    first, last = _dates(start, end)
    starts_on = s.scalar(select(Employer.workweek_start)) or "sun"
    first = week_start(first, starts_on)
    last = week_start(last, starts_on) + timedelta(days=6)
    # The year's earlier hours count toward the youth limit: read from January 1.
    since = date(first.year, 1, 1)
    entries = s.execute(
        select(TimeEntry, Placement, Intern, Worksite.state)
        .join(Placement, Placement.id == TimeEntry.placement_id)
        .join(Intern, Intern.id == Placement.intern_id)
        .outerjoin(Worksite, Worksite.id == Placement.worksite_id)
        .where(TimeEntry.work_date.between(since, last))
        .options(selectinload(TimeEntry.breaks))
        .order_by(Intern.id, TimeEntry.start_local, TimeEntry.id)
    ).all()
    weeks: dict[tuple[int, date], _Week] = defaultdict(_Week)
    interns: dict[int, Intern] = {}
    year_minutes: dict[tuple[int, int], int] = defaultdict(int)
    for entry, placement, intern, state in entries:
        minutes = record_minutes(entry)
        day = entry.work_date
        so_far = year_minutes[intern.id, day.year]
        year_minutes[intern.id, day.year] = so_far + minutes
        if day < first:
            continue
        interns[intern.id] = intern
        week = weeks[intern.id, week_start(day, starts_on)]
        if entry.approved_at is None:
            week.unapproved += minutes
            continue
        week.approved += minutes
        week.placements.append(placement)
        state_rate, federal_rate = _rates(state, day)
        if state_rate is not None and state_rate.youth(age_on(intern.birth_date, day)):
            limit = (state_rate.youth_max_hours_per_year or 0) * 60
            week.youth += max(0, min(minutes, limit - so_far))
            week.youth_minimum = max(state_rate.youth_cents or 0, federal_rate)
        week.adult_minimum = max(week.adult_minimum, federal_rate, _adult(state_rate))
    threshold = overtime_rule().weekly_hours * 60
    rows = []
    for (intern_id, monday), week in sorted(
        weeks.items(), key=lambda kv: (interns[kv[0][0]].sort_name, kv[0][0], kv[0][1])
    ):
        intern = interns[intern_id]
        rate = _placement_rate(week.placements)
        rows.append(
            {
                "intern_id": intern_id,
                "name": f"{intern.legal_first_name} {intern.legal_last_name}",
                "badge": ";".join(dict.fromkeys(p.badge for p in week.placements if p.badge))
                or None,
                "week_start": monday,
                "hours": hours(week.approved),
                "regular_hours": hours(min(week.approved, threshold)),
                "overtime_hours": hours(max(0, week.approved - threshold)),
                "youth_rate_hours": hours(week.youth),
                "adult_rate_hours": hours(week.approved - week.youth),
                "youth_rate": max(rate, week.youth_minimum)
                if rate is not None and week.youth and week.youth_minimum is not None
                else None,
                "adult_rate": max(rate, week.adult_minimum)
                if rate is not None and week.approved > week.youth
                else None,
                "unapproved_hours": hours(week.unapproved),
            }
        )
    return rows


def _rates(state: str | None, day: date) -> tuple[WageRate | None, int]:
    """The state's rate in force on ``day`` (None without a state pack) and the
    federal adult minimum in cents."""
    rules = load_rules(state)
    federal = rules.rate_on(FEDERAL, day)
    jurisdiction = rules.state.jurisdiction if rules.state else None
    state_rate = rules.rate_on(jurisdiction, day) if jurisdiction else None
    return state_rate, federal.adult_cents if federal else 0


def _adult(rate: WageRate | None) -> int:
    return rate.adult_cents if rate is not None else 0


def _placement_rate(placements: list[Placement]) -> int | None:
    """The hourly rate of the week's last paid placement (None: unpaid all week)."""
    for p in reversed(placements):
        if p.paid:
            return p.hourly_rate_cents or 0
    return None


def write_payroll(
    s: Session, actor: Actor, start: date, end: date, fmt: str, stream: TextIO
) -> int:
    """Write the payroll export as ``fmt`` (csv or json); returns the row count."""
    require(actor, Permission.EXPORT_PAYROLL)
    if fmt not in FORMATS:
        raise ValidationError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}", "format")
    rows = payroll_rows(s, actor, start, end)
    WRITERS[fmt](stream, PAYROLL_HEADERS, rows, frozenset())
    return len(rows)
