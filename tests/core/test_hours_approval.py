"""Approving logged hours, HR's corrections, pay periods, attendance and progress."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM, Actor
from internhost.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from internhost.core.models import (
    Absence,
    AuditEvent,
    Employer,
    Intern,
    PayPeriod,
    Placement,
    Shift,
    TimeEntry,
)
from internhost.core.services import accounts, approval, hours_progress, time_entries
from internhost.core.services.time_entries import BreakInput
from internhost.core.storage import db
from internhost.core.workweeks import week_start, worked_minutes

TODAY = date(2026, 11, 24)


@dataclass
class Hours:
    factory: Any
    hr: Actor
    mentor: Actor
    viewer: Actor
    intern: int  # one of the demo mentor's interns, with entries awaiting approval
    stranger: int  # an intern the mentor does not mentor

    def call(self, actor: Actor, service: Any, *args: Any, **kwargs: Any) -> Any:
        with db.unit_of_work(self.factory, actor) as s:
            return service(s, actor, *args, **kwargs)

    def entries(self, intern_id: int, **where: Any) -> list[TimeEntry]:
        with db.read_session(self.factory, SYSTEM) as s:
            stmt = (
                select(TimeEntry)
                .join(Placement, Placement.id == TimeEntry.placement_id)
                .where(Placement.intern_id == intern_id)
                .order_by(TimeEntry.work_date, TimeEntry.id)
            )
            for column, value in where.items():
                stmt = stmt.where(getattr(TimeEntry, column).is_(value))
            return list(s.scalars(stmt))

    def set(self, model: Any, where: Any, **values: Any) -> None:
        """Change stored rows through the ORM (audited), as a test's set-up."""
        with db.unit_of_work(self.factory, SYSTEM) as s:
            for row in s.scalars(select(model).where(where)):
                for name, value in values.items():
                    setattr(row, name, value)


@pytest.fixture
def hours(demo_path: Path) -> Any:
    engine = db.make_engine(demo_path, TEST_KEY)
    factory = db.make_session_factory(engine)
    with db.read_session(factory, SYSTEM) as s:
        actors = {r.role: accounts.actor_for(r) for r in accounts.list_accounts(s, SYSTEM)}
        mentor = actors["mentor"]
        own = select(Placement.intern_id).where(Placement.mentor_id == mentor.staff_id)
        with_entries = (  # some of them awaiting approval (the demo's last two weeks)
            select(Placement.intern_id)
            .join(TimeEntry, TimeEntry.placement_id == Placement.id)
            .where(TimeEntry.approved_at.is_(None))
        )
        intern = s.scalar(
            select(Intern.id).where(Intern.id.in_(own), Intern.id.in_(with_entries)).limit(1)
        )
        stranger = s.scalar(
            select(Intern.id).where(Intern.id.not_in(own), Intern.id.in_(with_entries)).limit(1)
        )
    yield Hours(factory, actors["hr_admin"], mentor, actors["viewer"], intern, stranger)
    engine.dispose()


def _unapproved(h: Hours, intern_id: int) -> TimeEntry:
    waiting = h.entries(intern_id, approved_at=None)
    assert waiting, "the demo leaves the last week's hours unapproved"
    return waiting[0]


def test_a_mentor_approves_their_interns_entries(hours: Hours) -> None:
    entry = _unapproved(hours, hours.intern)
    result = hours.call(hours.mentor, approval.approve_entries, [entry.id])
    assert result.approved == (entry.id,) and result.already == ()
    (stored,) = [e for e in hours.entries(hours.intern) if e.id == entry.id]
    assert stored.approved_at is not None and stored.approved_by == hours.mentor.user_id
    again = hours.call(hours.mentor, approval.approve_entries, [entry.id])
    assert again.approved == () and again.already == (entry.id,)


def test_a_mentor_may_not_approve_what_they_entered_or_others_interns(hours: Hours) -> None:
    entry = _unapproved(hours, hours.intern)
    hours.set(TimeEntry, TimeEntry.id == entry.id, entered_by=hours.mentor.user_id)
    with pytest.raises(PermissionDenied, match="a mentor may not approve hours they entered"):
        hours.call(hours.mentor, approval.approve_entries, [entry.id])
    shown = hours.call(hours.mentor, hours_progress.intern_hours, hours.intern, TODAY)
    assert not next(r for r in shown.entries if r.id == entry.id).can_approve
    # HR approves it instead.
    assert hours.call(hours.hr, approval.approve_entries, [entry.id]).approved == (entry.id,)
    other = _unapproved(hours, hours.stranger)
    with pytest.raises(NotFound):
        hours.call(hours.mentor, approval.approve_entries, [other.id])
    with pytest.raises(PermissionDenied):
        hours.call(hours.viewer, approval.approve_entries, [other.id])
    assert hours.entries(hours.stranger, approved_at=None)[0].id == other.id


