"""The mentorship records: weekly check-ins (``check_ins``), two goals per placement,
midpoint and final evaluations rated on the competency framework (one verified by the
school, after a site visit), the incidents (``incidents``) and how the finished
placements ended (``outcomes``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from internhost.core.actor import SYSTEM
from internhost.core.models import (
    CompetencyFramework,
    CompetencyRating,
    Evaluation,
    Goal,
    School,
    SiteVisit,
)
from internhost.core.sample import check_ins, incidents, outcomes
from internhost.core.sample.generator import Generator
from internhost.core.sample.hours import PlannedShift
from internhost.core.sample.placements import PlacementPlan
from internhost.core.sample.spec import load_competencies
from internhost.core.trail import audit

#: The school coordinator verifies a mid-point evaluation within this many days.
VERIFIED_AFTER_DAYS = 6


def add_competencies(gen: Generator) -> CompetencyFramework:
    """The shipped frameworks, as ``init`` installs them; the evaluations rate against
    the essential employability one."""
    from internhost.core.services.frameworks import install_shipped

    install_shipped(gen.s, SYSTEM)
    spec = load_competencies()
    return gen.s.scalars(
        select(CompetencyFramework)
        .where(
            CompetencyFramework.key == spec["key"],
            CompetencyFramework.version == spec["version"],
        )
        .options(selectinload(CompetencyFramework.competencies))
    ).one()


def add_mentoring(
    gen: Generator,
    placements: list[PlacementPlan],
    shifts: list[PlannedShift],
    framework: CompetencyFramework,
) -> None:
    """For each placement, on the days it logged hours: its check-ins
    (``check_ins``), its goals (met when the hours reach its end, dropped when it
    ended early) and its evaluations; then a school-verified mid-point evaluation
    and a site visit, the incidents and how the finished placements ended."""
    phrases = gen.spec["phrases"]
    by_placement: dict[int, list[date]] = {}
    for shift in shifts:
        by_placement.setdefault(shift.row["placement_id"], []).append(shift.row["work_date"])
    days = {
        p.id: [d for d in by_placement.get(p.id, []) if d <= p.logged_through] for p in placements
    }
    check_ins.add_check_ins(gen, placements, days)
    goals, evaluations = [], []
    for p in placements:
        logged = days[p.id]
        for title in gen.rng.sample(phrases["goals"], 2):
            goals.append(_goal(gen, p, logged, title))
        evaluations += _evaluations(gen, p, logged, framework.scale_max)
    audit.bulk_insert(gen.s, Goal, goals)
    _add_evaluations(gen, evaluations, framework)
    _verify_a_midpoint(gen, placements, evaluations)
    incidents.add_incidents(gen, placements, days)
    outcomes.add_outcomes(gen, placements)


def _goal(gen: Generator, p: PlacementPlan, logged: list[date], title: str) -> dict[str, Any]:
    if p.ending == "terminated":
        status, why = "dropped", gen.spec["mentoring"]["goal_dropped"]
    else:
        met = logged and p.end <= logged[-1] + timedelta(days=7)
        status, why = ("met" if met else "open"), ""
    return {
        "placement_id": p.id,
        "title": title,
        "description": why,
        "target_date": p.end,
        "status": status,
    }


def _evaluations(
    gen: Generator, p: PlacementPlan, days: list[date], scale_max: int
) -> list[dict[str, Any]]:
    """The midpoint and final evaluations the logged days reach (within a week); a
    placement ended early has no final one. Levels are on the framework's scale."""
    out = []
    midpoint = p.start + (p.end - p.start) / 2
    for label, when in (("Midpoint", midpoint), ("Final", p.end)):
        if not days or days[-1] < when - timedelta(days=7):
            continue
        if label == "Final" and p.ending == "terminated":
            continue
        out.append(
            {
                "placement_id": p.id,
                "evaluator_id": p.mentor_id,
                "period_label": label,
                "kind": label.lower(),
                "evaluated_on": when,
                "overall": gen.rng.randint(2, scale_max),
                "strengths": gen.rng.choice(gen.spec["phrases"]["went_well"]),
                "growth_areas": gen.rng.choice([x for x in gen.spec["phrases"]["needs_help"] if x]),
                "submitted_at": datetime.combine(when, time(16), UTC),
            }
        )
    return out


def _add_evaluations(
    gen: Generator, evaluations: list[dict[str, Any]], framework: CompetencyFramework
) -> None:
    """The evaluations, each rating every competency of the framework."""
    gen.s.flush()
    for evaluation in evaluations:
        evaluation["framework_id"] = framework.id
        evaluation["overall"] = min(evaluation["overall"], framework.scale_max)
    ids = audit.bulk_insert(gen.s, Evaluation, evaluations)
    for evaluation, new_id in zip(evaluations, ids, strict=True):
        evaluation["id"] = new_id
    ratings = [
        {
            "evaluation_id": eid,
            "competency_id": c.id,
            "level": gen.rng.randint(2, framework.scale_max),
        }
        for eid in ids
        for c in framework.competencies
    ]
    audit.bulk_insert(gen.s, CompetencyRating, ratings)
    gen.count("evaluations", len(ids))


def _verify_a_midpoint(
    gen: Generator, placements: list[PlacementPlan], evaluations: list[dict[str, Any]]
) -> None:
    """The demo mentor's latest mid-point evaluation (any, without one): the intern
    acknowledged it and the school coordinator verified it; the coordinator visited
    the worksite the week before."""
    midpoints = [e for e in evaluations if e["kind"] == "midpoint"]
    if not midpoints:
        return
    plans = {p.id: p for p in placements}
    own = [e for e in midpoints if plans[e["placement_id"]].mentor_id == gen.accounts.mentor_staff]
    chosen = max(own or midpoints, key=lambda e: (e["evaluated_on"], e["id"]))
    p = plans[chosen["placement_id"]]
    coordinator = gen.s.scalar(
        select(School.coordinator_name).where(School.id == p.row["school_id"])
    )
    when = chosen["evaluated_on"]
    latest = gen.today - timedelta(days=1)
    audit.bulk_update(
        gen.s,
        Evaluation,
        [
            {
                "id": chosen["id"],
                "intern_acknowledged_on": min(when + timedelta(days=1), latest),
                "school_verified_by": coordinator,
                "school_verified_on": min(when + timedelta(days=VERIFIED_AFTER_DAYS), latest),
            }
        ],
    )
    audit.bulk_insert(
        gen.s,
        SiteVisit,
        [
            {
                "placement_id": p.id,
                "visited_on": when - timedelta(days=7),
                "visitor": coordinator,
                "notes": gen.spec["mentoring"]["site_visit"],
                "recorded_by": gen.accounts.hr,
            }
        ],
    )
