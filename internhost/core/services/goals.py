"""An intern's goals: what they aim for by when, open until met or dropped, linked to
the competency it serves where it serves one. HR and the intern's mentor write them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from internhost.core.actor import Actor, Permission, require
from internhost.core.dto_progress import GoalRow
from internhost.core.errors import NotFound
from internhost.core.models import Competency, CompetencyFramework, Goal, Placement
from internhost.core.models.enums import GOAL_STATUSES
from internhost.core.services.progress import placement_for, visible_placement_ids
from internhost.core.trail import audit
from internhost.core.validation import Checker, by_id


@dataclass(frozen=True)
class GoalInput:
    placement_id: int
    title: str
    description: str = ""
    target_date: date | None = None
    status: str = "open"
    competency_id: int | None = None


def goal_rows(s: Session, goals: list[Goal], today: date) -> list[GoalRow]:
    names = dict(
        s.execute(
            select(Competency.id, Competency.name).where(
                Competency.id.in_({g.competency_id for g in goals if g.competency_id})
            )
        ).all()
    )
    return [
        GoalRow(
            id=g.id,
            placement_id=g.placement_id,
            title=g.title,
            description=g.description,
            target_date=g.target_date,
            status=g.status,
            competency_id=g.competency_id,
            competency=names.get(g.competency_id) if g.competency_id else None,
            overdue=g.status == "open" and g.target_date is not None and g.target_date < today,
        )
        for g in goals
    ]


def list_goals(s: Session, actor: Actor, intern_id: int, today: date) -> list[GoalRow]:
    """The intern's goals over all their placements, open ones first, by target date."""
    require(actor, Permission.READ_RECORDS)
    ids = visible_placement_ids(s, actor, intern_id)
    goals = list(
        s.scalars(
            select(Goal)
            .where(Goal.placement_id.in_(ids))
            .order_by(Goal.status != "open", Goal.target_date.is_(None), Goal.target_date, Goal.id)
        )
    )
    return goal_rows(s, goals, today)


def save_goal(
    s: Session, actor: Actor, data: GoalInput, goal_id: int | None = None, *, today: date
) -> GoalRow:
    """Add a goal to a placement, or edit one (its status included)."""
    require(actor, Permission.LOG_MENTORING)
    current = None
    if goal_id is not None:
        current = by_id(s, Goal, goal_id)
        if current is None:
            raise NotFound(f"no goal with id {goal_id}")
        placement_for(s, actor, current.placement_id)
    check = Checker()
    placement: Placement | None = None
    try:
        placement = placement_for(s, actor, data.placement_id)
    except NotFound:
        check.fail("placement_id", "is not a placement you may write goals for")
    title = check.text("title", data.title, required=True, max_len=300)
    description = check.text("description", data.description, max_len=4000, multiline=True)
    target = check.work_date("target_date", data.target_date)
    if placement is not None and target is not None and target < placement.start_date:
        check.fail("target_date", "is before the placement starts")
    status = check.choice("status", data.status, GOAL_STATUSES)
    competency_id = _checked_competency(s, check, data.competency_id, current)
    check.done()
    audit.label(s, "save goal")
    goal = current or Goal()
    goal.placement_id = data.placement_id
    goal.title, goal.description, goal.target_date = title, description, target
    goal.status, goal.competency_id = status, competency_id
    if current is None:
        s.add(goal)
    s.flush()
    return goal_rows(s, [goal], today)[0]


def _checked_competency(
    s: Session, check: Checker, competency_id: int | None, current: Goal | None
) -> int | None:
    """A competency in use (or the goal's own, even retired since)."""
    if competency_id is None:
        return None
    competency = by_id(s, Competency, competency_id)
    if competency is None:
        check.fail("competency_id", "is not a competency on record")
        return None
    kept = current is not None and current.competency_id == competency.id
    framework = s.get(CompetencyFramework, competency.framework_id)
    retired = competency.retired_at is not None or (framework and framework.retired_at)
    if retired and not kept:
        check.fail("competency_id", f"{competency.name!r} is retired")
        return None
    return competency.id
