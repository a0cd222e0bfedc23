"""The sample's check-ins, as a mentor logs them in two minutes: a weekly one with
its topics, the notes shared with the school and, now and then, the intern's own
reflection; on the demo mentor's interns also internal notes by ``mentor`` and by
``hr`` (one check-in carries both), action items, one open concern, and the cadence
their check-ins are due in for the term in progress.

Each internal note is a sentence of the spec's used once: the tests check that no
internal note appears in anything the school or another reader sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from internhost.core.models import ActionItem, CheckIn, CheckInCadence, Concern, Note
from internhost.core.sample.generator import Generator
from internhost.core.sample.hours import SATURDAY
from internhost.core.sample.placements import PlacementPlan
from internhost.core.services.check_in_topics import default_topics
from internhost.core.trail import audit

#: An action item agreed at a check-in is due this many days later.
ACTION_DUE_DAYS = 7


@dataclass(frozen=True)
class Held:
    """A check-in as written: its id and what its notes and items attach to."""

    id: int
    placement: PlacementPlan
    held_on: date


def add_check_ins(
    gen: Generator, placements: list[PlacementPlan], days: dict[int, list[date]]
) -> None:
    """A check-in on the first weekday each week a placement logged hours (``days``:
    the days logged, by placement id), then what the demo mentor's carry."""
    spec = gen.spec["mentoring"]
    rows: list[dict[str, Any]] = []
    plans: list[tuple[PlacementPlan, date]] = []
    for p in placements:
        seen_weeks: set[tuple[int, int]] = set()
        for day in days.get(p.id, []):
            week = day.isocalendar()[:2]
            if week in seen_weeks or day.weekday() == SATURDAY:
                continue
            seen_weeks.add(week)
            rows.append(_check_in(gen, spec, p, day, len(rows)))
            plans.append((p, day))
    ids = audit.bulk_insert(gen.s, CheckIn, rows)
    gen.count("check-ins", len(ids))
    own = [
        Held(i, p, day)
        for i, (p, day) in zip(ids, plans, strict=True)
        if p.mentor_id == gen.accounts.mentor_staff
    ]
    own.sort(key=lambda h: (h.held_on, h.id), reverse=True)  # the latest first
    _add_internal_notes(gen, spec, own)
    _add_actions(gen, spec, own)
    _add_concern(gen, spec, own)
    _add_cadences(gen, spec, placements)


def _check_in(
    gen: Generator, spec: dict[str, Any], p: PlacementPlan, day: date, n: int
) -> dict[str, Any]:
    phrases = gen.spec["phrases"]
    names = [t.name for t in default_topics()]  # as the two-minute check-in offers them
    topics = gen.rng.sample(names, gen.rng.randint(1, 3))
    shared = (
        gen.rng.choice(phrases["went_well"]),
        gen.rng.choice(phrases["needs_help"]),
        gen.rng.choice(phrases["next_steps"]),
    )
    own = p.mentor_id == gen.accounts.mentor_staff
    return {
        "placement_id": p.id,
        "mentor_id": p.mentor_id,
        # The demo mentor logs their own; the other mentors have no account.
        "author_user_id": gen.accounts.mentor if own else None,
        "held_on": day,
        "minutes": gen.rng.choice((2, 3, 5, 10)),
        "mode": "remote" if n % spec["remote_every"] == spec["remote_every"] - 1 else "in_person",
        "topics": [t for t in names if t in topics],
        "mood": gen.rng.choice((3, 4, 4, 5, 5)),
        "shared_notes": "\n".join(line for line in shared if line),
        "reflection": gen.rng.choice(spec["reflections"]),
    }


def _add_internal_notes(gen: Generator, spec: dict[str, Any], own: list[Held]) -> None:
    """The mentor's notes on their latest check-ins, one each; HR's from the latest
    on, so the latest carries both."""
    rows = [
        _note(held, gen.accounts.mentor, body)
        for held, body in zip(own, spec["internal_notes_mentor"], strict=False)
    ] + [
        _note(held, gen.accounts.hr, body)
        for held, body in zip(own, spec["internal_notes_hr"], strict=False)
    ]
    audit.bulk_insert(gen.s, Note, rows)
    gen.count("internal notes", len(rows))


def _note(held: Held, author: int, body: str) -> dict[str, Any]:
    return {
        "intern_id": held.placement.intern_id,
        "placement_id": held.placement.id,
        "check_in_id": held.id,
        "author_user_id": author,
        "visibility": "internal",
        "body": body,
    }


def _add_actions(gen: Generator, spec: dict[str, Any], own: list[Held]) -> None:
    """An action item on each of the latest check-ins; the oldest of them done."""
    chosen = list(zip(own, spec["actions"], strict=False))
    rows = [
        {
            "check_in_id": held.id,
            "text": text,
            "due_on": held.held_on + timedelta(days=ACTION_DUE_DAYS),
            "done_on": held.held_on + timedelta(days=2) if n == len(chosen) - 1 else None,
        }
        for n, (held, text) in enumerate(chosen)
    ]
    audit.bulk_insert(gen.s, ActionItem, rows)


def _add_concern(gen: Generator, spec: dict[str, Any], own: list[Held]) -> None:
    """One open concern, raised at the demo mentor's latest check-in."""
    if own:
        audit.bulk_insert(gen.s, Concern, [{"check_in_id": own[0].id, **spec["concern"]}])


def _add_cadences(gen: Generator, spec: dict[str, Any], placements: list[PlacementPlan]) -> None:
    """The demo mentor's placements of the term in progress: weekly, the first on
    the spec's weekdays instead."""
    current = [
        p
        for p in placements
        if p.mentor_id == gen.accounts.mentor_staff and p.start <= gen.today <= p.end
    ]
    rows = [
        {"placement_id": p.id, "every_days": None, "weekdays": spec["cadence_weekdays"]}
        if n == 0
        else {"placement_id": p.id, "every_days": spec["cadence_every_days"], "weekdays": ""}
        for n, p in enumerate(current)
    ]
    audit.bulk_insert(gen.s, CheckInCadence, rows)
