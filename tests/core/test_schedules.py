"""The schedule planner's services: the week, the live check, saving as the decisions
table allows, recurring patterns and the plants' closures."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.dates import age_on, birthday_of_age
from internhost.core.errors import PermissionDenied, ValidationError
from internhost.core.models import (
    AuditEvent,
    CalendarDay,
    Finding,
    FindingOverride,
    Intern,
    Placement,
    PlantClosure,
    School,
    SchoolCalendar,
    Shift,
)
from internhost.core.services import closures, schedules
from internhost.core.services.schedules import SeriesInput, ShiftDraft, ShiftInput
from internhost.core.storage import db

TODAY = date(2025, 10, 15)  # a Wednesday
THIS_WEEK = date(2025, 10, 13)
NEXT_WEEK = date(2025, 10, 20)


@pytest.fixture
def factory(demo_path: Path) -> Iterator:
    engine = db.make_engine(demo_path, TEST_KEY)
    yield db.make_session_factory(engine)
    engine.dispose()


def _young(factory) -> tuple[int, int, int]:
    """A 15-year-old's intern id, placement id and worksite id."""
    with db.read_session(factory, SYSTEM) as s:
        rows = s.execute(
            select(Intern.id, Intern.birth_date, Placement.id, Placement.worksite_id)
            .join(Placement, Placement.intern_id == Intern.id)
            .order_by(Intern.id)
        ).all()
    intern, _born, placement, site = next(r for r in rows if age_on(r[1], NEXT_WEEK) == 15)
    return intern, placement, site


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def _write(factory, service, *args, **kwargs):
    with db.unit_of_work(factory, SYSTEM) as s:
        return service(s, SYSTEM, *args, **kwargs)


def _count(factory, model) -> int:
    with db.read_session(factory, SYSTEM) as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_the_week_shades_the_legal_window_and_adds_logged_to_planned_hours(factory) -> None:
    intern, _placement, _site = _young(factory)
    with db.read_session(factory, SYSTEM) as s:
        plan = schedules.week_plan(s, SYSTEM, THIS_WEEK, today=TODAY, intern_id=intern)
    (lane,) = plan.lanes
    assert plan.can_edit and len(lane.days) == 7
    school_days = [d for d in lane.days if d.blocked is not None]
    assert school_days and all(d.blocked == (time(8), time(15)) for d in school_days)
    assert all((d.earliest, d.latest) == (time(7), time(19)) for d in lane.days)
    assert lane.days[0].past and not lane.days[2].past
    expected = sum(d.logged_hours if d.day < TODAY else d.planned_hours for d in lane.days)
    assert lane.week_hours == pytest.approx(expected) and lane.week_hours > 0
    assert any(d.logged_hours for d in lane.days if d.past)
    assert lane.shifts and all(sh.key == f"shift:{sh.id}" for sh in lane.shifts)


def test_a_late_shift_is_flagged_live_and_refused_with_how_to_fix_it(factory) -> None:
    intern, placement, _site = _young(factory)
    wednesday = NEXT_WEEK + timedelta(days=2)  # a school day this intern has no shift
    late = ShiftInput(placement, _at(wednesday, 18), _at(wednesday, 20), tasks=("office_clerical",))
    with db.read_session(factory, SYSTEM) as s:
        shown = schedules.preview(
            s, SYSTEM, intern, [ShiftDraft("new:1", late)], week_start=NEXT_WEEK, today=TODAY
        )
    rules = {f.rule for f in shown.findings["new:1"] if f.blocks_plan}
    assert {"US-FLSA-570.35-a6", "US-IL-206-25-4"} <= rules
    assert shown.days[2].hours_left_day == 0  # the draft already takes what was left
    assert shown.days[1].hours_left_day == 0 and shown.days[3].hours_left_day == 0
    before = _count(factory, Shift), _count(factory, AuditEvent)
    with pytest.raises(ValidationError) as refused, db.unit_of_work(factory, SYSTEM) as s:
        schedules.save_shift(s, SYSTEM, late, today=TODAY)
    by_field = refused.value.by_field()
    assert any("7 p.m." in m and "29 CFR 570.35(a)(6)" in m for m in by_field["start"])
    assert any("override it with a written reason" in m for m in by_field["start"])
    assert (_count(factory, Shift), _count(factory, AuditEvent)) == before

    fixed = replace(late, start=_at(wednesday, 16), end=_at(wednesday, 16, 45))
    with db.read_session(factory, SYSTEM) as s:
        shown = schedules.preview(
            s, SYSTEM, intern, [ShiftDraft("new:1", fixed)], week_start=NEXT_WEEK, today=TODAY
        )
    assert not any(f.blocks_plan for f in shown.findings.get("new:1", ()))
    with db.unit_of_work(factory, SYSTEM) as s:
        saved = schedules.save_shift(s, SYSTEM, fixed, today=TODAY)
    assert saved.id is not None and (saved.start, saved.end) == (fixed.start, fixed.end)
    assert _count(factory, Shift) == before[0] + 1


