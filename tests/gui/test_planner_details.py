"""The planner's shift details, overrides, recurring patterns and plant closures:
HR names an under-21 supervisor for a 14–15-year-old and sees the Illinois finding,
is refused on saving and overrides it with a reason; plans a recurring pattern and
sees the days it skips and why; adds a plant closure and sees the day hatched."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from dialogs import in_dialog, saved, settle
from PySide6.QtCore import Qt
from sqlalchemy import func, select
from test_planner import LEFT, _point, _young_lane

from internhost.core.models import FindingOverride, PlantClosure, Shift
from internhost.core.services import closures, setup
from internhost.gui.database import Database
from internhost.gui.dialogs.closures import ClosuresDialog
from internhost.gui.dialogs.shift_series import SeriesDialog, first_day
from internhost.gui.ops import Ops
from internhost.gui.views import planner as planner_module
from internhost.gui.views.planner import PlannerView

SUPERVISION = "US-IL-206-35-c"
REASON = "The shift lead (24) covers the floor; Jordan only signs the log."


@pytest.fixture
def young_staff(database: Database, sample_today: date) -> int:
    """A current staff member recorded as under 21."""
    data = setup.StaffInput(
        "Jordan", "Young", "supervisor", is_21_or_older=False, age_attested_on=sample_today
    )
    return database.write(setup.save_staff, data, today=sample_today)


@pytest.fixture
def view(qtbot, young_staff: int, ops: Ops) -> PlannerView:
    screen = PlannerView(ops)
    qtbot.addWidget(screen)
    screen.resize(1400, 860)
    screen.show()
    settle(screen)
    return screen


def _count(database: Database, stmt) -> int:
    return database.read(lambda s, _a: s.scalar(stmt))


def _draw(qtbot, view: PlannerView, lane: int, day: int, start: time, end: time) -> str:
    week = view.view
    qtbot.mousePress(week, LEFT, pos=_point(week, lane, day, start))
    qtbot.mouseMove(week, _point(week, lane, day, end))
    qtbot.mouseRelease(week, LEFT, pos=_point(week, lane, day, end))
    settle(view)
    assert week.current is not None and week.current in week.drafts
    return week.current


def test_an_under_21_supervisor_is_found_and_hr_overrides_it(
    qtbot, view: PlannerView, young_staff: int, database: Database, screenshot
) -> None:
    view._go(7)
    settle(view)
    lane, day = _young_lane(view)
    key = _draw(qtbot, view, lane, day, time(15, 30), time(16, 15))
    assert not [f for f in view.view.findings_of(key) if f.rule == SUPERVISION]
    panel = view.shift_details
    assert panel.isVisible() and panel.isEnabled()
    assert "under 21" in panel.supervisor.itemText(panel.supervisor.findData(young_staff))

    view.view.setFocus()
    qtbot.keyClick(view.view, Qt.Key.Key_F2)  # the keyboard reaches the details
    assert panel.area.hasFocus()
    panel.supervisor.setCurrentIndex(panel.supervisor.findData(young_staff))
    settle(view)
    draft = view.view.drafts[key]
    assert draft.current_details().supervisor_staff_id == young_staff
    found = [f for f in view.view.findings_of(key) if f.rule == SUPERVISION]
    assert found and found[0].blocks_plan and found[0].may_override
    assert "820 ILCS 206/35(c)" in view.details.text()
    screenshot(view, "planner-supervisor")

    shifts = select(func.count()).select_from(Shift)
    before = _count(database, shifts)
    qtbot.mouseClick(view.save_button, LEFT)
    settle(view)
    assert "cannot be planned" in view.problem.text()
    assert view.override_button.isVisible() and _count(database, shifts) == before

    refused = in_dialog(view.override, lambda d, form: None)
    assert not refused.saved and refused.errors["override_reason"] == "Is required"

    def fill(dialog, form) -> None:
        form.input("override_reason").set_value(REASON)

    run = saved(view.override, fill)
    settle(view)
    assert run.saved and _count(database, shifts) == before + 1 and key not in view.view.drafts
    row = run.returned
    assert row.supervisor_staff_id == young_staff
    assert [f.decision for f in row.findings if f.rule == SUPERVISION] == ["override"]
    reasons = database.read(
        lambda s, _a: list(
            s.scalars(select(FindingOverride.reason).where(FindingOverride.rule_id == SUPERVISION))
        )
    )
    assert reasons == [REASON]
    shown = view.view.shift(f"shift:{row.id}")
    assert shown is not None and not any(f.blocks_plan for f in shown.findings)


def test_a_recurring_pattern_shows_its_skipped_days_then_plans_them(
    qtbot, view: PlannerView, database: Database, sample_today: date, screenshot, monkeypatch
) -> None:
    plan_lane = _grown_lane(view)
    first = first_day(sample_today + timedelta(days=14), ("sun",))
    closed = first + timedelta(days=7)
    database.write(closures.add_closure, closures.ClosureInput(closed, None, "Inventory count"))

    def fill(dialog: SeriesDialog, form) -> None:
        form.set_values(
            {
                "weekdays": ("sun",),
                "start": time(10),
                "end": time(12),
                "first": first,
                "until": first + timedelta(days=21),
                "skip_non_school_days": True,
                "tasks": ("office_clerical",),
            }
        )
        dialog.ask_preview()
        settle(dialog)
        text = dialog.preview.text()
        assert "Makes 3 shifts" in text, text
        assert "Skips 1 day" in text and "Inventory count" in text, text
        screenshot(dialog, "planner-series")

    shifts = select(func.count()).select_from(Shift).where(Shift.series.is_not(None))
    before = _count(database, shifts)
    run = saved(view.plan_series, fill)
    assert run.saved, (run.errors, run.banner)
    settle(view)
    assert _count(database, shifts) == before + 3
    days = database.read(
        lambda s, _a: sorted(
            s.scalars(
                select(Shift.work_date).where(Shift.series.is_not(None), Shift.work_date >= first)
            )
        )
    )
    assert closed not in days and first in days
    assert plan_lane.intern_id == view.plan.lanes[0].intern_id

    # a quarter of an hour later, for the whole pattern ("the whole series")
    monkeypatch.setattr(planner_module, "_ask_series", lambda *_a: True)
    shift_id = database.read(
        lambda s, _a: s.scalar(
            select(Shift.id).where(Shift.series.is_not(None), Shift.work_date == first)
        )
    )
    view.show_shift(plan_lane.intern_id, shift_id, first)
    settle(view)
    assert view.view.current == f"shift:{shift_id}"
    qtbot.keyClick(view.view, Qt.Key.Key_Right)
    settle(view)
    qtbot.keyClick(view.view, Qt.Key.Key_Return)
    settle(view)
    starts = database.read(
        lambda s, _a: s.scalars(
            select(Shift.start_local).where(Shift.series.is_not(None), Shift.work_date >= first)
        ).all()
    )
    assert sorted(t.time() for t in starts) == [time(10, 15)] * 3


def _grown_lane(view: PlannerView):
    """An intern of 16 or older: their Sundays are free of the hour limits."""
    for index in range(view.subject.count()):
        view.subject.setCurrentIndex(index)
        settle(view)
        lane = view.plan.lanes[0] if view.plan and view.plan.lanes else None
        if lane is not None and lane.age_band != "14–15":
            return lane
    raise AssertionError("no intern of 16 or older")


def test_a_plant_closure_added_is_hatched_in_the_week(
    qtbot, view: PlannerView, database: Database, sample_today: date, screenshot
) -> None:
    view._go(7)
    settle(view)
    lane = view.plan.lanes[0]
    day = next(d for d in lane.days if not d.closed and not d.past)
    dialog = ClosuresDialog(view.ops, view)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(dialog)

    def fill(_dialog, form) -> None:
        form.set_values({"day": day.day, "worksite_id": None, "reason": "Power upgrade"})

    run = saved(dialog.add, fill)
    assert run.saved
    settle(dialog)
    assert any(r.day == day.day and r.reason == "Power upgrade" for r in _rows(dialog))
    screenshot(dialog, "planner-closures")
    settle(view)
    shown = next(d for d in view.plan.lanes[0].days if d.day == day.day)
    assert shown.closed == "Power upgrade"
    screenshot(view, "planner-closed-day")

    refused = in_dialog(lambda: dialog.add(), lambda d, form: form.set_values({"day": day.day}))
    assert not refused.saved and "already recorded" in refused.errors["day"]
    gone = select(func.count()).select_from(PlantClosure).where(PlantClosure.day == day.day)
    assert _count(database, gone) == 1


def _rows(dialog: ClosuresDialog) -> list:
    return [dialog.model.row_at(i) for i in range(dialog.model.rowCount())]
