"""The mentorship records: weekly check-ins, two goals per placement, midpoint and
final evaluations rated on the competency framework, and one near miss."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from internhost.core.actor import SYSTEM
from internhost.core.models import (
    CheckIn,
    CompetencyFramework,
    CompetencyRating,
    Evaluation,
    Goal,
    Incident,
)
from internhost.core.sample.generator import Generator
from internhost.core.sample.hours import SATURDAY, PlannedShift
from internhost.core.sample.placements import PlacementPlan
from internhost.core.sample.spec import load_competencies
from internhost.core.trail import audit


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
    """For each placement, on the days it logged hours: a check-in on the first weekday
    of each week, its goals (met when the hours reach its end) and its evaluations."""
    phrases = gen.spec["phrases"]
    by_placement: dict[int, list[date]] = {}
    for shift in shifts:
        by_placement.setdefault(shift.row["placement_id"], []).append(shift.row["work_date"])
    check_ins, goals, evaluations = [], [], []
    for p in placements:
        days = [d for d in by_placement.get(p.id, []) if d <= p.logged_through]
        seen_weeks: set[tuple[int, int]] = set()
        for day in days:
            week = day.isocalendar()[:2]
            if week in seen_weeks or day.weekday() == SATURDAY:
                continue
            seen_weeks.add(week)
            check_ins.append(
                {
                    "placement_id": p.id,
                    "mentor_id": p.mentor_id,
                    "held_on": day,
                    "minutes": gen.rng.choice((2, 3, 5, 10)),
                    "mood": gen.rng.choice((3, 4, 4, 5, 5)),
                    "shared_notes": _shared_notes(gen, phrases),
                }
            )
        for title in gen.rng.sample(phrases["goals"], 2):
            goals.append(
                {
                    "placement_id": p.id,
                    "title": title,
                    "target_date": p.end,
                    "status": "met" if days and p.end <= days[-1] + timedelta(days=7) else "open",
                }
            )
        evaluations += _evaluations(gen, p, days)
    audit.bulk_insert(gen.s, CheckIn, check_ins)
    audit.bulk_insert(gen.s, Goal, goals)
    gen.count("check-ins", len(check_ins))
    _add_evaluations(gen, evaluations, framework)
    _add_incident(gen, placements)


def _shared_notes(gen: Generator, phrases: dict[str, list[str]]) -> str:
    """What went well, what needs help and the next step, a line each."""
    lines = (
        gen.rng.choice(phrases["went_well"]),
        gen.rng.choice(phrases["needs_help"]),
        gen.rng.choice(phrases["next_steps"]),
    )
    return "\n".join(line for line in lines if line)


def _evaluations(gen: Generator, p: PlacementPlan, days: list[date]) -> list[dict[str, Any]]:
    """The midpoint and final evaluations the logged days reach (within a week)."""
    out = []
    midpoint = p.start + (p.end - p.start) / 2
    for label, when in (("Midpoint", midpoint), ("Final", p.end)):
        if not days or days[-1] < when - timedelta(days=7):
            continue
        out.append(
            {
                "placement_id": p.id,
                "evaluator_id": p.mentor_id,
                "period_label": label,
                "kind": label.lower(),
                "evaluated_on": when,
                "overall": gen.rng.choice((3, 4, 4, 5)),
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


def _add_incident(gen: Generator, placements: list[PlacementPlan]) -> None:
    """One near miss, in the first placement of an intern old enough for the floor."""
    older = [p for p in placements if p.age >= gen.law.young_below]
    if not older:
        return
    p = older[0]
    when = datetime.combine(p.start + timedelta(days=23), time(16, 40))
    audit.bulk_insert(
        gen.s,
        Incident,
        [
            {
                "placement_id": p.id,
                "kind": "near_miss",
                "occurred_at_local": when,
                "description": (
                    "A pallet slid off the rack while the intern was walking the aisle; "
                    "nobody was hurt. Aisle marking repainted."
                ),
                "guardian_notified_on": when.date(),
                "school_notified_on": when.date(),
                "osha_recordable": False,
            }
        ],
    )