def test_a_shift_may_not_overlap_another_or_fall_on_a_closure(factory) -> None:
    intern, placement, _site = _young(factory)
    with db.read_session(factory, SYSTEM) as s:
        lane = schedules.week_plan(s, SYSTEM, NEXT_WEEK, today=TODAY, intern_id=intern).lanes[0]
    taken = lane.shifts[0]
    clash = ShiftInput(placement, taken.start, taken.end + timedelta(minutes=15))
    with pytest.raises(ValidationError, match="overlaps the shift planned"):
        _write(factory, schedules.save_shift, clash, today=TODAY)
    friday = NEXT_WEEK + timedelta(days=4)
    with db.unit_of_work(factory, SYSTEM) as s:
        closures.add_closure(s, SYSTEM, closures.ClosureInput(friday, None, "Inventory"))
    on_closure = ShiftInput(placement, _at(friday, 16), _at(friday, 17))
    with pytest.raises(ValidationError, match="plant is closed on 2025-10-24: Inventory"):
        _write(factory, schedules.save_shift, on_closure, today=TODAY)
    with db.read_session(factory, SYSTEM) as s:
        lane = schedules.week_plan(s, SYSTEM, NEXT_WEEK, today=TODAY, intern_id=intern).lanes[0]
    assert lane.days[4].closed == "Inventory"


def test_a_move_takes_the_breaks_along_and_a_past_shift_stays(factory) -> None:
    intern, placement, _site = _young(factory)
    saturday = NEXT_WEEK + timedelta(days=5)
    with db.read_session(factory, SYSTEM) as s:
        lane = schedules.week_plan(s, SYSTEM, NEXT_WEEK, today=TODAY, intern_id=intern).lanes[0]
    shift = next(sh for sh in lane.shifts if sh.work_date == saturday)
    with db.unit_of_work(factory, SYSTEM) as s:
        data = replace(
            schedules.shift_input(s, SYSTEM, shift.id),
            breaks=((_at(saturday, 11), _at(saturday, 11, 30)),),
        )
        schedules.save_shift(s, SYSTEM, data, shift.id, today=TODAY)
    later = timedelta(hours=1)
    with db.unit_of_work(factory, SYSTEM) as s:
        moved = schedules.move_shift(
            s, SYSTEM, shift.id, shift.start + later, shift.end + later, today=TODAY
        )
    assert moved.breaks == ((_at(saturday, 12), _at(saturday, 12, 30)),)
    with db.read_session(factory, SYSTEM) as s:
        past = s.scalar(
            select(Shift.id).where(Shift.placement_id == placement, Shift.work_date < TODAY)
        )
    with pytest.raises(ValidationError, match="past day"):
        _write(factory, schedules.delete_shift, past, today=TODAY)


