"""The dashboard: the counts and short lists HR looks at first thing in the morning.

Every figure is counted in SQL for the acting user (a mentor sees only their own
interns, through ``visible_interns``); only the week's hours and the rule-change
candidates come back as rows, because summing local wall-clock spans and finding
birthdays portably is easier in Python and those row sets are small.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import QueryableAttribute, Session

from internhost.core import dto
from internhost.core.actor import Actor, Permission, require
from internhost.core.models import (
    ChecklistItem,
    Employer,
    Finding,
    FindingOverride,
    Intern,
    Placement,
    PlanItem,
    School,
    Staff,
    TimeEntry,
    WorkBreak,
    Worksite,
)
from internhost.core.models.enums import SEVERITIES
from internhost.core.rules.ages import band_starts, hours_limited_below
from internhost.core.services.interns import (
    RULE_CHANGE_HORIZON_DAYS,
    Columns,
    next_rule_change,
    visible_interns,
    visible_placements,
)
from internhost.core.services.onboarding import plan_due_row, plan_query
from internhost.core.workweeks import week_start

STARTING_SOON_DAYS = 21
PLAN_DUE_DAYS = 14
"""Open onboarding-plan steps due within this many days (or overdue) are listed."""
PLAN_DUE_LIMIT = 50
"""At most this many plan steps are listed; ``plan_open_count`` counts them all."""


def is_empty(s: Session) -> bool:
    """True for a brand-new database: the app then offers sample data instead of a
    dashboard. The same test ``internhost demo`` uses, so the offer never fails."""
    from internhost.core.sample import is_empty as nothing_written_yet

    return nothing_written_yet(s)


def dashboard(s: Session, actor: Actor, today: date) -> dto.Dashboard:
    """Everything the dashboard shows, as of ``today``, for ``actor``."""
    require(actor, Permission.READ_RECORDS)
    week_from = week_start(today, s.scalar(select(Employer.workweek_start)) or "sun")
    return dto.Dashboard(
        today=today,
        week_from=week_from,
        employer_name=s.scalar(select(Employer.legal_name).limit(1)),
        active_interns=_count(s, _active_interns(actor, today)),
        active_placements=_count(s, _placements(actor, _is_active(today))),
        hours_limited=_count(
            s,
            _active_interns(actor, today).where(
                Intern.birth_date > _latest_birth(today, hours_limited_below())
            ),
        ),
        worksites=_count(s, select(Worksite.id).where(Worksite.archived_at.is_(None))),
        schools=_count(s, select(School.id).where(School.archived_at.is_(None))),
        mentors=_count(
            s, select(Staff.id).where(Staff.role == "mentor", Staff.archived_at.is_(None))
        ),
        hours_this_week=_hours_in_week(s, actor, week_from),
        # Items of placements that have ended are history, not work: left out.
        open_checklist_items=_count(
            s,
            _placements(actor, _not_ended(today))
            .join(ChecklistItem, ChecklistItem.placement_id == Placement.id)
            .where(ChecklistItem.status == "open", ChecklistItem.retired_at.is_(None))
            .with_only_columns(ChecklistItem.id),
        ),
        findings=_findings(s, actor),
        rule_changes=_rule_changes(s, actor, today),
        starting_soon=_starting_soon(s, actor, today),
        plan_due=_plan_due(s, actor, today),
        plan_open_count=_count(s, _open_plan_items(actor, today)),
    )


def _count(s: Session, stmt: Select[*tuple[Any, ...]]) -> int:
    return s.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def _is_active(today: date) -> ColumnElement[bool]:
    return and_(
        Placement.archived_at.is_(None),
        Placement.start_date <= today,
        or_(Placement.end_date.is_(None), Placement.end_date >= today),
    )


def _not_ended(today: date) -> ColumnElement[bool]:
    return and_(
        Placement.archived_at.is_(None),
        or_(Placement.end_date.is_(None), Placement.end_date >= today),
    )


def _placements(actor: Actor, *conditions: ColumnElement[bool]) -> Select[int]:
    """Placements of interns the actor may see (archived interns' placements excluded)."""
    stmt = (
        select(Placement.id)
        .join(Intern, Intern.id == Placement.intern_id)
        .where(Intern.archived_at.is_(None), *conditions)
    )
    return visible_placements(stmt, actor)


def _interns_with(
    stmt: Select[*Columns], actor: Actor, placement_condition: ColumnElement[bool]
) -> Select[*Columns]:
    """``stmt`` (over ``Intern``) kept to visible, unarchived interns with a placement
    meeting ``placement_condition``."""
    has = exists().where(Placement.intern_id == Intern.id, placement_condition)
    return visible_interns(stmt.where(Intern.archived_at.is_(None), has), actor)


def _active_interns(actor: Actor, today: date) -> Select[int]:
    return _interns_with(select(Intern.id), actor, _is_active(today))


def _latest_birth(today: date, age: int) -> date:
    """The latest birth date of someone who is at least ``age`` on ``today``.

    ``today`` minus ``age`` years, with February 29 falling back to the 28th;
    so ``birth_date > _latest_birth(today, age)`` means "under ``age`` today",
    agreeing with ``dates.age_on`` on leap days too.
    """
    try:
        return today.replace(year=today.year - age)
    except ValueError:  # Feb 29 -> a common year
        return date(today.year - age, 2, 28)


def _hours_in_week(s: Session, actor: Actor, first: date) -> float:
    """Hours worked in the workweek from ``first`` (weeks as the employer's pay periods
    and payroll count them): time entries minus their breaks and the breaks a clock
    deducted. Summed by SQLite: at 50,000 interns a week holds hundreds of thousands
    of entries, too many to bring into Python."""
    last = first + timedelta(days=6)
    entries = visible_placements(
        select(TimeEntry.id)
        .join(Placement, Placement.id == TimeEntry.placement_id)
        .join(Intern, Intern.id == Placement.intern_id)
        .where(TimeEntry.work_date.between(first, last)),
        actor,
    ).subquery()
    spans = select(
        func.sum(_hours(TimeEntry.start_local, TimeEntry.end_local)),
        func.sum(func.coalesce(TimeEntry.auto_break_minutes, 0)) / 60.0,
    ).join(entries, entries.c.id == TimeEntry.id)
    worked, deducted = s.execute(spans).one()
    if worked is None:
        return 0.0
    breaks = select(func.sum(_hours(WorkBreak.start_local, WorkBreak.end_local))).join(
        entries, entries.c.id == WorkBreak.time_entry_id
    )
    total = float(worked) - float(s.scalar(breaks) or 0) - float(deducted or 0)
    return round(max(total, 0.0), 2)


def _hours(
    start: QueryableAttribute[datetime], end: QueryableAttribute[datetime]
) -> ColumnElement[float]:
    """``end - start`` in hours (never negative), computed by SQLite."""
    return func.max(func.julianday(end) - func.julianday(start), 0) * 24


def _findings(s: Session, actor: Actor) -> dict[str, int]:
    """Current findings by severity; stale ones and those HR overrode do not count."""
    overridden = exists().where(
        FindingOverride.identity == Finding.identity,
        FindingOverride.kind == "override",
        FindingOverride.revoked_at.is_(None),
    )
    stmt = (
        select(Finding.severity, func.count(Finding.id))
        .join(Intern, Intern.id == Finding.intern_id)
        .where(Finding.stale.is_(False), Intern.archived_at.is_(None), ~overridden)
        .group_by(Finding.severity)
    )
    counts = dict.fromkeys(SEVERITIES, 0)
    counts.update({sev: n for sev, n in s.execute(visible_interns(stmt, actor))})
    return counts


def _display_name(first: str, preferred: str, last: str) -> str:
    return f"{preferred or first} {last}"


def _rule_changes(s: Session, actor: Actor, today: date) -> tuple[dto.RuleChange, ...]:
    """Interns still placed who turn an age that starts a band of the rule packs
    within the horizon, soonest first."""
    horizon = today + timedelta(days=RULE_CHANGE_HORIZON_DAYS)
    # A loose SQL window per age (a day's slack either side for leap days); the exact
    # test is next_rule_change's, so the dashboard and the intern detail agree.
    windows = [
        Intern.birth_date.between(
            _latest_birth(today, age) - timedelta(days=1),
            _latest_birth(horizon, age) + timedelta(days=1),
        )
        for age in band_starts()
    ]
    stmt = _interns_with(
        select(
            Intern.id,
            Intern.legal_first_name,
            Intern.preferred_name,
            Intern.legal_last_name,
            Intern.birth_date,
        ),
        actor,
        _not_ended(today),
    ).where(or_(*windows))
    see_dob = actor.can(Permission.SEE_BIRTH_DATES)
    found: list[tuple[date, dto.RuleChange]] = []
    for row in s.execute(stmt):
        change = next_rule_change(row.birth_date, today)
        if change is None or change[1] > horizon:
            continue
        age, day = change
        name = _display_name(row.legal_first_name, row.preferred_name, row.legal_last_name)
        # A mentor learns only that the rules change soon: the age turned and the day
        # together would give away the birth date.
        masked = dto.RuleChange(row.id, name, None, None)
        found.append((day, dto.RuleChange(row.id, name, age, day) if see_dob else masked))
    # Soonest first, or for a mentor by name (the order would hint at the dates).
    found.sort(key=lambda item: (item[0] if see_dob else date.min, item[1].name))
    return tuple(change for _, change in found)


def _starting_soon(s: Session, actor: Actor, today: date) -> tuple[dto.UpcomingPlacement, ...]:
    """Placements that start between today and three weeks from now, soonest first."""
    last = today + timedelta(days=STARTING_SOON_DAYS)
    stmt = (
        select(
            Intern.id,
            Intern.legal_first_name,
            Intern.preferred_name,
            Intern.legal_last_name,
            Worksite.name.label("worksite"),
            Placement.start_date,
        )
        .select_from(Placement)
        .join(Intern, Intern.id == Placement.intern_id)
        .outerjoin(Worksite, Worksite.id == Placement.worksite_id)
        .where(
            Intern.archived_at.is_(None),
            Placement.archived_at.is_(None),
            Placement.start_date.between(today, last),
        )
        .order_by(Placement.start_date, Intern.sort_name, Placement.id)
    )
    return tuple(
        dto.UpcomingPlacement(
            intern_id=row.id,
            name=_display_name(row.legal_first_name, row.preferred_name, row.legal_last_name),
            worksite=row.worksite,
            start_date=row.start_date,
        )
        for row in s.execute(visible_placements(stmt, actor))
    )


def _open_plan_items(actor: Actor, today: date) -> Select[int]:
    """Open plan steps of visible interns' placements that have not ended."""
    return (
        _placements(actor, _not_ended(today))
        .join(PlanItem, PlanItem.placement_id == Placement.id)
        .where(PlanItem.status == "open")
        .with_only_columns(PlanItem.id)
    )


def _plan_due(s: Session, actor: Actor, today: date) -> tuple[dto.PlanDue, ...]:
    """Open plan steps overdue or due within two weeks, soonest first (at most 50)."""
    stmt = (
        plan_query(actor)
        .where(
            PlanItem.status == "open",
            PlanItem.due_date <= today + timedelta(days=PLAN_DUE_DAYS),
            _not_ended(today),
        )
        .order_by(PlanItem.due_date, Intern.sort_name, PlanItem.position, PlanItem.id)
        .limit(PLAN_DUE_LIMIT)
    )
    return tuple(plan_due_row(row, today) for row in s.execute(stmt))