LEFT_EARLY = "Left early for a dentist appointment; the clock missed the punch."


def _correct(
    h: Hours, actor: Actor, entry: TimeEntry, reason: str = LEFT_EARLY, **changes: Any
) -> Any:
    """Save ``entry`` again through the one edit, out 30 minutes early, no breaks."""
    with db.read_session(h.factory, SYSTEM) as s:
        stored = time_entries.time_entry_input(s, SYSTEM, entry.id)
    end = (entry.end_local - timedelta(minutes=30)).time()
    data = replace(stored, **{"end": end, "breaks": (), **changes})
    return h.call(actor, time_entries.save_time_entry, data, entry.id, today=TODAY, reason=reason)


def test_hr_corrects_an_approved_entry_with_a_reason_in_the_trail(hours: Hours) -> None:
    entry = hours.entries(hours.intern, locked_at=None)[0]
    hours.call(hours.hr, approval.approve_entries, [entry.id])
    row = _correct(hours, hours.hr, entry)
    assert row.end == entry.end_local - timedelta(minutes=30)
    assert row.approved and row.approved_by == "Demo HR admin"  # the account's display name
    with db.read_session(hours.factory, SYSTEM) as s:
        event = s.scalar(
            select(AuditEvent)
            .where(AuditEvent.operation.startswith("correct logged hours: Left early"))
            .where(AuditEvent.payload.contains("correction:"))
        )
        assert event is not None
        change = json.loads(event.payload)[f"correction:{entry.id}"]
    assert change["reason"].startswith("Left early")
    assert change["before"]["end"] == entry.end_local.isoformat(timespec="minutes")
    assert change["after"]["end"] == row.end.isoformat(timespec="minutes")
    assert change["after"]["breaks"] == []


def test_a_correction_without_a_reason_or_with_bad_times_changes_nothing(hours: Hours) -> None:
    entry = hours.entries(hours.intern, locked_at=None)[0]
    hours.call(hours.hr, approval.approve_entries, [entry.id])
    (entry,) = [e for e in hours.entries(hours.intern) if e.id == entry.id]
    start = entry.start_local
    bad: list[tuple[dict[str, Any], str]] = [
        ({"reason": "  "}, "reason"),
        ({"end": start.time()}, "end"),
        ({"breaks": (BreakInput((start - timedelta(hours=1)).time(), start.time()),)}, "breaks"),
    ]
    for changes, field in bad:
        with pytest.raises(ValidationError) as caught:
            _correct(hours, hours.hr, entry, **changes)
        assert any(f.startswith(field) for f in caught.value.by_field()), caught.value.errors
    with db.read_session(hours.factory, SYSTEM) as s:
        stored = time_entries.time_entry_input(s, SYSTEM, entry.id)
    with pytest.raises(ValidationError, match="changes nothing"):
        hours.call(
            hours.hr, time_entries.save_time_entry, stored, entry.id, today=TODAY, reason="No."
        )
    with pytest.raises(PermissionDenied):
        _correct(hours, hours.mentor, entry)
    (same,) = [e for e in hours.entries(hours.intern) if e.id == entry.id]
    assert (same.start_local, same.end_local) == (entry.start_local, entry.end_local)
    assert same.approved_at == entry.approved_at


def _open_week(h: Hours) -> date:
    """The newest week with an unapproved entry that is over by TODAY."""
    with db.read_session(h.factory, SYSTEM) as s:
        starts_on = s.scalar(select(Employer.workweek_start))
        day = s.scalar(
            select(func.max(TimeEntry.work_date)).where(
                TimeEntry.approved_at.is_(None), TimeEntry.work_date < TODAY - timedelta(days=7)
            )
        )
    assert day is not None and starts_on is not None
    return week_start(day, starts_on)


