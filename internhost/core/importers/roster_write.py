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

from sqlalchemy import select
from sqlalchemy.orm import Session

from internhost.core.actor import Actor
from internhost.core.importers.result import Issue
from internhost.core.importers.roster_rows import Change, RowPlan
from internhost.core.models import ChecklistItem, Intern, InternContact, Placement, PlanItem
from internhost.core.rules.checklist import PlacementFacts, required_columns
from internhost.core.services import compliance, placements
from internhost.core.services.plans import default_template, plan_columns
from internhost.core.trail import audit


def write_plans(s: Session, actor: Actor, plans: Sequence[RowPlan], today: date) -> list[Issue]:
    """Insert the new interns and apply the changes to stored ones, then check each
    placement written like a saved one: the warnings say which became drafts, and why."""
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
    written: list[tuple[int, int, Change | None]] = [
        (p.line, pid, None) for pid, (p, _) in zip(placement_ids, fresh, strict=True)
    ]
    written += [(p.line, c.id, c) for p, c in placed if c.id]
    return _check_placements(s, actor, written, today)


def _check_placements(
    s: Session,
    actor: Actor,
    written: Sequence[tuple[int, int, Change | None]],
    today: date,
) -> list[Issue]:
    """Re-check the interns of the placements written (line, id, the change to a stored
    one) and give each placement the status its findings allow: a row whose placement
    its findings block is imported as a draft, with a warning, not refused."""
    if not written:
        return []
    ids = [pid for _, pid, _ in written]
    stored = {
        p.id: p
        for p in s.scalars(
            select(Placement).where(Placement.id.in_(ids)).execution_options(populate_existing=True)
        )
    }
    operation = s.info.get("operation")
    compliance.check_interns(s, actor, sorted({p.intern_id for p in stored.values()}), today)
    if operation:
        audit.label(s, operation)  # the re-checks' changes belong to the import
    before = {pid: stored[pid].status for _, pid, _ in written}
    placements.settle_statuses(
        s,
        [
            (stored[pid], change is not None and stored[pid].status == "active")
            for _, pid, change in written
        ],
    )
    warnings = []
    for line, pid, _ in written:
        placement = stored[pid]
        if placement.status == "draft" and before[pid] != "draft":
            warnings.append(
                Issue(line, "placement_start", f"imported as a draft. {placement.status_note}")
            )
    return warnings


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
