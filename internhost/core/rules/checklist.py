"""The legal checklist a placement requires, from the checklist pack alone.

Recomputed whenever facts change: an item applies when its conditions hold on
some day of the placement still to come, so a 16th birthday that has passed
retires the certificate item, and a later start date can add one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
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


def _ages_ahead(facts: PlacementFacts, today: date) -> tuple[int, int]:
    """Youngest and oldest age on the placement's remaining days."""
    first = max(facts.start, today)
    last = facts.end if facts.end and facts.end >= first else first
    return age_on(facts.birth_date, first), age_on(facts.birth_date, last)


def _exempt(rule_id: str | None, facts: PlacementFacts, today: date) -> bool:
    """True when the named exemption rule (e.g. 206/20(e)) covers every remaining
    day of the placement: then the Act's items are not required."""
    if rule_id is None:
        return False
    rules = load_rules(facts.state)
    rule = next((r for r in rules.rules() if r.id == rule_id), None)
    if rule is None:
        return False
    first = max(facts.start, today)
    last = facts.end if facts.end and facts.end >= first else first
    return all(
        rule.applies(age_on(facts.birth_date, day), day, facts.program) for day in (first, last)
    )


def required(facts: PlacementFacts, today: date) -> list[Requirement]:
    items, version, defaults = _items()
    youngest, oldest = _ages_ahead(facts, today)
    out = []
    for item in items:
        low, high = item["ages"]
        if oldest < low or youngest > high:
            continue
        if "states" in item and facts.state not in item["states"]:
            continue
        if "programs" in item and facts.program not in item["programs"]:
            continue
        if "paid" in item and item["paid"] != facts.paid:
            continue
        if _exempt(item.get("exempt"), facts, today):
            continue
        out.append(
            Requirement(
                key=item["key"],
                title=item["title"],
                evidence=item["evidence"],
                owner=item["owner"],
                due=facts.start + timedelta(days=item["due_days"]),
                citation=item["citation"],
                verification=item["verification"],
                pack_version=version,
                defaults=defaults,
            )
        )
    return out