def test_closing_a_week_is_refused_while_entries_wait_and_locks_them_after(hours: Hours) -> None:
    first = _open_week(hours)
    last = first + timedelta(days=6)
    with pytest.raises(Conflict, match="not approved") as caught:
        hours.call(hours.hr, approval.close_pay_period, first, TODAY)
    assert first.isoformat() in str(caught.value)
    with db.read_session(hours.factory, SYSTEM) as s:
        waiting = list(
            s.scalars(
                select(TimeEntry.id).where(
                    TimeEntry.work_date.between(first, last), TimeEntry.approved_at.is_(None)
                )
            )
        )
    assert hours.call(hours.hr, approval.approve_entries, waiting).approved == tuple(waiting)
    closed = hours.call(hours.hr, approval.close_pay_period, first, TODAY)
    assert (closed.start_date, closed.end_date, closed.unapproved) == (first, last, 0)
    with db.read_session(hours.factory, SYSTEM) as s:
        unlocked = s.scalar(
            select(func.count(TimeEntry.id)).where(
                TimeEntry.work_date.between(first, last), TimeEntry.locked_at.is_(None)
            )
        )
        assert unlocked == 0
        assert s.scalar(select(PayPeriod.closed_by).where(PayPeriod.start_date == first)) == (
            hours.hr.user_id
        )
    with pytest.raises(Conflict, match="closed already"):
        hours.call(hours.hr, approval.close_pay_period, first, TODAY)
    with db.read_session(hours.factory, SYSTEM) as s:
        locked = s.scalar(select(TimeEntry).where(TimeEntry.work_date.between(first, last)))
    assert locked is not None
    with pytest.raises(Conflict, match="pay period is closed"):
        _correct(hours, hours.hr, locked)
    periods = hours.call(hours.hr, approval.list_pay_periods, TODAY)
    assert any(p.start_date == first and p.closed_at is not None for p in periods)


def test_a_week_is_closed_only_from_its_first_day_and_once_over(hours: Hours) -> None:
    first = _open_week(hours)
    with pytest.raises(ValidationError, match="workweeks start"):
        hours.call(hours.hr, approval.close_pay_period, first + timedelta(days=1), TODAY)
    this_week = week_start(TODAY, "sun") if first.weekday() == 6 else first
    with pytest.raises(ValidationError, match="once it is over"):
        hours.call(hours.hr, approval.close_pay_period, this_week, first + timedelta(days=3))
    with pytest.raises(PermissionDenied):
        hours.call(hours.mentor, approval.close_pay_period, first, TODAY)


def test_the_hours_tab_counts_approved_and_awaiting_apart(hours: Hours) -> None:
    shown = hours.call(hours.mentor, hours_progress.intern_hours, hours.intern, TODAY)
    entries = hours.entries(hours.intern)
    assert shown.approved_minutes == sum(r.worked_minutes for r in shown.entries if r.approved)
    assert shown.awaiting_minutes == sum(r.worked_minutes for r in shown.entries if not r.approved)
    assert shown.awaiting_minutes > 0 and shown.approved_minutes > 0
    assert len(shown.entries) == len(entries)
    assert sum(w.approved_minutes + w.awaiting_minutes for w in shown.weeks) == (
        shown.approved_minutes + shown.awaiting_minutes
    )
    assert (shown.cde_total_hours, shown.cde_min_experience_hours) == (60, 20)
    # Approving moves minutes from awaiting to approved, nothing else.
    waiting = [r.id for r in shown.entries if not r.approved]
    hours.call(hours.mentor, approval.approve_entries, waiting)
    after = hours.call(hours.mentor, hours_progress.intern_hours, hours.intern, TODAY)
    assert after.awaiting_minutes == 0
    assert after.approved_minutes == shown.approved_minutes + shown.awaiting_minutes


def test_the_youth_wage_counter_counts_paid_hours_only(hours: Hours) -> None:
    """The counter shows while the latest placement is paid and the intern young
    enough for the youth rate; an unpaid school placement counts no wage hours."""
    with db.read_session(hours.factory, SYSTEM) as s:
        latest = {
            p.intern_id: p for p in s.scalars(select(Placement).order_by(Placement.start_date))
        }
    shown = {
        intern_id: hours.call(hours.hr, hours_progress.intern_hours, intern_id, TODAY)
        for intern_id in latest
    }
    unpaid = [i for i, p in latest.items() if not p.paid]
    assert unpaid and all(shown[i].youth is None for i in unpaid)
    with db.read_session(hours.factory, SYSTEM) as s:
        paid = set(s.scalars(select(Placement.id).where(Placement.paid.is_(True))))
    counted = [h for h in shown.values() if h.youth is not None]
    assert counted
    for h in counted:
        this_year = [r for r in h.entries if r.work_date.year == TODAY.year]
        assert h.youth is not None and h.youth.minutes == sum(
            r.worked_minutes for r in this_year if r.placement_id in paid
        )


