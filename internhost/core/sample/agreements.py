"""The terms of the sample's written student-learner agreement (29 CFR 570.50(c),
LEGAL.md §1.6), so its editor and the ``student-learner-agreement`` form show a
recorded one: for the first student-learner placement that has begun on the load
day (the demo mentor's, if they mentor one), from the spec's ``[student_learner]``.

One agreement only: the other student-learner placements keep theirs to be
recorded, as HR would find them, and the sample stays quick to build.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from internhost.core.models import School, StudentLearnerAgreement
from internhost.core.sample.generator import Generator
from internhost.core.trail import audit

if TYPE_CHECKING:  # placements calls add_student_learner_terms
    from internhost.core.sample.placements import PlacementPlan

#: The text fields of the spec's ``[student_learner]`` copied as they are.
_TERMS = (
    "vocational_program",
    "educational_authority",
    "school_safety_instruction",
    "employer_safety_training",
    "work_processes",
)


def add_student_learner_terms(gen: Generator, plans: list[PlacementPlan]) -> None:
    """Record the agreement of one begun student-learner placement, signed by HR's
    contact and the school's coordinator before its first day, both copies on file."""
    begun = [p for p in plans if p.program == "student_learner" and p.start <= gen.today]
    if not begun:
        return
    own = [p for p in begun if p.mentor_id == gen.accounts.mentor_staff]
    p = (own or begun)[0]
    spec = gen.spec["student_learner"]
    signed = min(p.start - timedelta(days=spec["signed_days_before_start"]), gen.today)
    coordinator = gen.s.scalar(
        select(School.coordinator_name).where(School.id == p.row["school_id"])
    )
    row = {name: spec[name] for name in _TERMS} | {
        "placement_id": p.id,
        "work_incidental": True,
        "intermittent_short_periods": True,
        "supervisor_name": gen.staff_name(p.mentor_id),
        "employer_signed_by": gen.spec["employer"]["hr_contact_name"],
        "employer_signed_on": signed,
        "school_signed_by": coordinator or "",
        "school_signed_on": signed,
        "school_copy_on_file": True,
        "employer_copy_on_file": True,
    }
    audit.bulk_insert(gen.s, StudentLearnerAgreement, [row])
    gen.count("student-learner agreements", 1)
