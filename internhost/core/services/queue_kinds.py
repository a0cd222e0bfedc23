"""The kinds of work the queue lists today, one small query each (how to add one:
``queue_registry``). Each reads stored records and stored findings only; nothing
here re-checks hours.

Who gets what: HR (and the system) everything; a viewer everything but approvals
(they approve nothing); a mentor only their own interns (``visible_placements``),
and of those only their own work: the checklist items the packs give the mentor or
the supervisor, the plan steps owned by the mentor, entries they may approve (not
those they entered), findings on logged hours, and "rules change soon" dated by its
week's first day, never the birthday. Documents are HR's to renew: not a mentor's.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, Select, and_, cast, exists, func, null, or_, select
from sqlalchemy.orm import aliased

from internhost.core.actor import Permission
from internhost.core.lead_times import lead_times
from internhost.core.models import (
    ChecklistItem,
    Document,
    Finding,
    FindingOverride,
    Intern,
    Placement,
    PlanItem,
    TimeEntry,
)
from internhost.core.rules.ages import band_starts
from internhost.core.services.interns import (
    _latest_birth,
    next_rule_change,
    visible_interns,
    visible_placements,
)
from internhost.core.services.queue_registry import KINDS, Context, Found, Listed, records
from internhost.core.workweeks import week_start

#: The checklist owners whose items are a mentor's to do.
MENTOR_CHECKLIST_OWNERS = ("mentor", "supervisor")


def _more(f: Found, one: str, many: str) -> str:
    """``label`` and how many more of the same kind the intern has."""
    more = f" (and {f.n - 1} more {one if f.n == 2 else many})" if f.n > 1 else ""
    return f"{f.label}{more}"


def _of_placements(ctx: Context, stmt: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    """``stmt`` (joined to ``Placement`` and ``Intern``) kept to current placements
    of interns the actor may see."""
    return visible_placements(stmt.where(ctx.placement_is_current()), ctx.actor)


# -- checklist items and onboarding-plan steps


@KINDS.query(
    "checklist",
    target="checklist",
    word=lambda f, ctx: "Checklist: " + _more(f, "item", "items"),
)
def _checklist(ctx: Context) -> Select[*tuple[Any, ...]]:
    ahead = ctx.today + timedelta(days=lead_times().checklist_days)
    stmt = (
        records(
            ChecklistItem.placement_id,
            ChecklistItem.due_date,
            ChecklistItem.id,
            ChecklistItem.title,
        )
        .join(Placement, Placement.id == ChecklistItem.placement_id)
        .join(Intern, Intern.id == Placement.intern_id)
        .where(
            ChecklistItem.status == "open",
            ChecklistItem.retired_at.is_(None),
            ChecklistItem.due_date <= ahead,
        )
    )
    if ctx.actor.sees_only_own_interns:
        stmt = stmt.where(ChecklistItem.owner_role.in_(MENTOR_CHECKLIST_OWNERS))
    return _of_placements(ctx, stmt)


@KINDS.query(
    "plan_step",
    target="plan",
    word=lambda f, ctx: "Onboarding step: " + _more(f, "step", "steps"),
)
def _plan_step(ctx: Context) -> Select[*tuple[Any, ...]]:
    ahead = ctx.today + timedelta(days=lead_times().plan_step_days)
    stmt = (
        records(PlanItem.placement_id, PlanItem.due_date, PlanItem.id, PlanItem.title)
        .join(Placement, Placement.id == PlanItem.placement_id)
        .join(Intern, Intern.id == Placement.intern_id)
        .where(PlanItem.status == "open", PlanItem.due_date <= ahead)
    )
    if ctx.actor.sees_only_own_interns:
        stmt = stmt.where(
            PlanItem.owner_role == "mentor",
            or_(PlanItem.owner_staff_id.is_(None), PlanItem.owner_staff_id == ctx.actor.staff_id),
        )
    return _of_placements(ctx, stmt)


# -- documents that expire


def _document_words(f: Found, ctx: Context) -> str:
    assert f.due is not None
    verb = "expired" if f.due < ctx.today else "expires"
    return f"{f.label} {verb} {f.due.isoformat()}"


@KINDS.query("document_expiring", target="intern", word=_document_words)
def _document_expiring(ctx: Context) -> Select[*tuple[Any, ...]] | None:
    """The latest copy of each document type of an intern still placed, expired or
    expiring within its type's lead time (``lead_times.toml``)."""
    if ctx.actor.sees_only_own_interns:
        return None
    cutoffs, default = lead_times().document_cutoffs(ctx.today)
    expiring = or_(
        *(and_(Document.doc_type == t, Document.expires_on <= day) for t, day in cutoffs.items()),
        and_(Document.doc_type.not_in(list(cutoffs)), Document.expires_on <= default),
    )
    newer = aliased(Document, name="newer")
    replaced = exists().where(
        newer.doc_type == Document.doc_type,
        newer.id != Document.id,
        or_(
            and_(Document.intern_id.is_not(None), newer.intern_id == Document.intern_id),
            and_(Document.placement_id.is_not(None), newer.placement_id == Document.placement_id),
        ),
        or_(newer.expires_on.is_(None), newer.expires_on > Document.expires_on),
    )
    of = aliased(Placement, name="of_document")
    current = aliased(Placement, name="current")
    placed = exists().where(
        current.intern_id == Intern.id,
        current.archived_at.is_(None),
        or_(current.end_date.is_(None), current.end_date >= ctx.today),
    )
    label = func.coalesce(func.nullif(Document.title, ""), Document.doc_type)
    stmt = (
        select(
            Intern.id.label("intern_id"),
            Document.placement_id.label("placement_id"),
            Document.expires_on.label("due"),
            Document.id.label("record_id"),
            label.label("label"),
        )
        .select_from(Document)
        .outerjoin(of, of.id == Document.placement_id)
        .join(Intern, Intern.id == func.coalesce(Document.intern_id, of.intern_id))
        .where(Intern.archived_at.is_(None), expiring, placed, ~replaced)
    )
    return stmt


