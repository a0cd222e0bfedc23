"""A planned shift's breaks in the planner's side panel: HR draws a long weekend
shift for a 15-year-old, sees the meal-period finding, adds a break from the
keyboard and sees it go, moves the break, saves, and removes it again."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from dialogs import settle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from sqlalchemy import select
from test_planner import LEFT, _point, _young_lane

from internhost.core.models import Shift, WorkBreak
from internhost.gui.database import Database
from internhost.gui.ops import Ops
from internhost.gui.views.planner import PlannerView
from internhost.gui.widgets.shift_details import break_at, on_shift


@pytest.fixture
def view(qtbot, ops: Ops) -> PlannerView:
    screen = PlannerView(ops)
    qtbot.addWidget(screen)
    screen.resize(1400, 900)
    screen.show()
    settle(screen)
    return screen


def _meal(view: PlannerView, key: str) -> list:
    return [f for f in view.view.findings_of(key) if f.category == "meal_break"]


def _stored_breaks(database: Database, shift_id: int) -> list[tuple[datetime, datetime]]:
    return database.read(
        lambda s, _a: [
            (b.start_local, b.end_local)
            for b in s.scalars(
                select(WorkBreak)
                .where(WorkBreak.shift_id == shift_id)
                .order_by(WorkBreak.start_local)
            )
        ]
    )


def test_a_break_added_in_the_panel_clears_the_meal_finding_and_is_saved(
    qtbot, view: PlannerView, database: Database, screenshot
) -> None:
    view._go(7)
    settle(view)
    _young_lane(view)
    lane = view.plan.lanes[0]
    taken = {sh.work_date for sh in lane.shifts}
    day = next(
        n
        for n, d in enumerate(lane.days)
        if d.day.weekday() >= 5 and d.may_work and not d.closed and d.day not in taken
    )
    week = view.view
    qtbot.mousePress(week, LEFT, pos=_point(week, 0, day, time(9)))
    qtbot.mouseMove(week, _point(week, 0, day, time(15)))
    qtbot.mouseRelease(week, LEFT, pos=_point(week, 0, day, time(15)))
    settle(view)
    key = week.current
    assert key is not None and _meal(view, key), week.findings_of(key)
    panel = view.shift_details
    assert panel.breaks.isVisible() and panel.breaks.value() == ()

    add = panel.breaks.findChild(QPushButton, "addRow")
    add.setFocus()
    qtbot.keyClick(add, Qt.Key.Key_Space)
    settle(view)
    start, end = week.drafts[key].start, week.drafts[key].end
    assert week.drafts[key].current_details().breaks == (break_at(start, end),)
    assert panel.breaks.value() == ((time(11, 45), time(12, 15)),)
    assert not _meal(view, key), "the live check repainted without the meal finding"
    screenshot(view, "planner-breaks")

    # a break after the shift is refused live, naming the break; fixed by typing
    table = panel.breaks.table
    table.item(0, 0).setText("3:30 PM")
    table.item(0, 1).setText("4:00 PM")
    settle(view)
    assert "not inside the shift" in view.problem.text()
    table.item(0, 0).setText("12:00")
    table.item(0, 1).setText("12:30")
    settle(view)
    assert not view.problem.text() and not _meal(view, key)
    table.item(0, 1).setText("noon-ish")
    assert panel.breaks_problem.isVisible() and "Row 1" in panel.breaks_problem.text()
    table.item(0, 1).setText("12:30 PM")
    assert not panel.breaks_problem.isVisible()

    view.view.setFocus()
    qtbot.keyClick(view.view, Qt.Key.Key_Return)  # save
    settle(view)
    shift_id = database.read(
        lambda s, _a: s.scalar(
            select(Shift.id).where(Shift.start_local == start, Shift.end_local == end)
        )
    )
    lunch = (on_shift(start, time(12)), on_shift(start, time(12, 30)))
    assert shift_id is not None and _stored_breaks(database, shift_id) == [lunch]

    # the stored shift shows its break; removing it brings the finding back
    saved_key = f"shift:{shift_id}"
    view.view.select(saved_key)
    settle(view)
    assert panel.breaks.value() == ((time(12), time(12, 30)),)
    table.selectRow(0)
    panel.breaks.findChild(QPushButton, "removeRow").click()
    settle(view)
    assert view.view.drafts[saved_key].current_details().breaks == ()
    assert _meal(view, saved_key)
