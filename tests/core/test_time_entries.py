"""Logged hours typed by HR or a mentor: what is refused (naming the field), what is
stored, and that a violation is a finding, never a refusal."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest
from hourskit import TODAY, HoursWorld, build
from sqlalchemy import func, select

from internhost.core.actor import SYSTEM
from internhost.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from internhost.core.models import AuditEvent, Finding, PayPeriod, TimeEntry, WorkBreak
from internhost.core.services import time_entries as te
from internhost.core.services.time_entries import BreakInput, TaskInput, TimeEntryInput
from internhost.core.storage import db

DAY = date(2025, 10, 14)  # a Tuesday


@pytest.fixture
def w(factory) -> HoursWorld:
    return build(factory)


def entry(w: HoursWorld, who: str = "Ruiz", **changes) -> TimeEntryInput:
    base = TimeEntryInput(
        placement_id=w.placements[who],
        work_date=DAY,
        start=time(15, 30),
        end=time(17, 30),
        area_id=w.office,
        supervisor_staff_id=w.supervisor,
    )
    return replace(base, **changes)


def fields(exc: ValidationError) -> dict[str, list[str]]:
    return exc.by_field()


def count(w: HoursWorld, model=TimeEntry) -> int:
    with db.read_session(w.factory, SYSTEM) as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_hr_logs_an_entry_with_breaks_and_tasks(w: HoursWorld) -> None:
    data = entry(
        w,
        start=time(8),
        end=time(16),
        area_id=w.floor,
        breaks=(BreakInput(time(12), time(12, 30)),),
        tasks=(TaskInput("punch_press", w.press, 30),),
        note="Covered the late shift.",
    )
    row = w.call(w.hr, te.save_time_entry, data, today=TODAY)
    assert (row.start, row.end) == (datetime(2025, 10, 14, 8), datetime(2025, 10, 14, 16))
    assert row.break_minutes == 30 and row.hours == 7.5
    assert row.supervisor == "Sam Super" and row.area == "Floor"
    assert row.tasks == ("Punch press (Punch press 2, 30 min)",)
    assert row.entered_by == "Hr" and row.source == "manual" and not row.approved
    # A 17-year-old on a power press: the hazardous order is a finding, not a refusal.
    assert any("press" in f.casefold() for f in row.findings), row.findings
    with db.read_session(w.factory, SYSTEM) as s:
        stored = s.get(TimeEntry, row.id)
        assert stored is not None and stored.entered_by == w.hr.user_id
        assert s.scalar(select(func.count()).where(Finding.time_entry_id == row.id))
    assert w.call(w.hr, te.time_entry_input, row.id) == replace(
        data, supervisor_name="", out_date=None
    )


def test_a_violation_never_refuses_an_entry(w: HoursWorld) -> None:
    """Eleven hours straight without a meal: stored, with the meal findings."""
    row = w.call(w.hr, te.save_time_entry, entry(w, start=time(6), end=time(17)), today=TODAY)
    assert row.hours == 11
    assert any("meal" in f.casefold() for f in row.findings), row.findings


def test_a_clock_deducted_break_is_not_worked_and_is_no_meal_period(w: HoursWorld) -> None:
    data = entry(w, start=time(7), end=time(15, 30), auto_break_minutes=30)
    row = w.call(w.hr, te.save_time_entry, data, today=TODAY)
    assert row.hours == 8 and row.auto_break_minutes == 30 and row.break_minutes == 0
    meal = [f for f in row.findings if "meal" in f.casefold()]
    assert meal and any("deducted" in f for f in meal), row.findings


def test_a_shift_past_midnight_needs_its_out_date(w: HoursWorld) -> None:
    with pytest.raises(ValidationError) as caught:
        w.call(w.hr, te.save_time_entry, entry(w, start=time(22), end=time(2)), today=TODAY)
    assert "out date" in fields(caught.value)["end"][0]
    data = entry(
        w,
        start=time(22),
        end=time(2),
        out_date=date(2025, 10, 15),
        breaks=(BreakInput(time(0, 30), time(1)),),
    )
    row = w.call(w.hr, te.save_time_entry, data, today=TODAY)
    assert row.end == datetime(2025, 10, 15, 2) and row.hours == 3.5


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"work_date": date(2025, 10, 16)}, "work_date", "after today"),
        ({"work_date": date(2025, 8, 1)}, "work_date", "outside the placement"),
        ({"end": time(15)}, "end", "not after the in-time"),
        ({"out_date": date(2025, 10, 20)}, "out_date", "not the work date or the day after"),
        ({"breaks": (BreakInput(time(18), time(18, 30)),)}, "breaks[0]", "not inside"),
        (
            {"breaks": (BreakInput(time(16), time(16, 30)), BreakInput(time(16, 15), time(17)))},
            "breaks[1]",
            "overlaps",
        ),
        ({"auto_break_minutes": 120}, "auto_break_minutes", "no time worked"),
        ({"auto_break_minutes": 0}, "auto_break_minutes", "below 1"),
        ({"tasks": (TaskInput("juggling"),)}, "tasks[0].task_key", "not a task"),
        ({"tasks": (TaskInput("office_clerical", 10**6),)}, "tasks[0].equipment_id", "no machine"),
        ({"tasks": (TaskInput("office_clerical", None, 500),)}, "tasks[0].minutes", "more than"),
        ({"area_id": 10**6}, "area_id", "no area"),
        ({"supervisor_staff_id": 10**6}, "supervisor_staff_id", "no staff"),
        ({"placement_id": 10**6}, "placement_id", "no placement"),
        ({"supervisor_name": "Sam\x00"}, "supervisor_name", "control"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    w: HoursWorld, changes: dict, field: str, words: str
) -> None:
    before = count(w, AuditEvent)
    with pytest.raises(ValidationError) as caught:
        w.call(w.hr, te.save_time_entry, entry(w, **changes), today=TODAY)
    problems = fields(caught.value)
    assert field in problems, problems
    assert any(words in m for m in problems[field]), problems
    assert count(w) == 0 and count(w, AuditEvent) == before


def test_a_draft_placement_takes_no_hours(w: HoursWorld) -> None:
    with pytest.raises(ValidationError) as caught:
        w.call(w.hr, te.save_time_entry, entry(w, "Draft"), today=TODAY)
    assert "draft" in fields(caught.value)["placement_id"][0]


def test_entries_of_one_intern_may_touch_but_not_overlap(w: HoursWorld) -> None:
    w.call(w.hr, te.save_time_entry, entry(w), today=TODAY)
    touching = entry(w, start=time(17, 30), end=time(19))
    w.call(w.hr, te.save_time_entry, touching, today=TODAY)
    with pytest.raises(ValidationError) as caught:
        w.call(w.hr, te.save_time_entry, entry(w, start=time(17), end=time(18)), today=TODAY)
    assert "2025-10-14 15:30–17:30" in fields(caught.value)["start"][0]
    # Another intern at the same time is no clash; an edit does not clash with itself.
    w.call(w.hr, te.save_time_entry, entry(w, "Okafor"), today=TODAY)
    first = w.call(w.hr, te.list_time_entries, w.interns["Ruiz"])[-1]
    w.call(w.hr, te.save_time_entry, entry(w, end=time(17)), first.id, today=TODAY)
    assert count(w) == 3


def test_a_closed_pay_period_refuses_new_entries_and_changes(w: HoursWorld) -> None:
    row = w.call(w.hr, te.save_time_entry, entry(w), today=TODAY)
    with db.unit_of_work(w.factory, SYSTEM) as s:
        s.add(
            PayPeriod(
                start_date=date(2025, 10, 12),
                end_date=date(2025, 10, 18),
                closed_at=datetime.now(UTC),
            )
        )
    with pytest.raises(ValidationError) as caught:
        w.call(w.hr, te.save_time_entry, entry(w, start=time(18), end=time(19)), today=TODAY)
    assert "closed" in fields(caught.value)["work_date"][0]
    with pytest.raises(Conflict, match="closed"):
        w.call(w.hr, te.save_time_entry, entry(w, end=time(17)), row.id, today=TODAY)
    with pytest.raises(Conflict):
        w.call(w.hr, te.delete_time_entry, row.id, today=TODAY)


def test_a_mentor_logs_for_their_own_interns_only(w: HoursWorld) -> None:
    row = w.call(w.mentor, te.save_time_entry, entry(w), today=TODAY)
    assert row.entered_by == "Mentor"
    with pytest.raises(ValidationError) as caught:
        w.call(w.mentor, te.save_time_entry, entry(w, "Lee"), today=TODAY)
    assert "placement_id" in fields(caught.value)
    with pytest.raises(NotFound):
        w.call(w.other_mentor, te.save_time_entry, entry(w), row.id, today=TODAY)
    with pytest.raises(PermissionDenied):
        w.call(w.viewer, te.save_time_entry, entry(w, start=time(18), end=time(19)), today=TODAY)
    assert [r.id for r in w.call(w.viewer, te.list_time_entries, w.interns["Ruiz"])] == [row.id]
    assert w.call(w.other_mentor, te.list_time_entries, w.interns["Ruiz"]) == []


def test_an_approved_entry_is_read_only_to_mentors_and_hr_corrects_it_with_a_reason(
    w: HoursWorld,
) -> None:
    row = w.call(w.mentor, te.save_time_entry, entry(w), today=TODAY)
    with db.unit_of_work(w.factory, SYSTEM) as s:
        stored = s.get(TimeEntry, row.id)
        stored.approved_at, stored.approved_by = datetime.now(UTC), w.hr.user_id
    with pytest.raises(PermissionDenied, match="approved"):
        w.call(w.mentor, te.save_time_entry, entry(w, end=time(17)), row.id, today=TODAY)
    with pytest.raises(PermissionDenied):
        w.call(w.mentor, te.delete_time_entry, row.id, today=TODAY)
    with pytest.raises(ValidationError) as caught:
        w.call(w.hr, te.save_time_entry, entry(w, end=time(17)), row.id, today=TODAY)
    assert "reason" in fields(caught.value)
    fixed = w.call(
        w.hr, te.save_time_entry, entry(w, end=time(17)), row.id, today=TODAY, reason="Left early"
    )
    assert fixed.hours == 1.5 and fixed.approved
    with db.read_session(w.factory, SYSTEM) as s:
        event = s.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
        assert "Left early" in event.operation


def test_deleting_an_entry_removes_its_breaks_and_findings(w: HoursWorld) -> None:
    data = entry(w, start=time(6), end=time(17), breaks=(BreakInput(time(9), time(9, 10)),))
    row = w.call(w.hr, te.save_time_entry, data, today=TODAY)
    assert row.findings
    w.call(w.hr, te.delete_time_entry, row.id, today=TODAY)
    assert count(w) == 0 and count(w, WorkBreak) == 0 and count(w, Finding) == 0


def test_the_dialog_choices_follow_the_placement(w: HoursWorld) -> None:
    choices = w.call(w.mentor, te.time_entry_choices, w.interns["Ruiz"])
    assert [p.id for p in choices.placements] == [w.placements["Ruiz"]]
    assert {a.label for a in choices.areas[w.placements["Ruiz"]]} == {"Office", "Floor"}
    assert [m.label for m in choices.equipment[w.placements["Ruiz"]]] == ["Punch press 2"]
    assert "Sam Super" in {m.label for m in choices.supervisors}
    assert choices.tasks
    with pytest.raises(NotFound):
        w.call(w.mentor, te.time_entry_choices, w.interns["Lee"])
    with pytest.raises(PermissionDenied):
        w.call(w.viewer, te.time_entry_choices, w.interns["Ruiz"])
