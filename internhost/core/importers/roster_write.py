"""Writing the checked roster rows: a handful of audited bulk statements.

Rows are written together, not one by one, so 10,000 interns cost one executemany
per table (interns, contacts, placements, checklist and plan items) instead of
tens of thousands of ORM flushes. ``audit.bulk_insert``/``bulk_update`` record
one audit event per intern aggregate (the intern, their contacts and
placements), and one per new placement's checklist and plan, in the caller's
transaction: the import commits whole or not at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from internhost.core.actor import Actor
from internhost.core.importers.roster_rows import RowPlan
from internhost.core.models import ChecklistItem, Intern, InternContact, Placement, PlanItem
from internhost.core.rules.checklist import PlacementFacts, required_columns
from internhost.core.services.plans import default_template, plan_columns
from internhost.core.trail import audit


def write_plans(s: Session, actor: Actor, plans: Sequence[RowPlan], today: date) -> None:
    """Insert the new interns and apply the changes to stored ones."""
    new = [p for p in plans if p.intern_id is None]
    new_ids = audit.bulk_insert(s, Intern, [p.intern for p in new])
    owner = dict(zip(map(id, new), new_ids, strict=True))
    intern_of = {id(p): p.intern_id or owner[id(p)] for p in plans}
    audit.bulk_update(
        s, Intern, [{"id": p.intern_id, **p.intern} for p in plans if p.intern_id and p.intern]
    )
    contacts = [(intern_of[id(p)], c) for p in plans for c in p.contacts]
    audit.bulk_insert(
        s, InternContact, [{"intern_id": i, **c.values} for i, c in contacts if c.id is None]
    )
    audit.bulk_update(
        s, InternContact, [{"id": c.id, **c.values} for _, c in contacts if c.id is not None]
    )
    placed = [(p, p.placement) for p in plans if p.placement is not None]
    audit.bulk_update(s, Placement, [{"id": c.id, **c.values} for _, c in placed if c.id])
    fresh = [(p, c) for p, c in placed if c.id is None]
    placement_ids = audit.bulk_insert(
        s, Placement, [{"intern_id": intern_of[id(p)], **c.values} for p, c in fresh]
    )
    planned = [(pid, _new_facts(p)) for pid, (p, _) in zip(placement_ids, fresh, strict=True)]
    _plan_new_placements(s, actor, planned, today)


def _new_facts(plan: RowPlan) -> PlacementFacts:
    """The facts a row's new placement's checklist is computed from (``RowChecker``
    gives every new placement its facts)."""
    if plan.facts is None:
        raise ValueError(f"line {plan.line}: a new placement without its checklist's facts")
    return plan.facts


def _plan_new_placements(
    s: Session, actor: Actor, placements: Sequence[tuple[int, PlacementFacts]], today: date
) -> None:
    """Each new placement gets its legal checklist and the default onboarding plan,
    built column by column: a placement adds a few list extensions, not a dict per
    item (a 10,000-row roster makes some 270,000 items)."""
    if not placements:
        return
    items = default_template(s, actor).items
    checklist: defaultdict[str, list[Any]] = defaultdict(list)
    for placement_id, facts in placements:
        columns = required_columns(facts, today)
        if columns:
            checklist["placement_id"] += [placement_id] * len(columns["requirement_key"])
            for name, values in columns.items():
                checklist[name] += values
    if checklist:
        audit.bulk_insert_columns(s, ChecklistItem, checklist)
    plan = plan_columns(items, [(pid, facts.start) for pid, facts in placements])
    audit.bulk_insert_columns(s, PlanItem, plan)
