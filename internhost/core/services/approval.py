"""Approving logged hours, correcting an approved entry, closing a pay period.

A mentor approves the entries of their own interns (``APPROVE_HOURS``), but not an
entry they typed or imported themselves: HR approves those, so nobody signs off
their own hours. An approved entry is read-only to mentors; HR corrects it with a
written reason, kept in the audit trail beside the entry's before and after. HR
closes a workweek (weeks start on ``Employer.workweek_start``) once every entry in
it is approved: its entries are locked (``locked_at``) and a ``PayPeriod`` row
says who closed it and when; a locked entry changes no more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from internhost.core import dto
from internhost.core.actor import Actor, Permission, Role, require
from internhost.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from internhost.core.models import Employer, Intern, PayPeriod, Placement, TimeEntry, UserAccount
from internhost.core.models.base import utcnow
from internhost.core.models.worktime import WorkBreak
from internhost.core.services.compliance import check_intern
from internhost.core.services.interns import visible_placements
from internhost.core.trail import audit
from internhost.core.validation import Checker, storable
from internhost.core.workweeks import span_minutes, week_start, worked_minutes

#: At most this many unapproved entries are named when a close is refused.
NAMED = 8
REASON_MAX = 2000
#: A pay period list looks back this far.
LOOK_BACK = timedelta(weeks=26)


@dataclass(frozen=True)
class EntryCorrection:
    """HR's correction of a logged entry: its times (local, on its work date or, for
    ``end``, the day after) and unpaid breaks, and why."""

    start: datetime
    end: datetime
    reason: str
    breaks: tuple[tuple[datetime, datetime], ...] = ()


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


def _may_approve(actor: Actor, entry: TimeEntry) -> bool:
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


def correct_entry(
    s: Session, actor: Actor, entry_id: int, data: EntryCorrection, today: date
) -> dto.TimeEntryRow:
    """HR corrects a logged entry (approved or not) with a reason: the audit trail
    keeps the times before and after and the reason; the intern is re-checked."""
    require(actor, Permission.EDIT_RECORDS)
    (entry,) = _entries(s, actor, [entry_id])
    if entry.locked_at is not None:
        raise Conflict(
            f"the entry of {entry.work_date.isoformat()} is in a closed pay period; "
            "closed weeks are not changed"
        )
    check = Checker()
    reason = check.text("reason", data.reason, required=True, max_len=REASON_MAX, multiline=True)
    start = _moment(check, "start", data.start)
    end = _moment(check, "end", data.end)
    if start is not None and start.date() != entry.work_date:
        check.fail("start", f"is not on the entry's work date, {entry.work_date.isoformat()}")
    if start is not None and end is not None:
        if end <= start:
            check.fail("end", "is not after the start")
        elif end - start > timedelta(hours=24):
            check.fail("end", "is more than 24 hours after the start")
    breaks = _breaks(check, data.breaks, start, end)
    check.done()
    assert start is not None and end is not None
    _refuse_overlap(s, entry, start, end)
    before = _times(
        entry.start_local, entry.end_local, [(b.start_local, b.end_local) for b in entry.breaks]
    )
    after = _times(start, end, breaks)
    if before == after:
        raise ValidationError("changes nothing: the times are as recorded", "start")
    audit.label(s, "correct logged hours")
    entry.start_local, entry.end_local = start, end
    entry.breaks = [WorkBreak(start_local=b0, end_local=b1) for b0, b1 in breaks]
    if entry.approved_at is not None:  # HR's correction is HR's approval of the result
        entry.approved_at, entry.approved_by = utcnow(), actor.user_id
    audit.add_event(
        s,
        ("time_entries", entry.id),
        "update",
        {f"correction:{entry.id}": {"before": before, "after": after, "reason": reason}},
    )
    s.flush()
    intern_id = s.scalar(select(Placement.intern_id).where(Placement.id == entry.placement_id))
    assert intern_id is not None
    check_intern(s, actor, intern_id, today)
    audit.label(s, "correct logged hours")  # the re-check labelled the unit of work
    approvers = {actor.user_id: actor.name} if actor.user_id else {}
    return _entry_row(actor, entry, intern_id, approvers)


def _moment(check: Checker, field: str, value: object) -> datetime | None:
    if not isinstance(value, datetime):
        check.fail(field, "is not a date and time")
        return None
    if value.tzinfo is not None:
        check.fail(field, "is a local wall-clock time, without a time zone")
        return None
    if check.work_date(field, value.date(), required=True) is None:
        return None
    return value.replace(second=0, microsecond=0)


def _breaks(
    check: Checker,
    raw: object,
    start: datetime | None,
    end: datetime | None,
) -> list[tuple[datetime, datetime]]:
    if not isinstance(raw, (tuple, list)):
        check.fail("breaks", "is not a list of breaks")
        return []
    out: list[tuple[datetime, datetime]] = []
    for index, item in enumerate(raw):
        field = f"breaks[{index}]"
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            check.fail(field, "is not a start and an end")
            continue
        b0, b1 = _moment(check, field, item[0]), _moment(check, field, item[1])
        if b0 is None or b1 is None:
            continue
        if b1 <= b0:
            check.fail(field, "ends before it starts")
        elif start is not None and end is not None and not start <= b0 < b1 <= end:
            check.fail(field, "is not inside the entry's times")
        elif out and b0 < out[-1][1]:
            check.fail(field, "overlaps the break before it (list breaks in order)")
        else:
            out.append((b0, b1))
    return out


def _refuse_overlap(s: Session, entry: TimeEntry, start: datetime, end: datetime) -> None:
    intern_id = select(Placement.intern_id).where(Placement.id == entry.placement_id)
    clash = s.scalar(
        select(TimeEntry.work_date)
        .join(Placement, Placement.id == TimeEntry.placement_id)
        .where(
            Placement.intern_id == intern_id.scalar_subquery(),
            TimeEntry.id != entry.id,
            TimeEntry.start_local < end,
            TimeEntry.end_local > start,
        )
        .limit(1)
    )
    if clash is not None:
        raise ValidationError(
            f"overlaps another entry of the same intern (on {clash.isoformat()})", "start"
        )


def _times(
    start: datetime, end: datetime, breaks: Sequence[tuple[datetime, datetime]]
) -> dict[str, object]:
    return {
        "start": start.isoformat(timespec="minutes"),
        "end": end.isoformat(timespec="minutes"),
        "breaks": [
            [b0.isoformat(timespec="minutes"), b1.isoformat(timespec="minutes")]
            for b0, b1 in breaks
        ],
    }


def _entry_row(
    actor: Actor,
    entry: TimeEntry,
    intern_id: int,
    approvers: dict[int, str],
    late: int | None = None,
) -> dto.TimeEntryRow:
    """An entry as the Hours tab lists it (its breaks loaded)."""
    spans = [(b.start_local, b.end_local) for b in entry.breaks]
    return dto.TimeEntryRow(
        id=entry.id,
        intern_id=intern_id,
        placement_id=entry.placement_id,
        work_date=entry.work_date,
        start=entry.start_local,
        end=entry.end_local,
        break_minutes=sum(span_minutes(b0, b1) for b0, b1 in spans),
        auto_break_minutes=entry.auto_break_minutes,
        worked_minutes=worked_minutes(
            entry.start_local, entry.end_local, spans, entry.auto_break_minutes
        ),
        source=entry.source,
        approved=entry.approved_at is not None,
        approved_by=approvers.get(entry.approved_by) if entry.approved_by is not None else None,
        approved_at=entry.approved_at,
        locked=entry.locked_at is not None,
        can_approve=_may_approve(actor, entry),
        late_minutes=late,
        breaks=tuple(spans),
    )


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