def test_a_pattern_skips_closures_and_days_without_school_and_is_removed_whole(factory) -> None:
    _intern, placement, site = _young(factory)
    day_off = date(2025, 11, 3)  # a Monday the district closes its schools
    with db.unit_of_work(factory, SYSTEM) as s:
        district = s.scalar(
            select(School.district_id)
            .join(Placement, Placement.school_id == School.id)
            .where(Placement.id == placement)
        )
        for calendar in s.scalars(
            select(SchoolCalendar).where(SchoolCalendar.district_id == district)
        ):
            if calendar.first_day <= day_off <= calendar.last_day:
                s.add(CalendarDay(calendar_id=calendar.id, day=day_off, kind="no_school"))
    with db.unit_of_work(factory, SYSTEM) as s:
        closures.add_closure(s, SYSTEM, closures.ClosureInput(date(2025, 11, 5), site, "Audit"))
        # Mondays, Wednesdays and Fridays are free in the sample's plan of this intern.
        shift = ShiftInput(placement, _at(date(2025, 10, 27), 16), _at(date(2025, 10, 27), 16, 45))
        result = schedules.plan_series(
            s,
            SYSTEM,
            SeriesInput(shift, ("mon", "wed", "fri"), date(2025, 11, 30)),
            today=TODAY,
        )
    skipped = dict(result.skipped)
    assert skipped[date(2025, 11, 5)] == "Audit"
    assert skipped[date(2025, 11, 26)] == "Thanksgiving break"  # the sample's closures
    assert skipped[day_off] == "no school"
    days = [sh.work_date for sh in result.created]
    assert date(2025, 10, 27) in days and date(2025, 11, 5) not in days
    assert all(d.weekday() in (0, 2, 4) for d in days)
    with db.read_session(factory, SYSTEM) as s:
        stored = s.scalars(select(Shift).where(Shift.series == result.series)).all()
    assert len(stored) == len(days) and stored[0].recurrence.startswith("DTSTART")
    with db.unit_of_work(factory, SYSTEM) as s:
        removed = schedules.delete_shift(s, SYSTEM, stored[0].id, whole_series=True, today=TODAY)
    assert removed == len(days)


def test_a_pattern_that_breaks_a_rule_on_one_day_plans_nothing(factory) -> None:
    _intern, placement, _site = _young(factory)
    late = ShiftInput(placement, _at(date(2025, 10, 27), 18, 30), _at(date(2025, 10, 27), 19, 30))
    before = _count(factory, Shift)
    with pytest.raises(ValidationError) as refused, db.unit_of_work(factory, SYSTEM) as s:
        schedules.plan_series(
            s, SYSTEM, SeriesInput(late, ("mon",), date(2025, 11, 12)), today=TODAY
        )
    assert all(e.field == "shift" for e in refused.value.errors)
    assert _count(factory, Shift) == before


def test_a_birthday_that_changes_the_rules_is_marked_and_hidden_from_mentors(factory) -> None:
    with db.read_session(factory, SYSTEM) as s:
        rows = s.execute(
            select(Intern.id, Intern.birth_date, Placement.mentor_id, Placement.start_date)
            .join(Placement, Placement.intern_id == Intern.id)
            .where(Placement.end_date.is_not(None))
        ).all()
    turning = [
        (intern, birthday_of_age(born, 16), mentor)
        for intern, born, mentor, start in rows
        if mentor is not None and start <= birthday_of_age(born, 16) <= date(2025, 12, 1)
    ]
    if not turning:
        pytest.skip("no intern turns 16 during the sample's term")
    intern, sixteen, mentor = turning[0]
    week = sixteen - timedelta(days=sixteen.weekday())
    with db.read_session(factory, SYSTEM) as s:
        lane = schedules.week_plan(s, SYSTEM, week, today=TODAY, intern_id=intern).lanes[0]
    assert lane.rule_change_on == sixteen and lane.rules_change_this_week
    as_mentor = Actor(Role.MENTOR, "mentor", staff_id=mentor)
    with db.read_session(factory, as_mentor) as s:
        plan = schedules.week_plan(s, as_mentor, week, today=TODAY, intern_id=intern)
        with pytest.raises(PermissionDenied):
            schedules.preview(s, as_mentor, intern, [], week_start=week, today=TODAY)
    assert not plan.can_edit
    assert plan.lanes[0].rule_change_on is None and plan.lanes[0].rules_change_this_week


