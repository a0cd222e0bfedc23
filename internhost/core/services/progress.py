"""An intern's progress read at once for the Progress tab (goals, evaluations, the
count and last date of check-ins, site visits, how placements ended), and the scope
the progress services share: which placements the acting user may write for."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from internhost.core.actor import Actor, Permission, require
from internhost.core.dto_progress import ProgressOverview, ProgressPlacement
from internhost.core.errors import NotFound
from internhost.core.models import (
    CheckIn,
    Evaluation,
    Goal,
    Intern,
    Placement,
    PlacementOutcome,
    SiteVisit,
    Worksite,
)
from internhost.core.services import interns
from internhost.core.validation import by_id, storable


def visible_placement_ids(s: Session, actor: Actor, intern_id: int) -> list[int]:
    """The intern's placements, if the actor may see the intern; else ``NotFound``."""
    if (
        not storable(intern_id)
        or s.scalar(
            interns.visible_interns(select(Intern.id), actor, [intern_id]).where(
                Intern.id == intern_id
            )
        )
        is None
    ):
        raise NotFound(f"no intern with id {intern_id}")
    return list(s.scalars(select(Placement.id).where(Placement.intern_id == intern_id)))


def placement_for(s: Session, actor: Actor, placement_id: object) -> Placement:
    """A placement the actor may write progress records for: any, for HR; for a
    mentor, one of their own interns'. ``NotFound`` otherwise (never which)."""
    placement = by_id(s, Placement, placement_id)
    if placement is None or (
        actor.sees_only_own_interns
        and s.scalar(
            interns.visible_placements(select(Placement.id), actor, [placement.intern_id]).where(
                Placement.id == placement.id
            )
        )
        is None
    ):
        raise NotFound(f"no placement with id {placement_id}")
    return placement


def _may(actor: Actor) -> frozenset[str]:
    if actor.can(Permission.EDIT_RECORDS):
        return frozenset(
            {"goals", "evaluations", "site_visits", "outcome", "mentor_notes", "reference_letter"}
        )
    if actor.can(Permission.LOG_MENTORING):
        return frozenset({"goals", "evaluations", "mentor_notes", "reference_letter"})
    return frozenset()


def intern_progress(s: Session, actor: Actor, intern_id: int, today: date) -> ProgressOverview:
    """The intern's Progress tab: every placement's goals, evaluations (with their
    ratings), site visits and outcome, and how many check-ins were held, last when."""
    require(actor, Permission.READ_RECORDS)
    from internhost.core.services import evaluations, goals, outcomes

    ids = visible_placement_ids(s, actor, intern_id)
    placed = s.execute(
        select(Placement, Worksite.name)
        .outerjoin(Worksite, Worksite.id == Placement.worksite_id)
        .where(Placement.id.in_(ids))
        .order_by(Placement.start_date, Placement.id)
    ).all()
    count, last = s.execute(
        select(func.count(CheckIn.id), func.max(CheckIn.held_on)).where(
            CheckIn.placement_id.in_(ids)
        )
    ).one()
    may = _may(actor)
    goal_list = list(
        s.scalars(
            select(Goal)
            .where(Goal.placement_id.in_(ids))
            .order_by(Goal.status != "open", Goal.target_date.is_(None), Goal.target_date, Goal.id)
        )
    )
    evaluation_list = list(
        s.scalars(
            select(Evaluation)
            .where(Evaluation.placement_id.in_(ids))
            .options(selectinload(Evaluation.ratings))
            .order_by(Evaluation.evaluated_on, Evaluation.id)
        )
    )
    visits = list(
        s.scalars(
            select(SiteVisit)
            .where(SiteVisit.placement_id.in_(ids))
            .order_by(SiteVisit.visited_on.desc(), SiteVisit.id.desc())
        )
    )
    ended = list(s.scalars(select(PlacementOutcome).where(PlacementOutcome.placement_id.in_(ids))))
    return ProgressOverview(
        intern_id=intern_id,
        placements=tuple(
            ProgressPlacement(
                id=p.id,
                start_date=p.start_date,
                end_date=p.end_date,
                status=p.status,
                worksite=site,
                mentor_id=p.mentor_id,
            )
            for p, site in placed
        ),
        goals=tuple(goals.goal_rows(s, goal_list, today)),
        evaluations=tuple(evaluations.evaluation_rows(s, evaluation_list)),
        check_ins=count or 0,
        last_check_in=last,
        site_visits=tuple(outcomes.visit_rows(s, visits)),
        outcomes=tuple(outcomes.outcome_row(o) for o in ended),
        may=may,
    )
