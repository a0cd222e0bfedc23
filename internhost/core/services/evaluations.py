"""Evaluations: progress (any time), mid-point and final, each a rubric over a
framework's competencies in use, every level and the overall one bounded by that
framework's own scale, with strengths, growth areas and who signed when (the mentor
submits, the intern acknowledges, the school coordinator verifies).

Mid-point and final evaluations fall due from the placement's dates (LEGAL.md §3.2:
a mid- and end-point skills assessment): ``due_evaluations`` lists them for the
dashboard's queue."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Integer, String, cast, func, select
from sqlalchemy.orm import Session, selectinload

from internhost.core.actor import Actor, Permission, require
from internhost.core.dto_progress import EvaluationDue, EvaluationRow, FrameworkRow, RatingRow
from internhost.core.errors import NotFound
from internhost.core.models import (
    Competency,
    CompetencyFramework,
    CompetencyRating,
    Evaluation,
    Intern,
    Placement,
    Staff,
)
from internhost.core.models.base import utcnow
from internhost.core.models.enums import EVALUATION_KINDS
from internhost.core.services import frameworks, interns
from internhost.core.services.progress import placement_for, visible_placement_ids
from internhost.core.trail import audit
from internhost.core.validation import Checker, by_id

KIND_LABELS = {"progress": "Progress", "midpoint": "Mid-point", "final": "Final"}
#: How long before its date a mid-point or final evaluation shows as due.
DUE_LEAD_DAYS = 7
#: How long after a placement's last day its missing evaluations stay listed as due:
#: a final evaluation is written in the days after; a term long past is history.
DUE_AFTER_END_DAYS = 30
#: The longest evidence note and strengths or growth-areas text.
TEXT_MAX = 4000
#: The kinds written once per placement (a progress evaluation may be written any time).
ONCE = ("midpoint", "final")


@dataclass(frozen=True)
class RatingInput:
    competency_id: int
    level: int
    evidence: str = ""


@dataclass(frozen=True)
class EvaluationInput:
    placement_id: int
    kind: str
    framework_id: int
    evaluated_on: date
    ratings: tuple[RatingInput, ...] = ()
    overall: int | None = None
    strengths: str = ""
    growth_areas: str = ""
    #: The mentor signs by submitting: ``submitted_at`` is set the first time.
    submit: bool = False
    intern_acknowledged_on: date | None = None
    school_verified_by: str = ""
    school_verified_on: date | None = None


def evaluation_rows(s: Session, found: list[Evaluation]) -> list[EvaluationRow]:
    """Rows of evaluations loaded with their ratings."""
    competency_ids = {r.competency_id for e in found for r in e.ratings}
    competencies = {
        c.id: c for c in s.scalars(select(Competency).where(Competency.id.in_(competency_ids)))
    }
    framework_ids = {e.framework_id for e in found if e.framework_id}
    named = {
        f.id: f
        for f in s.scalars(
            select(CompetencyFramework).where(CompetencyFramework.id.in_(framework_ids))
        )
    }
    evaluators = dict(
        s.execute(
            select(Staff.id, Staff.first_name + " " + Staff.last_name).where(
                Staff.id.in_({e.evaluator_id for e in found if e.evaluator_id})
            )
        ).all()
    )
    out = []
    for e in found:
        framework = named.get(e.framework_id) if e.framework_id else None
        order = {c.id: (c.position, c.id) for c in competencies.values()}
        out.append(
            EvaluationRow(
                id=e.id,
                placement_id=e.placement_id,
                kind=e.kind,
                period_label=e.period_label,
                framework_id=e.framework_id,
                framework=framework.name if framework else None,
                scale_max=framework.scale_max if framework else 5,
                evaluator_id=e.evaluator_id,
                evaluator=evaluators.get(e.evaluator_id) if e.evaluator_id else None,
                evaluated_on=e.evaluated_on,
                overall=e.overall,
                strengths=e.strengths,
                growth_areas=e.growth_areas,
                submitted_at=e.submitted_at,
                intern_acknowledged_on=e.intern_acknowledged_on,
                school_verified_by=e.school_verified_by,
                school_verified_on=e.school_verified_on,
                ratings=tuple(
                    RatingRow(
                        competency_id=r.competency_id,
                        competency_key=competencies[r.competency_id].key,
                        competency=competencies[r.competency_id].name,
                        level=r.level,
                        evidence=r.evidence,
                    )
                    for r in sorted(e.ratings, key=lambda r: order[r.competency_id])
                ),
            )
        )
    return out


def list_evaluations(s: Session, actor: Actor, intern_id: int) -> list[EvaluationRow]:
    """The intern's evaluations, oldest first (a chart reads them in order)."""
    require(actor, Permission.READ_RECORDS)
    ids = visible_placement_ids(s, actor, intern_id)
    return evaluation_rows(
        s,
        list(
            s.scalars(
                select(Evaluation)
                .where(Evaluation.placement_id.in_(ids))
                .options(selectinload(Evaluation.ratings))
                .order_by(Evaluation.evaluated_on, Evaluation.id)
            )
        ),
    )


