"""The schedule planner screen: HR draws a shift, sees the violation painted on it
and explained, is refused on saving with how to fix it, fixes it by keyboard and
saves; a mentor reads the week only. The screen reads and checks on the database
worker: the tests wait for the answers (``settle``)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from dialogs import settle
from PySide6.QtCore import QPoint, Qt
from sqlalchemy import func, select

from internhost.core.actor import Actor, Role
from internhost.core.models import Placement, Shift
from internhost.gui.database import Database
from internhost.gui.ops import Ops
from internhost.gui.views.planner import PlannerView
from internhost.gui.widgets.week_view import WeekView, summary

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def view(qtbot, ops: Ops) -> PlannerView:
    screen = PlannerView(ops)
    qtbot.addWidget(screen)
    screen.resize(1400, 800)
    screen.show()
    settle(screen)
    return screen


def _young_lane(view: PlannerView) -> tuple[int, int]:
    """A 14–15-year-old with a school day ahead free of shifts: lane and day index."""
    for mode in ("intern",):
        assert view.mode.currentData() == mode
    for index in range(view.subject.count()):
        view.subject.setCurrentIndex(index)
        settle(view)
        lane = view.plan.lanes[0] if view.plan and view.plan.lanes else None
        if lane is None or lane.age_band != "14–15":
            continue
        taken = {sh.work_date for sh in lane.shifts}
        for n, day in enumerate(lane.days):
            if day.blocked and not day.past and day.day not in taken and not day.closed:
                return 0, n
    raise AssertionError("no 14–15-year-old with a free school day ahead")


def _point(week: WeekView, lane: int, day: int, at: time) -> QPoint:
    cell = week._cell(lane, day)
    minutes = at.hour * 60 + at.minute - 6 * 60
    return QPoint(int(week._x(cell, minutes)) + 1, int(cell.center().y()))


def _shifts(database: Database) -> int:
    return database.read(lambda s, _a: s.scalar(select(func.count()).select_from(Shift)))


def test_draw_a_shift_see_the_violation_fix_it(
    qtbot, view: PlannerView, database, screenshot
) -> None:
    view._go(7)  # next week: every school day ahead
    settle(view)
    lane, day = _young_lane(view)
    week = view.view
    qtbot.mousePress(week, LEFT, pos=_point(week, lane, day, time(18)))
    qtbot.mouseMove(week, _point(week, lane, day, time(19)))
    qtbot.mouseMove(week, _point(week, lane, day, time(20)))
    qtbot.mouseRelease(week, LEFT, pos=_point(week, lane, day, time(20)))
    settle(view)
    key = week.current
    assert key is not None and key in week.drafts
    assert (week.drafts[key].start.time(), week.drafts[key].end.time()) == (time(18), time(20))
    findings = week.findings_of(key)
    assert any(f.blocks_plan and f.severity == "violation" for f in findings)
    assert summary(findings).startswith("✖")  # a symbol and words on the shift
    panel = view.details.text()
    assert "7 p.m." in panel and "blocks saving" in panel and "29 CFR 570.35(a)(6)" in panel
    screenshot(view, "planner-violation")

    before = _shifts(database)
    qtbot.mouseClick(view.save_button, LEFT)
    settle(view)
    assert "cannot be planned" in view.problem.text() and "7 p.m." in view.problem.text()
    assert _shifts(database) == before and key in week.drafts

    week.setFocus()
    for _ in range(5):  # 45 minutes, as school and work may add up to: 18:00-18:45
        qtbot.keyClick(week, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    for _ in range(10):  # the whole shift two and a half hours earlier: 15:30-16:15
        qtbot.keyClick(week, Qt.Key.Key_Left)
    settle(view)
    draft = week.drafts[key]
    assert (draft.start.time(), draft.end.time()) == (time(15, 30), time(16, 15))
    blocking = [(f.rule, f.message) for f in week.findings_of(key) if f.blocks_plan]
    assert not blocking
    qtbot.keyClick(week, Qt.Key.Key_Return)
    settle(view)
    assert _shifts(database) == before + 1 and not week.drafts
    saved = view.plan.lanes[0].shifts
    assert any(
        (sh.start, sh.end) == (datetime.combine(draft.start.date(), time(15, 30)), draft.end)
        for sh in saved
    )


def test_a_mentor_reads_the_week_and_cannot_draw(qtbot, database, ops_for, demo_path) -> None:
    mentor_staff = database.read(
        lambda s, _a: s.scalar(select(Placement.mentor_id).where(Placement.mentor_id.is_not(None)))
    )
    mentor = Actor(Role.MENTOR, "mentor", staff_id=mentor_staff)
    handle = Database.open(demo_path, mentor, lambda: date(2026, 11, 20))
    try:
        ops = ops_for(handle)
        screen = PlannerView(ops)
        qtbot.addWidget(screen)
        screen.resize(1200, 700)
        screen.show()
        settle(screen)
        assert screen.plan is not None and not screen.plan.can_edit
        assert not screen.save_button.isVisible()
        week = screen.view
        qtbot.mousePress(week, LEFT, pos=_point(week, 0, 2, time(10)))
        qtbot.mouseRelease(week, LEFT, pos=_point(week, 0, 2, time(12)))
        assert not week.drafts
        assert all(lane.rule_change_on is None for lane in screen.plan.lanes)
        ops.runner.settle()
    finally:
        ops.runner.settle()
        ops.runner.wait()
        handle.close()


def test_the_worksite_week_shows_every_intern_placed_there(
    qtbot, view: PlannerView, screenshot
) -> None:
    view.mode.setCurrentIndex(view.mode.findData("worksite"))
    settle(view)
    screenshot(view, "planner-worksite")
    assert view.plan is not None and len(view.plan.lanes) > 1
    assert view.view.height() >= 40 + len(view.plan.lanes) * 66
    view.view.setFocus()
    qtbot.keyClick(view.view, Qt.Key.Key_Tab)
    assert view.view.current is not None
    assert view.heading.text() != "Select a shift to see its findings."
