"""Approving logged hours and closing a pay period.

A mentor approves the entries of their own interns (``APPROVE_HOURS``), but not an
entry they typed or imported themselves: HR approves those, so nobody signs off
their own hours. An approved entry is read-only to mentors; HR corrects it through
the one edit (``time_entries.save_time_entry`` with a written reason). HR
closes a workweek (weeks start on ``Employer.workweek_start``) once every entry in
it is approved: its entries are locked (``locked_at``) and a ``PayPeriod`` row
says who closed it and when; a locked entry changes no more.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from internhost.core import dto
from internhost.core.actor import Actor, Permission, Role, require
from internhost.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from internhost.core.models import Employer, Intern, PayPeriod, Placement, TimeEntry, UserAccount
from internhost.core.models.base import utcnow
from internhost.core.services.interns import visible_placements
from internhost.core.trail import audit
from internhost.core.validation import Checker, storable
from internhost.core.workweeks import week_start

#: At most this many unapproved entries are named when a close is refused.
NAMED = 8
REASON_MAX = 2000
#: A pay period list looks back this far.
LOOK_BACK = timedelta(weeks=26)


def _entries(s: Session, actor: Actor, entry_ids: Sequence[object]) -> list[TimeEntry]:
    """The entries named, as the actor may see them; NotFound names the first missing."""
    wanted: list[int] = [i for i in dict.fromkeys(entry_ids) if storable(i)]  # type: ignore[misc]
    stmt = visible_placements(
        select(TimeEntry).join(Placement, Placement.id == TimeEntry.placement_id), actor
    ).where(TimeEntry.id.in_(wanted))
    found = {e.id: e for e in s.scalars(stmt.options(selectinload(TimeEntry.breaks)))}
    missing = [i for i in entry_ids if not storable(i) or i not in found]
    if missing:
        raise NotFound(f"no time entry with id {missing[0]}")
    return [found[i] for i in wanted]


def may_approve(actor: Actor, entry: TimeEntry) -> bool:
    """Whether ``actor`` may approve ``entry`` now: not locked, not approved yet, and
    for a mentor not an entry they entered."""
    if not actor.can(Permission.APPROVE_HOURS) or entry.approved_at is not None:
        return False
    return not (actor.role is Role.MENTOR and entry.entered_by == actor.user_id)


def approve_entries(s: Session, actor: Actor, entry_ids: Sequence[int]) -> dto.ApprovalResult:
    """Approve logged entries; those approved already are left as they were."""
    require(actor, Permission.APPROVE_HOURS)
    entries = _entries(s, actor, entry_ids)
    if not entries:
        raise ValidationError("choose at least one time entry", "entry_ids")
    if actor.sees_only_own_interns:
        own = [e for e in entries if e.entered_by is not None and e.entered_by == actor.user_id]
        if own:
            raise PermissionDenied(
                f"a mentor may not approve hours they entered themselves (the entry of "
                f"{own[0].work_date.isoformat()}); HR approves those"
            )
    audit.label(s, "approve hours")
    now = utcnow()
    approved, already = [], []
    for entry in entries:
        if entry.approved_at is not None:
            already.append(entry.id)
            continue
        entry.approved_at, entry.approved_by = now, actor.user_id
        approved.append(entry.id)
    return dto.ApprovalResult(tuple(approved), tuple(already))


def _workweek_start(s: Session) -> str:
    return s.scalar(select(Employer.workweek_start)) or "sun"


def close_pay_period(s: Session, actor: Actor, start_date: date, today: date) -> dto.PayPeriodRow:
    """Close the workweek starting ``start_date``: lock its entries. Refused while any
    entry in it is unapproved (naming them), before the week has ended, or twice."""
    require(actor, Permission.EDIT_RECORDS)
    check = Checker()
    first = check.work_date("start_date", start_date, required=True)
    check.done()
    assert first is not None
    starts_on = _workweek_start(s)
    if week_start(first, starts_on) != first:
        raise ValidationError(
            f"{first.isoformat()} is a {first.strftime('%A')}; workweeks start on the "
            f"employer's first day of the week ({starts_on})",
            "start_date",
        )
    last = first + timedelta(days=6)
    if last >= today:
        raise ValidationError(
            f"the week ends on {last.isoformat()}; close it once it is over", "start_date"
        )
    if s.scalar(select(PayPeriod.id).where(PayPeriod.start_date == first)) is not None:
        raise Conflict(f"the week of {first.isoformat()} is closed already")
    in_week = TimeEntry.work_date.between(first, last)
    waiting = s.execute(
        select(TimeEntry.work_date, Intern.legal_first_name, Intern.legal_last_name)
        .join(Placement, Placement.id == TimeEntry.placement_id)
        .join(Intern, Intern.id == Placement.intern_id)
        .where(in_week, TimeEntry.approved_at.is_(None))
        .order_by(TimeEntry.work_date, Intern.sort_name, TimeEntry.id)
    ).all()
    if waiting:
        named = "; ".join(f"{a} {b} on {d.isoformat()}" for d, a, b in waiting[:NAMED])
        more = f" and {len(waiting) - NAMED} more" if len(waiting) > NAMED else ""
        raise Conflict(
            f"the week of {first.isoformat()} cannot be closed: {len(waiting)} "
            f"{'entry is' if len(waiting) == 1 else 'entries are'} not approved ({named}{more})"
        )
    audit.label(s, "close pay period")
    now = utcnow()
    ids = list(s.scalars(select(TimeEntry.id).where(in_week, TimeEntry.locked_at.is_(None))))
    audit.bulk_update(s, TimeEntry, [{"id": i, "locked_at": now} for i in ids])
    s.add(PayPeriod(start_date=first, end_date=last, closed_at=now, closed_by=actor.user_id))
    s.flush()
    total = s.scalar(select(func.count(TimeEntry.id)).where(in_week)) or 0
    return dto.PayPeriodRow(first, last, total, 0, now, actor.name)


def list_pay_periods(s: Session, actor: Actor, today: date) -> list[dto.PayPeriodRow]:
    """The workweeks of the last half year that hold entries, newest first: closed or
    open, with how many entries are still unapproved (HR closes them)."""
    require(actor, Permission.EDIT_RECORDS)
    starts_on = _workweek_start(s)
    since = week_start(today - LOOK_BACK, starts_on)
    counts: dict[date, list[int]] = {}
    rows = s.execute(
        select(TimeEntry.work_date, TimeEntry.approved_at.is_(None), func.count(TimeEntry.id))
        .where(TimeEntry.work_date >= since)
        .group_by(TimeEntry.work_date, TimeEntry.approved_at.is_(None))
    )
    for day, waiting, n in rows:
        tally = counts.setdefault(week_start(day, starts_on), [0, 0])
        tally[0] += n
        tally[1] += n if waiting else 0
    closed = {
        p.start_date: (p, name)
        for p, name in s.execute(
            select(PayPeriod, UserAccount.display_name)
            .outerjoin(UserAccount, UserAccount.id == PayPeriod.closed_by)
            .where(PayPeriod.start_date >= since)
        )
    }
    out = []
    for first in sorted(set(counts) | set(closed), reverse=True):
        entries, unapproved = counts.get(first, [0, 0])
        period, name = closed.get(first, (None, None))
        out.append(
            dto.PayPeriodRow(
                first,
                first + timedelta(days=6),
                entries,
                unapproved,
                period.closed_at if period else None,
                (name or None) if period else None,
            )
        )
    return out