def evaluation_frameworks(
    s: Session, actor: Actor, evaluation_id: int | None = None
) -> list[FrameworkRow]:
    """The frameworks an evaluation may rate on: those in use, and the one an existing
    evaluation rated on even if retired since."""
    require(actor, Permission.READ_RECORDS)
    rows = frameworks.list_frameworks(s, actor)
    if evaluation_id is not None:
        current = by_id(s, Evaluation, evaluation_id)
        if current is None:
            raise NotFound(f"no evaluation with id {evaluation_id}")
        placement_for(s, actor, current.placement_id)
        if current.framework_id and all(r.id != current.framework_id for r in rows):
            rows.append(frameworks.framework_row(s, actor, current.framework_id))
    return rows


def _evaluation(s: Session, actor: Actor, evaluation_id: int) -> Evaluation:
    """An evaluation the actor may change: HR any; a mentor only one they evaluate."""
    found = by_id(s, Evaluation, evaluation_id, options=[selectinload(Evaluation.ratings)])
    if found is None:
        raise NotFound(f"no evaluation with id {evaluation_id}")
    placement_for(s, actor, found.placement_id)
    if actor.sees_only_own_interns and found.evaluator_id != actor.staff_id:
        require(actor, Permission.EDIT_RECORDS)  # another evaluator's: refused
    return found


