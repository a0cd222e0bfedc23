"""The legal checklist a placement requires, from the checklist pack alone.

Recomputed whenever facts change: an item applies when its conditions hold on
some day of the placement still to come, so a 16th birthday that has passed
retires the certificate item, and a later start date can add one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from typing import Any

from internhost.core.dates import age_on
from internhost.core.rules.packs import load_pack, load_rules


@dataclass(frozen=True)
class PlacementFacts:
    birth_date: date
    start: date
    end: date | None
    state: str | None
    program: str
    paid: bool


@dataclass(frozen=True)
class Requirement:
    key: str
    title: str
    evidence: str
    owner: str
    due: date
    citation: str
    verification: str
    pack_version: str
    defaults: str

    def as_row(self, placement_id: int) -> dict[str, object]:
        """A new ChecklistItem row (for ``audit.bulk_insert``): open, due as the pack says."""
        return {
            "placement_id": placement_id,
            "requirement_key": self.key,
            "title": self.title,
            "citation": self.citation,
            "verification": self.verification,
            "evidence_needed": self.evidence,
            "owner_role": self.owner,
            "due_date": self.due,
            "rule_pack_version": self.pack_version,
            "status": "open",
        }


@cache
def _items() -> tuple[tuple[dict[str, Any], ...], str, str]:
    pack = load_pack("checklist")
    raw = pack.raw
    return tuple(raw["items"]), pack.version, raw["pack"].get("defaults", "")


def _days_ahead(facts: PlacementFacts, today: date) -> tuple[date, date]:
    """The first and last of the placement's remaining days."""
    first = max(facts.start, today)
    last = facts.end if facts.end and facts.end >= first else first
    return first, last


def exempted(
    rule_id: str | None, state: str | None, program: str, on: tuple[tuple[int, date], ...]
) -> bool:
    """True when the named exemption rule (e.g. 206/20(e)) covers every remaining
    day of the placement, given as (age, day) on its first and last: then the
    Act's items are not required."""
    if rule_id is None:
        return False
    rules = load_rules(state)
    rule = next((r for r in rules.rules() if r.id == rule_id), None)
    if rule is None:
        return False
    return all(rule.applies(age, day, program) for age, day in on)


def required(facts: PlacementFacts, today: date) -> list[Requirement]:
    """The checklist items the placement requires from ``today`` on."""
    return list(_required(*_key(facts, today)))


def required_columns(facts: PlacementFacts, today: date) -> dict[str, tuple[Any, ...]]:
    """``required`` as the columns of its ``as_row`` rows but ``placement_id``, one
    value per requirement (empty when none is required): for bulk inserts of
    thousands of placements' checklists, computed once per distinct facts."""
    return dict(_required_columns(*_key(facts, today)))


def _key(facts: PlacementFacts, today: date) -> tuple[Any, ...]:
    first, last = _days_ahead(facts, today)
    youngest, oldest = age_on(facts.birth_date, first), age_on(facts.birth_date, last)
    return youngest, oldest, first, last, facts.start, facts.state, facts.program, facts.paid


@lru_cache(maxsize=4096)
def _required_columns(*key: Any) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    rows = [r.as_row(0) for r in _required(*key)]
    if not rows:
        return ()
    return tuple((k, tuple(row[k] for row in rows)) for k in rows[0] if k != "placement_id")


@lru_cache(maxsize=4096)
def _required(
    youngest: int,
    oldest: int,
    first: date,
    last: date,
    start: date,
    state: str | None,
    program: str,
    paid: bool,
) -> tuple[Requirement, ...]:
    """The requirements for everything of a placement they depend on: the intern's
    ages on its first and last remaining day (the birth date only through them),
    those days, the start date (due dates), the state, the program and pay. A
    roster's placements share these, so thousands cost a few computations."""
    items, version, defaults = _items()
    out = []
    for item in items:
        low, high = item["ages"]
        if oldest < low or youngest > high:
            continue
        if "states" in item and state not in item["states"]:
            continue
        if "programs" in item and program not in item["programs"]:
            continue
        if "paid" in item and item["paid"] != paid:
            continue
        if exempted(item.get("exempt"), state, program, ((youngest, first), (oldest, last))):
            continue
        out.append(
            Requirement(
                key=item["key"],
                title=item["title"],
                evidence=item["evidence"],
                owner=item["owner"],
                due=start + timedelta(days=item["due_days"]),
                citation=item["citation"],
                verification=item["verification"],
                pack_version=version,
                defaults=defaults,
            )
        )
    return tuple(out)
