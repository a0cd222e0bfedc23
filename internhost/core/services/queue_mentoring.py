"""The queue's kinds from mentorship (issue 14): incidents still open, concerns HR has
not answered, check-ins and evaluations due, action items due. Registered like the
kinds of ``queue_kinds``; each reads stored rows only.

Incidents and concerns are "at once": they head the queue, undated, until HR records
what was done (an incident closed, a concern resolved)."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlalchemy import Select, case, func, null, select

from internhost.core.lead_times import lead_times
from internhost.core.models import ActionItem, CheckIn, Concern, Incident, Intern, Placement
from internhost.core.models.enums import CONCERN_LABELS
from internhost.core.services import cadences, evaluations
from internhost.core.services.interns import visible_placements
from internhost.core.services.queue_kinds import _more
from internhost.core.services.queue_registry import KINDS, Context, Found, Listed, records

T = TypeVar("T")


@KINDS.query(
    "incident",
    target="incidents",
    at_once=True,
    word=lambda f, ctx: "Open incident: " + _more(f, "incident", "incidents"),
)
def _incident(ctx: Context) -> Select[*tuple[Any, ...]]:
    """Open incidents, on any placement (an ended one's incident is still open work)."""
    stmt = (
        records(Incident.placement_id, null(), Incident.id, func.replace(Incident.kind, "_", " "))
        .join(Placement, Placement.id == Incident.placement_id)
        .join(Intern, Intern.id == Placement.intern_id)
        .where(Incident.status == "open", Intern.archived_at.is_(None))
    )
    return visible_placements(stmt, ctx.actor)


def _concern_words(f: Found, ctx: Context) -> str:
    return f"Concern raised: {f.label}" + (f" (and {f.n - 1} more)" if f.n > 1 else "")


@KINDS.query("concern", target="check_ins", at_once=True, word=_concern_words)
def _concern(ctx: Context) -> Select[*tuple[Any, ...]]:
    """Concerns HR has not resolved, on any placement; ``record_id`` is the check-in
    that raised it. Only the category is named: the details stay on the check-in."""
    label = case(CONCERN_LABELS, value=Concern.category, else_=Concern.category)
    stmt = (
        records(CheckIn.placement_id, null(), CheckIn.id, label)
        .join(CheckIn, CheckIn.id == Concern.check_in_id)
        .join(Placement, Placement.id == CheckIn.placement_id)
        .join(Intern, Intern.id == Placement.intern_id)
        .where(Concern.resolved_at.is_(None), Intern.archived_at.is_(None))
    )
    return visible_placements(stmt, ctx.actor)


@KINDS.query(
    "action_item",
    target="check_ins",
    word=lambda f, ctx: "Action item: " + _more(f, "item", "items"),
)
def _action_item(ctx: Context) -> Select[*tuple[Any, ...]]:
    """Action items of check-ins not done, due within the lead time or overdue, on
    current placements."""
    ahead = ctx.today + timedelta(days=lead_times().action_item_days)
    stmt = (
        records(CheckIn.placement_id, ActionItem.due_on, CheckIn.id, ActionItem.text)
        .join(CheckIn, CheckIn.id == ActionItem.check_in_id)
        .join(Placement, Placement.id == CheckIn.placement_id)
        .join(Intern, Intern.id == Placement.intern_id)
        .where(
            ActionItem.done_on.is_(None),
            ActionItem.due_on.is_not(None),
            ActionItem.due_on <= ahead,
            ctx.placement_is_current(),
        )
    )
    return visible_placements(stmt, ctx.actor)


def _per_intern(
    ctx: Context,
    due: Iterable[tuple[int, int, date, str, T]],
    label: Callable[[T], str],
) -> Listed:
    """``(intern_id, placement_id, due, sort_name, detail)`` records as the registry's
    items: one per intern (the earliest, and how many), the earliest first, then by
    name. Only the first ``ctx.limit`` are named and worded (``label(detail)``): at
    50,000 interns, thousands may be due."""
    first: dict[int, tuple[int, date, str, T]] = {}
    counts: dict[int, int] = {}
    for intern_id, placement_id, day, sort_name, detail in due:
        counts[intern_id] = counts.get(intern_id, 0) + 1
        if intern_id not in first or day < first[intern_id][1]:
            first[intern_id] = (placement_id, day, sort_name, detail)
    if not first:
        return Listed(0, [])
    top = heapq.nsmallest(ctx.limit, first.items(), key=lambda kv: (kv[1][1], kv[1][2], kv[0]))
    names = {
        row.id: row
        for row in ctx.s.execute(
            select(
                Intern.id, Intern.legal_first_name, Intern.preferred_name, Intern.legal_last_name
            ).where(Intern.id.in_([intern_id for intern_id, _ in top]))
        )
    }
    found = [
        Found(
            intern_id,
            ctx.name_of(n.legal_first_name, n.preferred_name, n.legal_last_name),
            sort_name,
            placement_id,
            day,
            None,
            label(detail),
            counts[intern_id],
        )
        for intern_id, (placement_id, day, sort_name, detail) in top
        if (n := names.get(intern_id)) is not None
    ]
    return Listed(len(first), found)


def _check_in_words(f: Found, ctx: Context) -> str:
    if f.due is not None and f.due < ctx.today:
        return "Check-in overdue" + (f" ({f.label})" if f.label else "")
    return "Check-in due" + (f" ({f.label})" if f.label else "")


@KINDS.custom("check_in_due", target="check_ins", word=_check_in_words)
def _check_in_due(ctx: Context) -> Listed:
    """Check-ins the placements' cadences make due today or overdue (a mentor's: their
    own interns), as ``cadences.due_dates`` computes them."""
    rows = cadences.due_dates(ctx.s, ctx.actor, ctx.today)
    return _per_intern(
        ctx,
        ((r.intern_id, r.placement_id, r.due_on or ctx.today, r.sort_name, r) for r in rows),
        lambda r: f"last {r.last_held_on:%b %d}" if r.last_held_on else "none yet",
    )


@KINDS.custom(
    "evaluation_due",
    target="progress",
    word=lambda f, ctx: f"{f.label} evaluation due" + (f" (and {f.n - 1} more)" if f.n > 1 else ""),
)
def _evaluation_due(ctx: Context) -> Listed:
    """Mid-point and final evaluations the placements' dates make due within a week or
    overdue, not yet written (``evaluations.due_evaluation_dates``)."""
    rows = evaluations.due_evaluation_dates(ctx.s, ctx.actor, ctx.today)
    return _per_intern(
        ctx,
        ((row.intern_id, row.id, due, row.sort_name, kind) for row, kind, due in rows),
        evaluations.KIND_LABELS.__getitem__,
    )