def save_evaluation(
    s: Session, actor: Actor, data: EvaluationInput, evaluation_id: int | None = None
) -> EvaluationRow:
    """Write an evaluation (a mentor as its evaluator; HR for the placement's mentor)."""
    require(actor, Permission.LOG_MENTORING)
    current = _evaluation(s, actor, evaluation_id) if evaluation_id is not None else None
    check = Checker()
    placement: Placement | None = None
    try:
        placement = placement_for(s, actor, data.placement_id)
    except NotFound:
        check.fail("placement_id", "is not a placement you may evaluate")
    kind = check.choice("kind", data.kind, EVALUATION_KINDS)
    if placement is not None and kind in ONCE:
        other = s.scalar(
            select(Evaluation.id).where(
                Evaluation.placement_id == placement.id,
                Evaluation.kind == kind,
                Evaluation.id != (current.id if current else 0),
            )
        )
        if other:
            check.fail(
                "kind", f"this placement already has a {KIND_LABELS[kind].lower()} evaluation"
            )
    evaluated_on = check.work_date("evaluated_on", data.evaluated_on, required=True)
    if placement is not None and evaluated_on and evaluated_on < placement.start_date:
        check.fail("evaluated_on", "is before the placement starts")
    framework = _checked_framework(s, check, data.framework_id, current)
    ratings = _checked_ratings(check, data.ratings, framework, current)
    scale = framework.scale_max if framework else None
    overall = check.whole("overall", data.overall, low=1, high=scale or 1) if scale else None
    strengths = check.text("strengths", data.strengths, max_len=TEXT_MAX, multiline=True)
    growth = check.text("growth_areas", data.growth_areas, max_len=TEXT_MAX, multiline=True)
    acknowledged = check.work_date("intern_acknowledged_on", data.intern_acknowledged_on)
    if acknowledged and evaluated_on and acknowledged < evaluated_on:
        check.fail("intern_acknowledged_on", "is before the evaluation")
    verified_by = check.name("school_verified_by", data.school_verified_by)
    verified_on = check.work_date("school_verified_on", data.school_verified_on)
    if verified_on and evaluated_on and verified_on < evaluated_on:
        check.fail("school_verified_on", "is before the evaluation")
    if bool(verified_by) != bool(verified_on) and not check.failed("school_verified_by"):
        missing = "school_verified_on" if verified_by else "school_verified_by"
        if not check.failed(missing):
            check.fail(missing, "is required with the other: who verified it, and when")
    if not isinstance(data.submit, bool):
        check.fail("submit", "is not yes or no")
    check.done()
    assert placement is not None and framework is not None and evaluated_on is not None
    audit.label(s, "save evaluation")
    evaluation = current or Evaluation(placement_id=placement.id)
    if current is None:
        evaluation.evaluator_id = (
            actor.staff_id if actor.sees_only_own_interns else placement.mentor_id
        )
        s.add(evaluation)
    evaluation.placement_id = placement.id
    evaluation.kind, evaluation.period_label = kind, KIND_LABELS[kind]
    evaluation.framework_id, evaluation.evaluated_on = framework.id, evaluated_on
    evaluation.overall, evaluation.strengths, evaluation.growth_areas = overall, strengths, growth
    evaluation.intern_acknowledged_on = acknowledged
    evaluation.school_verified_by, evaluation.school_verified_on = verified_by, verified_on
    if data.submit and evaluation.submitted_at is None:
        evaluation.submitted_at = utcnow()
    _write_ratings(evaluation, ratings)
    s.flush()
    return evaluation_rows(s, [evaluation])[0]


def _checked_framework(
    s: Session, check: Checker, framework_id: int, current: Evaluation | None
) -> CompetencyFramework | None:
    framework = by_id(
        s,
        CompetencyFramework,
        framework_id,
        options=[selectinload(CompetencyFramework.competencies)],
    )
    if framework is None:
        check.fail("framework_id", "is not a competency framework on record")
        return None
    kept = current is not None and current.framework_id == framework.id
    if framework.retired_at is not None and not kept:
        check.fail("framework_id", f"{framework.name!r} is retired")
        return None
    return framework


def _checked_ratings(
    check: Checker,
    given: tuple[RatingInput, ...],
    framework: CompetencyFramework | None,
    current: Evaluation | None,
) -> dict[int, tuple[int, str]]:
    """competency id -> (level, evidence): each a competency of the framework in use
    (or one this evaluation rated before it was retired), once, its level on the
    framework's scale."""
    if not isinstance(given, tuple | list):
        check.fail("ratings", "is not a list")
        return {}
    if framework is None:
        return {}
    rated_before = {r.competency_id for r in current.ratings} if current is not None else set()
    allowed = {
        c.id: c for c in framework.competencies if c.retired_at is None or c.id in rated_before
    }
    out: dict[int, tuple[int, str]] = {}
    for i, item in enumerate(given):
        at = f"ratings[{i}]"
        if not isinstance(item, RatingInput):
            check.fail(at, "is not a rating")
            continue
        given_id: object = item.competency_id  # any value may come in
        competency = allowed.get(given_id) if isinstance(given_id, int) else None
        if competency is None:
            check.fail(f"{at}.competency_id", f"is not a competency of {framework.name!r} in use")
            continue
        if competency.id in out:
            check.fail(f"{at}.competency_id", f"{competency.name!r} is rated twice")
            continue
        level = check.whole(
            f"{at}.level", item.level, low=1, high=framework.scale_max, required=True
        )
        evidence = check.text(f"{at}.evidence", item.evidence, max_len=TEXT_MAX, multiline=True)
        if level is not None:
            out[competency.id] = (level, evidence)
    return out