def test_the_cde_counts_only_experiences_of_twenty_hours_or_more() -> None:
    from internhost.core.dto import ExperienceHours, InternHours

    def summary(*minutes: int) -> InternHours:
        experiences = tuple(ExperienceHours(i, "", None, m, 0) for i, m in enumerate(minutes))
        return InternHours(1, experiences, 60, 20, "", "V", None, (), (), ())

    assert summary(45 * 60, 19 * 60).cde_counted_minutes == 45 * 60
    assert not summary(45 * 60, 19 * 60).cde_met
    assert summary(40 * 60, 20 * 60).cde_met
    assert summary(60 * 60).cde_met


def test_a_past_shift_without_an_entry_is_marked_absent(hours: Hours) -> None:
    with db.read_session(hours.factory, SYSTEM) as s:
        worked = select(TimeEntry.shift_id).where(TimeEntry.shift_id.is_not(None))
        shift = s.scalar(
            select(Shift)
            .join(Placement, Placement.id == Shift.placement_id)
            .where(Placement.intern_id == hours.intern, Shift.id.in_(worked))
            .order_by(Shift.work_date)
            .limit(1)
        )
    assert shift is not None
    # A worked shift is not missed.
    with pytest.raises(Conflict, match="was worked"):
        hours.call(hours.mentor, hours_progress.mark_absent, shift.id, False, "", TODAY)
    hours.set(TimeEntry, TimeEntry.shift_id == shift.id, shift_id=None)
    with pytest.raises(ValidationError, match="required"):
        hours.call(hours.mentor, hours_progress.mark_absent, shift.id, True, "", TODAY)
    hours.call(hours.mentor, hours_progress.mark_absent, shift.id, True, "School trip", TODAY)
    shown = hours.call(hours.viewer, hours_progress.intern_hours, hours.intern, TODAY)
    row = next(a for a in shown.attendance if a.shift_id == shift.id)
    assert (row.absent, row.excused, row.reason, row.status) == (
        True,
        True,
        "School trip",
        "excused absence",
    )
    with pytest.raises(PermissionDenied):
        hours.call(hours.viewer, hours_progress.clear_absence, shift.id)
    assert hours.call(hours.mentor, hours_progress.clear_absence, shift.id)
    with db.read_session(hours.factory, SYSTEM) as s:
        assert s.scalar(select(func.count(Absence.id)).where(Absence.shift_id == shift.id)) == 0
    with pytest.raises(ValidationError, match="not passed"):
        hours.call(hours.mentor, hours_progress.mark_absent, shift.id, False, "", shift.work_date)


def test_an_entry_starting_after_its_shift_is_late_by_its_minutes(hours: Hours) -> None:
    entry = hours.entries(hours.intern)[0]
    with db.read_session(hours.factory, SYSTEM) as s:
        start = s.scalar(select(Shift.start_local).where(Shift.id == entry.shift_id))
    assert start is not None
    hours.set(TimeEntry, TimeEntry.id == entry.id, start_local=start + timedelta(minutes=12))
    shown = hours.call(hours.hr, hours_progress.intern_hours, hours.intern, TODAY)
    assert next(r for r in shown.entries if r.id == entry.id).late_minutes == 12
    row = next(a for a in shown.attendance if a.shift_id == entry.shift_id)
    assert row.status == "late 12 min"


def test_worked_minutes_leave_out_breaks_and_the_clocks_deduction() -> None:
    start = datetime(2026, 3, 2, 8)
    end = datetime(2026, 3, 2, 16)
    lunch = (datetime(2026, 3, 2, 12), datetime(2026, 3, 2, 12, 30))
    assert worked_minutes(start, end) == 480
    assert worked_minutes(start, end, [lunch]) == 450
    assert worked_minutes(start, end, [lunch], 15) == 435
    outside = (datetime(2026, 3, 2, 17), datetime(2026, 3, 2, 18))
    assert worked_minutes(start, end, [outside]) == 480
    assert week_start(date(2026, 3, 4), "sun") == date(2026, 3, 1)
    assert week_start(date(2026, 3, 4), "mon") == date(2026, 3, 2)
    assert week_start(date(2026, 3, 2), "mon") == date(2026, 3, 2)