def test_closures_are_listed_refused_twice_and_removed(factory) -> None:
    day = date(2026, 7, 3)
    with db.unit_of_work(factory, SYSTEM) as s:
        row = closures.add_closure(s, SYSTEM, closures.ClosureInput(day, None, "Independence Day"))
    with pytest.raises(ValidationError, match="already recorded"):
        _write(factory, closures.add_closure, closures.ClosureInput(day, None, ""))
    with db.read_session(factory, SYSTEM) as s:
        listed = closures.list_closures(s, SYSTEM, first=day, last=day)
    assert [(r.day, r.worksite, r.reason) for r in listed] == [(day, "", "Independence Day")]
    with db.unit_of_work(factory, SYSTEM) as s:
        closures.remove_closure(s, SYSTEM, row.id)
    with db.read_session(factory, SYSTEM) as s:
        assert s.get(PlantClosure, row.id) is None
    assert _count(factory, Finding) > 0


def test_hr_saves_a_refused_shift_with_its_findings_overridden(factory) -> None:
    intern, placement, _site = _young(factory)
    wednesday = NEXT_WEEK + timedelta(days=2)
    late = ShiftInput(placement, _at(wednesday, 18), _at(wednesday, 20), tasks=("office_clerical",))
    before = _count(factory, Shift)
    with pytest.raises(ValidationError) as blank:
        _write(factory, schedules.save_shift, late, today=TODAY, override_reason="  ")
    assert "override_reason" in blank.value.by_field()
    assert _count(factory, Shift) == before

    reason = "Parents' written consent; the district's work permit allows it (file 12)."
    saved = _write(factory, schedules.save_shift, late, today=TODAY, override_reason=reason)
    assert _count(factory, Shift) == before + 1
    decided = [f for f in saved.findings if f.rule == "US-FLSA-570.35-a6"]
    assert decided and decided[0].decision == "override" and not decided[0].blocks_plan
    with db.read_session(factory, SYSTEM) as s:
        kept = s.scalars(
            select(FindingOverride).where(
                FindingOverride.intern_id == intern, FindingOverride.reason == reason
            )
        ).all()
    assert {o.rule_id for o in kept} >= {"US-FLSA-570.35-a6", "US-IL-206-25-4"}
    assert all(o.kind == "override" and f"shift:{saved.id}" in o.identity for o in kept)


def test_an_override_is_refused_where_the_table_forbids_one(factory) -> None:
    _intern, placement, _site = _young(factory)
    wednesday = NEXT_WEEK + timedelta(days=2)
    hazard = ShiftInput(placement, _at(wednesday, 16), _at(wednesday, 16, 45), tasks=("forklift",))
    before = _count(factory, Shift), _count(factory, FindingOverride)
    with pytest.raises(ValidationError, match="cannot be planned"):
        _write(factory, schedules.save_shift, hazard, today=TODAY, override_reason="We insist.")
    assert (_count(factory, Shift), _count(factory, FindingOverride)) == before
    viewer = Actor(Role.VIEWER, "viewer")
    with pytest.raises(PermissionDenied), db.unit_of_work(factory, viewer) as s:
        schedules.save_shift(s, viewer, hazard, today=TODAY, override_reason="We insist.")