def _write_ratings(evaluation: Evaluation, ratings: dict[int, tuple[int, str]]) -> None:
    existing = {r.competency_id: r for r in evaluation.ratings}
    for competency_id, rating in list(existing.items()):
        if competency_id not in ratings:
            evaluation.ratings.remove(rating)
    for competency_id, (level, evidence) in ratings.items():
        stored = existing.get(competency_id)
        if stored is None:
            evaluation.ratings.append(
                CompetencyRating(competency_id=competency_id, level=level, evidence=evidence)
            )
        else:
            stored.level, stored.evidence = level, evidence


def due_dates(start: date, end: date | None) -> dict[str, date]:
    """When a placement's mid-point and final evaluations fall due: half-way through
    and on its last day (none without an end date)."""
    if end is None or end < start:
        return {}
    return {"midpoint": start + (end - start) / 2, "final": end}


def _due_on(kind: str) -> ColumnElement[str]:
    """``due_dates`` in SQL, as ISO text (a half day rounds down, as there): the day
    a placement's ``kind`` evaluation falls due, NULL without an end date."""
    if kind == "final":
        return func.date(Placement.end_date)
    days = cast(
        (func.julianday(Placement.end_date) - func.julianday(Placement.start_date)) / 2, Integer
    )
    return func.date(Placement.start_date, "+" + cast(days, String) + " days")


def due_evaluation_dates(
    s: Session, actor: Actor, today: date, intern_ids: Collection[int] | None = None
) -> list[tuple[Any, str, date]]:
    """``(row, kind, due)`` of each evaluation ``due_evaluations`` lists, unnamed and
    unordered; ``row`` has the placement's ``id``, ``intern_id`` and the intern's
    ``sort_name``: the queue ranks thousands and names only the first few."""
    require(actor, Permission.READ_RECORDS)
    horizon = today + timedelta(days=DUE_LEAD_DAYS)
    among = list(intern_ids) if intern_ids is not None else None
    due_rows = []
    for kind in ONCE:
        stmt = (
            interns.visible_placements(
                select(
                    Placement.id,
                    Placement.intern_id,
                    Placement.start_date,
                    Placement.end_date,
                    Intern.sort_name,
                ),
                actor,
                among,
            )
            .join(Intern, Intern.id == Placement.intern_id)
            .where(
                Placement.status == "active",
                Placement.end_date >= today - timedelta(days=DUE_AFTER_END_DAYS),
                _due_on(kind) <= horizon.isoformat(),
                ~select(Evaluation.id)
                .where(Evaluation.placement_id == Placement.id, Evaluation.kind == kind)
                .exists(),
            )
        )
        if among is not None:
            stmt = stmt.where(Placement.intern_id.in_(among))
        for row in s.connection().execute(stmt):
            due = due_dates(row.start_date, row.end_date).get(kind)
            if due is not None and due <= horizon:
                due_rows.append((row, kind, due))
    return due_rows


def due_evaluations(
    s: Session, actor: Actor, today: date, intern_ids: Collection[int] | None = None
) -> list[EvaluationDue]:
    """The mid-point and final evaluations of active placements due within
    ``DUE_LEAD_DAYS`` or overdue and not yet written, soonest first, until
    ``DUE_AFTER_END_DAYS`` after the placement's end (a mentor's: their own interns)."""
    due_rows = due_evaluation_dates(s, actor, today, intern_ids)
    names = _intern_names(s, sorted({row.intern_id for row, _, _ in due_rows}))
    out = [
        EvaluationDue(
            row.intern_id,
            row.id,
            kind,
            due,
            f"{KIND_LABELS[kind]} evaluation of {names[row.intern_id]}",
        )
        for row, kind, due in due_rows
    ]
    out.sort(key=lambda d: (d.due, d.intern_id, d.kind))
    return out


def _intern_names(s: Session, ids: list[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        names.update(
            (i, f"{preferred or first} {last}")
            for i, preferred, first, last in s.execute(
                select(
                    Intern.id,
                    Intern.preferred_name,
                    Intern.legal_first_name,
                    Intern.legal_last_name,
                ).where(Intern.id.in_(ids[start : start + 500]))
            )
        )
    return names
