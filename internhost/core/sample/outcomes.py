"""How two of the sample's finished placements ended: one ended early (its reason and
the notice of concerns sent to the school) and one completed (the intern's exit
reflection, the mentor's closing notes, next steps and the Career Development
Experience answer, and the mentor's reference letter as saved, so the letter's
editor and the ``reference-letter`` form show a stored one).

Both are placements of the first term whose intern has no second (a senior who
graduated) and who is none of the spec's pinned interns, so the facts the tests pin
on those stay as written. The early end is chosen before the placements are written
(``choose_endings``): the placement's end moves to its last day, so no shift is
planned or logged after it; the outcomes are written with the mentorship records.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from internhost.core.models import Intern, Placement, PlacementOutcome
from internhost.core.sample.generator import Generator
from internhost.core.trail import audit

if TYPE_CHECKING:  # placements calls choose_endings
    from internhost.core.sample.people import InternPlan
    from internhost.core.sample.placements import PlacementPlan

#: The notice of concerns reaches the school this many days after the last day.
NOTICE_AFTER_DAYS = 1


def choose_endings(gen: Generator, interns: list[InternPlan], plans: list[PlacementPlan]) -> None:
    """Mark the placement that ends early and the one completed (``plan.ending``),
    before any is written: the early one's end moves up and both get their status."""
    spec = gen.spec["outcomes"]
    first_term = gen.spec["terms"][0]["start"]
    placed_later = {p.intern_id for p in plans if p.start != first_term}
    pinned = {i.row["id"] for i in interns[: len(gen.spec["fixed_interns"])]}
    finished = [
        p
        for p in plans
        if p.start == first_term
        and p.intern_id not in placed_later
        and p.intern_id not in pinned
        and p.program == "employment"
        and p.age >= gen.law.young_below
    ]
    if len(finished) < 2:
        return
    own = [p for p in finished if p.mentor_id == gen.accounts.mentor_staff]
    completed = (own or finished)[0]
    terminated = next(p for p in reversed(finished) if p is not completed)
    completed.ending = "completed"
    completed.row["status"] = "completed"
    terminated.ending = "terminated"
    terminated.row["status"] = "terminated"
    early = terminated.start + timedelta(weeks=spec["terminated_after_weeks"])
    terminated.row["end_date"] = min(early, terminated.end)


def add_outcomes(gen: Generator, plans: list[PlacementPlan]) -> None:
    """The outcomes of the placements ``choose_endings`` marked."""
    spec = gen.spec["outcomes"]
    rows: list[dict[str, Any]] = []
    for p in plans:
        if p.ending == "terminated":
            rows.append(
                {
                    "placement_id": p.id,
                    "kind": "terminated",
                    "ended_on": p.end,
                    "termination_reason": spec["termination_reason"],
                    "concerns_notice_sent_on": p.end + timedelta(days=NOTICE_AFTER_DAYS),
                }
            )
        elif p.ending == "completed":
            rows.append(
                {
                    "placement_id": p.id,
                    "kind": "completed",
                    "ended_on": p.end,
                    "exit_reflection": spec["completed_reflection"],
                    "mentor_notes": spec["completed_mentor_notes"],
                    "next_steps": list(spec["next_steps"]),
                    "counts_toward_cde": True,
                }
            )
    audit.bulk_insert(gen.s, PlacementOutcome, rows)
    gen.count("placement outcomes", len(rows))
    audit.bulk_update(
        gen.s,
        Placement,
        [
            {"id": p.id, "reference_letter": _letter(gen, p)}
            for p in plans
            if p.ending == "completed"
        ],
    )


def _letter(gen: Generator, p: PlacementPlan) -> str:
    """The spec's letter, filled in with the placement's intern, site and dates."""
    first, preferred, last = gen.s.execute(
        select(Intern.legal_first_name, Intern.preferred_name, Intern.legal_last_name).where(
            Intern.id == p.intern_id
        )
    ).one()
    return gen.spec["outcomes"]["completed_reference_letter"].format(
        intern=f"{preferred or first} {last}",
        site=p.site,
        start=f"{p.start:%B} {p.start.day}, {p.start.year}",
        end=f"{p.end:%B} {p.end.day}, {p.end.year}",
    )