def test_a_save_reads_again_only_the_saved_interns_plan(factory) -> None:
    intern, placement, site = _young(factory)
    with db.read_session(factory, SYSTEM) as s:
        lanes = schedules.week_plan(s, SYSTEM, NEXT_WEEK, today=TODAY, worksite_id=site).lanes
    others = [lane for lane in lanes if lane.intern_id != intern]
    assert others
    kept = {
        lane.intern_id: schedules._BASES[k]
        for k in list(schedules._BASES)
        for lane in lanes
        if k[2] == lane.intern_id and k[3] == lane.placement_ids[0]
    }
    wednesday = NEXT_WEEK + timedelta(days=2)
    _write(
        factory,
        schedules.save_shift,
        ShiftInput(placement, _at(wednesday, 16), _at(wednesday, 16, 45)),
        today=TODAY,
    )
    with db.read_session(factory, SYSTEM) as s:
        again = schedules.week_plan(s, SYSTEM, NEXT_WEEK, today=TODAY, worksite_id=site).lanes
        bases = {
            k[2]: b
            for k, b in schedules._BASES.items()
            if k[2] in kept and k[3] in {lane.placement_ids[0] for lane in again}
        }
    assert bases[intern] is not kept[intern]  # the saved intern's plan was read again
    assert all(bases[o.intern_id] is kept[o.intern_id] for o in others)
    saved_lane = next(lane for lane in again if lane.intern_id == intern)
    assert any(sh.start == _at(wednesday, 16) for sh in saved_lane.shifts)

    with db.unit_of_work(factory, SYSTEM) as s:  # a closure may change every plan
        closures.add_closure(s, SYSTEM, closures.ClosureInput(NEXT_WEEK, None, "Inventory"))
    with db.read_session(factory, SYSTEM) as s:
        schedules.week_plan(s, SYSTEM, NEXT_WEEK, today=TODAY, worksite_id=site)
        after = {k[2]: b for k, b in schedules._BASES.items() if k[2] in kept}
    assert all(after[o.intern_id] is not bases[o.intern_id] for o in others)


def test_a_patterns_preview_counts_its_days_names_its_skips_and_saves_nothing(factory) -> None:
    _intern, placement, _site = _young(factory)
    saturday = NEXT_WEEK + timedelta(days=5)
    with db.unit_of_work(factory, SYSTEM) as s:
        closures.add_closure(
            s, SYSTEM, closures.ClosureInput(saturday + timedelta(days=7), None, "Inventory")
        )
    shift = ShiftInput(placement, _at(saturday, 18), _at(saturday, 20), tasks=("office_clerical",))
    data = SeriesInput(shift, ("sat",), saturday + timedelta(days=14))
    before = _count(factory, Shift), _count(factory, AuditEvent)
    with db.read_session(factory, SYSTEM) as s:
        shown = schedules.preview_series(s, SYSTEM, data, today=TODAY)
    assert shown.days == (saturday, saturday + timedelta(days=14))
    assert shown.skipped == ((saturday + timedelta(days=7), "Inventory"),)
    late = [(day, f.rule) for day, f in shown.findings if f.blocks_plan]
    assert (saturday, "US-FLSA-570.35-a6") in late and shown.blocked
    assert (_count(factory, Shift), _count(factory, AuditEvent)) == before


def test_a_whole_pattern_is_changed_from_one_of_its_shifts(factory) -> None:
    placement = _seventeen(factory)
    sunday = NEXT_WEEK + timedelta(days=6)  # a Sunday
    shift = ShiftInput(placement, _at(sunday, 10), _at(sunday, 12), tasks=("office_clerical",))
    planned = _write(
        factory,
        schedules.plan_series,
        SeriesInput(shift, ("sun",), sunday + timedelta(days=14)),
        today=TODAY,
    )
    first, *rest = planned.created
    with db.read_session(factory, SYSTEM) as s:
        data = schedules.shift_input(s, SYSTEM, first.id)
    later = replace(data, start=_at(sunday, 11), end=_at(sunday, 13, 30))
    changed = _write(factory, schedules.save_series, first.id, later, today=TODAY)
    assert [(sh.start.time(), sh.end.time()) for sh in changed.created] == [
        (time(11), time(13, 30))
    ] * 3
    assert {sh.work_date for sh in changed.created} == {sh.work_date for sh in planned.created}

    next_day = replace(
        data,
        start=_at(sunday, 11) + timedelta(days=1),
        end=_at(sunday, 13, 30) + timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="keeps its days"):
        _write(factory, schedules.save_series, first.id, next_day, today=TODAY)
    late = replace(later, tasks=("forklift",))  # HO 7: never under 18
    with pytest.raises(ValidationError, match="cannot be planned"):
        _write(factory, schedules.save_series, first.id, late, today=TODAY)
    with db.read_session(factory, SYSTEM) as s:
        kept = s.scalars(select(Shift.start_local).where(Shift.series == planned.series)).all()
    assert sorted(t.time() for t in kept) == [time(11)] * 3 and rest