# -- logged hours: approvals and findings


def _entries_words(f: Found, ctx: Context) -> str:
    return f"{f.n} time {'entry' if f.n == 1 else 'entries'} to approve"


def _week_end(ctx: Context, day: date) -> date:
    return week_start(day, ctx.week_starts_on) + timedelta(days=6)


@KINDS.query("entries_to_approve", target="hours", word=_entries_words, dated=_week_end)
def _entries_to_approve(ctx: Context) -> Select[*tuple[Any, ...]] | None:
    """Unapproved entries the actor may approve (a mentor: not those they entered),
    due by the end of the oldest one's workweek (when its pay period can close)."""
    if not ctx.actor.can(Permission.APPROVE_HOURS):
        return None
    stmt = (
        records(TimeEntry.placement_id, TimeEntry.work_date, TimeEntry.id, null())
        .join(Placement, Placement.id == TimeEntry.placement_id)
        .join(Intern, Intern.id == Placement.intern_id)
        .where(TimeEntry.approved_at.is_(None), Intern.archived_at.is_(None))
    )
    if ctx.actor.sees_only_own_interns:
        stmt = stmt.where(
            or_(TimeEntry.entered_by.is_(None), TimeEntry.entered_by != ctx.actor.user_id)
        )
    return visible_placements(stmt, ctx.actor)


def _findings_words(f: Found, ctx: Context) -> str:
    return f"{f.n} open finding{'' if f.n == 1 else 's'} on logged hours"


@KINDS.query("finding", target="hours", word=_findings_words)
def _finding(ctx: Context) -> Select[*tuple[Any, ...]]:
    """Stored, current findings on logged hours nobody has decided on (open, or their
    decision revoked); ``record_id`` is the entry to open."""
    decision = aliased(FindingOverride, name="decision")
    latest = (
        select(func.max(FindingOverride.id))
        .where(FindingOverride.identity == Finding.identity)
        .correlate(Finding)
        .scalar_subquery()
    )
    decided = exists().where(decision.id == latest, decision.revoked_at.is_(None))
    stmt = (
        select(
            Finding.intern_id.label("intern_id"),
            Finding.placement_id.label("placement_id"),
            cast(null(), Date).label("due"),
            Finding.time_entry_id.label("record_id"),
            null().label("label"),
        )
        .join(Intern, Intern.id == Finding.intern_id)
        .where(
            Finding.time_entry_id.is_not(None),
            Finding.stale.is_(False),
            Intern.archived_at.is_(None),
            ~decided,
        )
    )
    return visible_interns(stmt, ctx.actor)


# -- birthdays that change the rules


def _rule_change_words(f: Found, ctx: Context) -> str:
    return f.label or "Rules change soon"


@KINDS.custom("rule_change", target="intern", word=_rule_change_words)
def _rule_change(ctx: Context) -> Listed:
    """Interns still placed who turn an age that starts a band of the rule packs
    within the lead time. For a reader who may not see birth dates, neither the age
    nor the day: the item is dated by the first day of its workweek."""
    horizon = ctx.today + timedelta(days=lead_times().rule_change_days)
    # A loose SQL window per age (a day's slack for leap days); the exact test is
    # next_rule_change's, as on the intern's page.
    windows = [
        Intern.birth_date.between(
            _latest_birth(ctx.today, age) - timedelta(days=1),
            _latest_birth(horizon, age) + timedelta(days=1),
        )
        for age in band_starts()
    ]
    placement = (
        select(Placement.id)
        .where(Placement.intern_id == Intern.id, ctx.placement_is_current())
        .order_by(Placement.start_date.desc(), Placement.id.desc())
        .limit(1)
        .correlate(Intern)
        .scalar_subquery()
    )
    rows = ctx.s.execute(
        visible_placements(
            select(
                Intern.id,
                Intern.legal_first_name,
                Intern.preferred_name,
                Intern.legal_last_name,
                Intern.sort_name,
                Intern.birth_date,
                Placement.id.label("placement_id"),
            )
            .join(Placement, Placement.id == placement)
            .where(or_(*windows)),
            ctx.actor,
        )
    )
    see_dob = ctx.actor.can(Permission.SEE_BIRTH_DATES)
    found: list[Found] = []
    for row in rows:
        change = next_rule_change(row.birth_date, ctx.today)
        if change is None or change[1] > horizon:
            continue
        age, day = change
        if see_dob:
            due, label = day, f"Turns {age} on {day.isoformat()}: the rules change"
        else:
            due, label = week_start(day, ctx.week_starts_on), None
        name = ctx.name_of(row.legal_first_name, row.preferred_name, row.legal_last_name)
        found.append(Found(row.id, name, row.sort_name, row.placement_id, due, None, label, 1))
    found.sort(key=lambda f: (f.due, f.sort_name, f.intern_id))
    return Listed(len(found), found[: ctx.limit])
