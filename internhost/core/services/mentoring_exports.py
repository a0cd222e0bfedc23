"""The mentorship records as export rows: check-ins, evaluations and incidents
(``internhost export check-ins|evaluations|incidents``, through ``exports``).

Each list is one query over the placements the actor may see (a mentor: their own
interns'), plus one query per child list (topics are a column; internal notes,
ratings), so a big database stays cheap. Internal notes are HR's to read in full; a
mentor reads only the notes they wrote, and a viewer none (``exports`` leaves the
column out for them). An incident's treatment is medical and no export column.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from internhost.core.actor import Actor, Permission, require
from internhost.core.models import (
    Area,
    CheckIn,
    Competency,
    CompetencyRating,
    Concern,
    Equipment,
    Evaluation,
    Incident,
    Note,
    Placement,
    Staff,
    UserAccount,
    Worksite,
)
from internhost.core.services.interns import visible_placements

Rows = list[dict[str, object]]


def check_in_rows(s: Session, actor: Actor) -> Rows:
    """Every check-in the actor may see, oldest first, with the internal notes the
    actor may read (HR: all; a mentor: their own; a viewer: the column is hidden)."""
    require(actor, Permission.READ_RECORDS)
    author = aliased(UserAccount)
    stmt = (
        select(CheckIn, Placement.intern_id, Concern.category, author.username, Staff)
        .join(Placement, Placement.id == CheckIn.placement_id)
        .outerjoin(Concern, Concern.check_in_id == CheckIn.id)
        .outerjoin(author, author.id == CheckIn.author_user_id)
        .outerjoin(Staff, Staff.id == CheckIn.mentor_id)
        .order_by(CheckIn.held_on, CheckIn.id)
    )
    visible = visible_placements(stmt, actor)
    notes = _internal_notes(s, actor, visible.with_only_columns(CheckIn.id))
    # The outer joins leave None what a check-in lacks: a concern, an author, a mentor.
    found: Iterable[tuple[CheckIn, int, str | None, str | None, Staff | None]] = s.execute(visible)
    return [
        {
            "id": c.id,
            "intern_id": intern_id,
            "placement_id": c.placement_id,
            "held_on": c.held_on,
            "minutes": c.minutes,
            "mode": c.mode,
            "topics": list(c.topics or ()),
            "shared_notes": c.shared_notes,
            "internal_notes": notes.get(c.id, []),
            "reflection": c.reflection,
            "concern": concern,
            # The account that logged it; a check-in a mentor without an account held
            # names that mentor.
            "author": username or (mentor.full_name if mentor else None),
        }
        for c, intern_id, concern, username, mentor in found
    ]


def _internal_notes(
    s: Session, actor: Actor, check_ins: Select[tuple[int]]
) -> dict[int, list[dict[str, str]]]:
    """check-in id -> its internal notes the actor may read, ``{author, text}`` in the
    order written. Without the permission to see internal notes, only the actor's own."""
    if not actor.can(Permission.LOG_MENTORING):
        return {}
    stmt = (
        select(Note.check_in_id, UserAccount.username, Note.body)
        .outerjoin(UserAccount, UserAccount.id == Note.author_user_id)
        .where(Note.check_in_id.in_(check_ins), Note.visibility == "internal")
        .order_by(Note.check_in_id, Note.id)
    )
    if not actor.can(Permission.SEE_INTERNAL_NOTES):
        stmt = stmt.where(Note.author_user_id == actor.user_id, Note.author_user_id.is_not(None))
    out: defaultdict[int, list[dict[str, str]]] = defaultdict(list)
    found: Iterable[tuple[int, str | None, str]] = s.execute(stmt)  # check_in_id IN (...)
    for check_in_id, username, body in found:
        out[check_in_id].append({"author": username or "", "text": body})
    return out


def evaluation_rows(s: Session, actor: Actor) -> Rows:
    """Every evaluation the actor may see, oldest first, with its ratings as an
    object of competency key -> level."""
    require(actor, Permission.READ_RECORDS)
    stmt = (
        select(Evaluation, Placement.intern_id, Staff)
        .join(Placement, Placement.id == Evaluation.placement_id)
        .outerjoin(Staff, Staff.id == Evaluation.evaluator_id)
        .order_by(Evaluation.evaluated_on, Evaluation.id)
    )
    visible = visible_placements(stmt, actor)
    ratings: defaultdict[int, dict[str, int]] = defaultdict(dict)
    for evaluation_id, key, level in s.execute(
        select(CompetencyRating.evaluation_id, Competency.key, CompetencyRating.level)
        .join(Competency, Competency.id == CompetencyRating.competency_id)
        .where(CompetencyRating.evaluation_id.in_(visible.with_only_columns(Evaluation.id)))
        .order_by(CompetencyRating.evaluation_id, Competency.position, Competency.id)
    ):
        ratings[evaluation_id][key] = level
    found: Iterable[tuple[Evaluation, int, Staff | None]] = s.execute(visible)
    return [
        {
            "id": e.id,
            "intern_id": intern_id,
            "placement_id": e.placement_id,
            "kind": e.kind,
            "evaluated_on": e.evaluated_on,
            "evaluator": evaluator.full_name if evaluator else None,
            "ratings": ratings.get(e.id, {}),
            "strengths": e.strengths,
            "growth_areas": e.growth_areas,
            "school_verified_by": e.school_verified_by or None,
            "school_verified_on": e.school_verified_on,
        }
        for e, intern_id, evaluator in found
    ]


def incident_rows(s: Session, actor: Actor) -> Rows:
    """Every incident the actor may see, oldest first: where, what and who was told
    when (never the treatment, which is medical)."""
    require(actor, Permission.READ_RECORDS)
    stmt = (
        select(Incident, Placement.intern_id, Worksite.name, Area.name, Equipment.name)
        .join(Placement, Placement.id == Incident.placement_id)
        .outerjoin(Worksite, Worksite.id == Incident.worksite_id)
        .outerjoin(Area, Area.id == Incident.area_id)
        .outerjoin(Equipment, Equipment.id == Incident.equipment_id)
        .order_by(Incident.occurred_at_local, Incident.id)
    )
    return [
        {
            "id": i.id,
            "intern_id": intern_id,
            "placement_id": i.placement_id,
            "occurred_at": i.occurred_at_local,
            "kind": i.kind,
            "worksite": worksite,
            "area": area,
            "equipment": equipment,
            "description": i.description,
            "guardian_notified_on": i.guardian_notified_on,
            "school_notified_on": i.school_notified_on,
            "idol_reported_on": i.idol_reported_on,
            "status": i.status,
        }
        for i, intern_id, worksite, area, equipment in s.execute(visible_placements(stmt, actor))
    ]