def _seventeen(factory) -> int:
    """The placement of an intern aged 17 next week (no hour limits on a Sunday)."""
    with db.read_session(factory, SYSTEM) as s:
        rows = s.execute(
            select(Intern.birth_date, Placement.id)
            .join(Placement, Placement.intern_id == Intern.id)
            .order_by(Intern.id)
        ).all()
    return next(p for born, p in rows if age_on(born, NEXT_WEEK) == 17)


def test_a_pattern_starting_on_a_closure_skips_that_day(factory) -> None:
    placement = _seventeen(factory)
    sunday = NEXT_WEEK + timedelta(days=6)
    with db.unit_of_work(factory, SYSTEM) as s:
        closures.add_closure(s, SYSTEM, closures.ClosureInput(sunday, None, "Inventory"))
    shift = ShiftInput(placement, _at(sunday, 10), _at(sunday, 12), tasks=("office_clerical",))
    data = SeriesInput(shift, ("sun",), sunday + timedelta(days=7))
    with db.read_session(factory, SYSTEM) as s:
        shown = schedules.preview_series(s, SYSTEM, data, today=TODAY)
    assert shown.days == (sunday + timedelta(days=7),)
    assert shown.skipped == ((sunday, "Inventory"),)


# -- a pattern with blocked days: leave them out or override them


def _school_hours_pattern(factory) -> tuple[int, SeriesInput]:
    """A 15-year-old's hour at 10:00 on Sundays (free) and Mondays (school hours)."""
    intern, placement, _site = _young(factory)
    sunday = NEXT_WEEK + timedelta(days=6)
    shift = ShiftInput(placement, _at(sunday, 10), _at(sunday, 11), tasks=("office_clerical",))
    return intern, SeriesInput(shift, ("mon", "sun"), sunday + timedelta(days=8))


def test_a_pattern_leaves_out_the_days_a_finding_blocks_and_plans_the_rest(factory) -> None:
    _intern, data = _school_hours_pattern(factory)
    sundays = (NEXT_WEEK + timedelta(days=6), NEXT_WEEK + timedelta(days=13))
    mondays = (NEXT_WEEK + timedelta(days=7), NEXT_WEEK + timedelta(days=14))
    with db.read_session(factory, SYSTEM) as s:
        whole = schedules.preview_series(s, SYSTEM, data, today=TODAY)
        kept = schedules.preview_series(s, SYSTEM, data, today=TODAY, leave_out_blocked=True)
    assert whole.blocked and whole.blocked_days == mondays and whole.may_override
    assert kept.days == sundays and not kept.blocked
    assert [d for d, _why in kept.left_out] == list(mondays)
    assert all("school" in why for _d, why in kept.left_out)
    before = _count(factory, Shift)
    with pytest.raises(ValidationError) as refused:
        _write(factory, schedules.plan_series, data, today=TODAY)
    assert all(
        str(mondays[0]) in e.message or str(mondays[1]) in e.message for e in refused.value.errors
    )
    assert _count(factory, Shift) == before

    saved = _write(factory, schedules.plan_series, data, today=TODAY, leave_out_blocked=True)
    assert [sh.work_date for sh in saved.created] == list(sundays)
    assert saved.left_out == kept.left_out
    assert not any(f.blocks_plan for sh in saved.created for f in sh.findings)
    assert _count(factory, Shift) == before + 2


