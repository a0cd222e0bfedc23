"""One intern's hours as the Hours tab shows them, and their attendance.

Approved hours and hours awaiting approval are kept apart everywhere: against each
placement's required hours, as Career Development Experiences (each placement one
experience; the numbers from the checklist pack), on the youth-wage counter (all
hours worked for the employer in the calendar year, across placements: the law
counts hours worked, approved or not) and week by week. Attendance compares the
planned shifts already past with what was logged: a shift with no entry can be
marked absent (excused or not, with a reason); an entry that began after its
shift's start is late by the difference.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from internhost.core import dto
from internhost.core.actor import Actor, Permission, require
from internhost.core.dates import age_on
from internhost.core.errors import Conflict, NotFound, ValidationError
from internhost.core.models import (
    Absence,
    Employer,
    Intern,
    Placement,
    Shift,
    TimeEntry,
    UserAccount,
    Worksite,
)
from internhost.core.rules.hours_law import cde_target
from internhost.core.rules.packs import load_rules
from internhost.core.services.approval import may_approve
from internhost.core.services.interns import visible_interns, visible_placements
from internhost.core.trail import audit
from internhost.core.validation import Checker, by_id, storable
from internhost.core.workweeks import span_minutes, week_start, worked_minutes

REASON_MAX = 2000


def intern_with_placements(s: Session, actor: Actor, intern_id: int) -> Intern:
    """The intern, with their placements, if the actor may see them (else NotFound)."""
    if not storable(intern_id):
        raise NotFound(f"no intern with id {intern_id}")
    intern = s.scalar(
        visible_interns(select(Intern), actor, among=[intern_id])
        .where(Intern.id == intern_id)
        .options(selectinload(Intern.placements))
    )
    if intern is None:
        raise NotFound(f"no intern with id {intern_id}")
    return intern


def _late_minutes(entry_start: object, shift_start: object) -> int | None:
    """Minutes an entry began after its shift did (None when on time or early)."""
    if entry_start is None or shift_start is None:
        return None
    late = span_minutes(shift_start, entry_start)  # type: ignore[arg-type]
    return late if late > 0 else None


def intern_hours(s: Session, actor: Actor, intern_id: int, today: date) -> dto.InternHours:
    """Progress, weekly totals, entries and attendance of one intern."""
    require(actor, Permission.READ_RECORDS)
    intern = intern_with_placements(s, actor, intern_id)
    placements = sorted(intern.placements, key=lambda p: (p.start_date, p.id))
    ids = [p.id for p in placements]
    entries = list(
        s.scalars(
            select(TimeEntry)
            .where(TimeEntry.placement_id.in_(ids))
            .options(selectinload(TimeEntry.breaks))
            .order_by(TimeEntry.work_date.desc(), TimeEntry.start_local.desc())
        )
    )
    shifts = {
        sh.id: sh
        for sh in s.scalars(
            select(Shift).where(Shift.placement_id.in_(ids), Shift.work_date < today)
        )
    }
    shift_starts = dict(
        s.execute(
            select(Shift.id, Shift.start_local).where(
                Shift.id.in_({e.shift_id for e in entries if e.shift_id is not None})
            )
        ).all()
    )
    approver_ids = {e.approved_by for e in entries if e.approved_by is not None}
    approvers = {
        i: name or user
        for i, name, user in s.execute(
            select(UserAccount.id, UserAccount.display_name, UserAccount.username).where(
                UserAccount.id.in_(approver_ids)
            )
        )
    }
    rows = tuple(
        _entry_row(
            actor,
            e,
            intern.id,
            approvers,
            _late_minutes(e.start_local, shift_starts.get(e.shift_id) if e.shift_id else None),
        )
        for e in entries
    )
    starts_on = s.scalar(select(Employer.workweek_start)) or "sun"
    target = cde_target()
    return dto.InternHours(
        intern_id=intern.id,
        experiences=_experiences(placements, rows),
        cde_total_hours=target.total_hours,
        cde_min_experience_hours=target.min_experience_hours,
        cde_citation=target.citation,
        cde_verification=target.verification,
        youth=_youth(s, intern, placements, rows, today),
        weeks=_weeks(rows, starts_on),
        entries=rows,
        attendance=_attendance(s, shifts, entries, rows),
    )


def _experiences(
    placements: list[Placement], rows: tuple[dto.TimeEntryRow, ...]
) -> tuple[dto.ExperienceHours, ...]:
    approved: dict[int, int] = defaultdict(int)
    awaiting: dict[int, int] = defaultdict(int)
    for r in rows:
        (approved if r.approved else awaiting)[r.placement_id] += r.worked_minutes
    return tuple(
        dto.ExperienceHours(
            p.id,
            f"{p.start_date.isoformat()} – {p.end_date.isoformat() if p.end_date else 'open'}",
            p.required_hours,
            approved[p.id],
            awaiting[p.id],
        )
        for p in placements
    )


def _youth(
    s: Session,
    intern: Intern,
    placements: list[Placement],
    rows: tuple[dto.TimeEntryRow, ...],
    today: date,
) -> dto.YouthHours | None:
    """The counter of the latest placement's state, while the intern may be paid the
    youth rate there (the wage pack's ``youth_max_age``). It counts paid hours: none
    while the latest placement is unpaid (a school's unpaid work-based learning)."""
    latest = next((p for p in reversed(placements) if p.worksite_id is not None), None)
    if latest is None or not latest.paid:
        return None
    paid = [p for p in placements if p.paid]
    state = s.scalar(select(Worksite.state).where(Worksite.id == latest.worksite_id))
    rules = load_rules(state)
    if rules.state is None or rules.state.jurisdiction is None:
        return None
    rate = rules.rate_on(rules.state.jurisdiction, today)
    if rate is None or rate.youth_max_hours_per_year is None:
        return None
    if not rate.youth(age_on(intern.birth_date, today)):
        return None
    paid_ids = {p.id for p in paid}
    minutes = sum(
        r.worked_minutes
        for r in rows
        if r.work_date.year == today.year and r.placement_id in paid_ids
    )
    return dto.YouthHours(
        today.year, minutes, rate.youth_max_hours_per_year, rate.citation, rate.verification
    )


def _weeks(rows: tuple[dto.TimeEntryRow, ...], starts_on: str) -> tuple[dto.WeekHours, ...]:
    weeks: dict[date, list[int]] = {}
    for r in rows:
        tally = weeks.setdefault(week_start(r.work_date, starts_on), [0, 0])
        tally[0 if r.approved else 1] += r.worked_minutes
    return tuple(dto.WeekHours(w, a, b) for w, (a, b) in sorted(weeks.items()))


def _attendance(
    s: Session,
    shifts: dict[int, Shift],
    entries: list[TimeEntry],
    rows: tuple[dto.TimeEntryRow, ...],
) -> tuple[dto.AttendanceRow, ...]:
    """Every planned shift already past, newest first, with what became of it."""
    worked: dict[int, dto.TimeEntryRow] = {}
    for entry, row in zip(entries, rows, strict=True):
        if entry.shift_id is not None:
            worked.setdefault(entry.shift_id, row)
    absences = {
        a.shift_id: a for a in s.scalars(select(Absence).where(Absence.shift_id.in_(shifts)))
    }
    out = []
    for sh in sorted(shifts.values(), key=lambda x: x.start_local, reverse=True):
        found = worked.get(sh.id)
        absence = absences.get(sh.id)
        out.append(
            dto.AttendanceRow(
                shift_id=sh.id,
                work_date=sh.work_date,
                start=sh.start_local,
                end=sh.end_local,
                entry_id=found.id if found is not None else None,
                late_minutes=found.late_minutes if found is not None else None,
                absent=absence is not None,
                excused=absence.excused if absence else None,
                reason=absence.reason if absence else "",
            )
        )
    return tuple(out)


def _shift(s: Session, actor: Actor, shift_id: object) -> Shift:
    shift = by_id(s, Shift, shift_id)
    visible = (
        shift is not None
        and s.scalar(
            visible_placements(select(Placement.id), actor).where(
                Placement.id == shift.placement_id
            )
        )
        is not None
    )
    if shift is None or not visible:
        raise NotFound(f"no planned shift with id {shift_id}")
    return shift


def mark_absent(
    s: Session, actor: Actor, shift_id: int, excused: bool, reason: str, today: date
) -> None:
    """Record that a planned shift already past was not worked (excused or not, and
    why); marking it again replaces the excuse and reason."""
    require(actor, Permission.LOG_MENTORING)
    shift = _shift(s, actor, shift_id)
    check = Checker()
    text = check.text("reason", reason, max_len=REASON_MAX, multiline=True)
    if not isinstance(excused, bool):
        check.fail("excused", "is not yes or no")
    if excused and not text:
        check.fail("reason", "is required for an excused absence")
    check.done()
    if shift.work_date >= today:
        raise ValidationError(
            f"the shift of {shift.work_date.isoformat()} has not passed yet", "shift_id"
        )
    if s.scalar(select(TimeEntry.id).where(TimeEntry.shift_id == shift.id).limit(1)) is not None:
        raise Conflict(
            f"hours were logged for the shift of {shift.work_date.isoformat()}; "
            "it was worked, not missed"
        )
    audit.label(s, "mark absence")
    absence = s.scalar(select(Absence).where(Absence.shift_id == shift.id))
    if absence is None:
        s.add(Absence(shift_id=shift.id, excused=excused, reason=text, marked_by=actor.user_id))
    else:
        absence.excused, absence.reason, absence.marked_by = excused, text, actor.user_id
    s.flush()


def clear_absence(s: Session, actor: Actor, shift_id: int) -> bool:
    """Take back an absence marked by mistake; False when none was marked."""
    require(actor, Permission.LOG_MENTORING)
    shift = _shift(s, actor, shift_id)
    absence = s.scalar(select(Absence).where(Absence.shift_id == shift.id))
    if absence is None:
        return False
    audit.label(s, "clear absence")
    s.delete(absence)
    s.flush()
    return True


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
        can_approve=may_approve(actor, entry),
        late_minutes=late,
        breaks=tuple(spans),
    )