def test_a_pattern_is_saved_with_its_blocking_findings_overridden_by_one_reason(factory) -> None:
    intern, data = _school_hours_pattern(factory)
    mondays = {NEXT_WEEK + timedelta(days=7), NEXT_WEEK + timedelta(days=14)}
    reason = "The district's release-time agreement covers Monday mornings (file 31)."
    before = _count(factory, Shift), _count(factory, FindingOverride)
    with pytest.raises(ValidationError) as both:
        _write(
            factory,
            schedules.plan_series,
            data,
            today=TODAY,
            leave_out_blocked=True,
            override_reason=reason,
        )
    assert "leave_out_blocked" in both.value.by_field()
    with pytest.raises(ValidationError) as blank:
        _write(factory, schedules.plan_series, data, today=TODAY, override_reason=" ")
    assert "override_reason" in blank.value.by_field()
    assert (_count(factory, Shift), _count(factory, FindingOverride)) == before

    saved = _write(factory, schedules.plan_series, data, today=TODAY, override_reason=reason)
    assert len(saved.created) == 4 and not saved.left_out
    on_mondays = [sh for sh in saved.created if sh.work_date in mondays]
    overridden = [f for sh in on_mondays for f in sh.findings if f.decision == "override"]
    assert overridden and not any(f.blocks_plan for sh in saved.created for f in sh.findings)
    with db.read_session(factory, SYSTEM) as s:
        kept = s.scalars(
            select(FindingOverride).where(
                FindingOverride.intern_id == intern, FindingOverride.reason == reason
            )
        ).all()
        labels = set(s.scalars(select(AuditEvent.operation).where(AuditEvent.seq > 0)).all())
    assert len(kept) == len(overridden) == _count(factory, FindingOverride) - before[1]
    ids = {f"shift:{sh.id}" for sh in on_mondays}
    assert all(o.kind == "override" and o.identity.split("|")[1] in ids for o in kept)
    assert "plan recurring shifts, overriding findings" in labels


def test_a_hazardous_order_in_a_pattern_can_only_be_left_out(factory) -> None:
    _intern, data = _school_hours_pattern(factory)
    hazard = replace(data, shift=replace(data.shift, tasks=("forklift",)))
    before = _count(factory, Shift), _count(factory, FindingOverride)
    with pytest.raises(ValidationError) as refused:
        _write(factory, schedules.plan_series, hazard, today=TODAY, override_reason="We insist.")
    messages = refused.value.by_field()["override_reason"]
    sunday = NEXT_WEEK + timedelta(days=6)
    assert any(m.startswith(f"cannot be overridden ({sunday})") for m in messages)
    assert all("Leave the day out instead." in m for m in messages)
    with pytest.raises(ValidationError, match="leaves no day to plan"):
        _write(factory, schedules.plan_series, hazard, today=TODAY, leave_out_blocked=True)
    assert (_count(factory, Shift), _count(factory, FindingOverride)) == before
    viewer = Actor(Role.VIEWER, "viewer")
    with pytest.raises(PermissionDenied), db.unit_of_work(factory, viewer) as s:
        schedules.plan_series(s, viewer, data, today=TODAY, override_reason="We insist.")


def test_a_whole_pattern_takes_the_breaks_hr_changed_on_one_of_its_shifts(factory) -> None:
    placement = _seventeen(factory)
    sunday = NEXT_WEEK + timedelta(days=6)
    shift = ShiftInput(placement, _at(sunday, 9), _at(sunday, 15), tasks=("office_clerical",))
    planned = _write(
        factory,
        schedules.plan_series,
        SeriesInput(shift, ("sun",), sunday + timedelta(days=14)),
        today=TODAY,
    )
    first = planned.created[0]
    with db.read_session(factory, SYSTEM) as s:
        data = schedules.shift_input(s, SYSTEM, first.id)
    lunch = replace(data, breaks=((_at(sunday, 12), _at(sunday, 12, 30)),))
    changed = _write(factory, schedules.save_series, first.id, lunch, today=TODAY)
    assert [
        [(a.time(), b.time(), a.date() == sh.work_date) for a, b in sh.breaks]
        for sh in changed.created
    ] == [[(time(12), time(12, 30), True)]] * 3
    later = replace(lunch, start=_at(sunday, 10), end=_at(sunday, 16))
    moved = _write(factory, schedules.save_series, first.id, later, today=TODAY)
    assert all(len(sh.breaks) == 1 and sh.breaks[0][0].time() == time(12) for sh in moved.created)
