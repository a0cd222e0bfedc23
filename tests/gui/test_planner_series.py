"""The recurring-pattern dialog when a finding blocks some of its days: HR sees the
blocked days in the preview, leaves them out (the preview then lists the days kept
and those left out, with why) or plans them all overriding the findings with one
reason; a hazardous order is never offered the override. By keyboard where a user
would use one."""

from __future__ import annotations

from datetime import date, time

import pytest
from dialogs import in_dialog, saved, settle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from sqlalchemy import func, select
from test_planner import _young_lane

from internhost.core.models import FindingOverride, Shift
from internhost.gui.dialogs.shift_series import (
    BLOCKED_CHOICES,
    LEAVE_OUT,
    OVERRIDE,
    REFUSE,
    SeriesDialog,
)
from internhost.gui.ops import Ops
from internhost.gui.views.planner import PlannerView

REASON = "The district's release-time agreement covers these mornings (file 31)."


@pytest.fixture
def view(qtbot, ops: Ops) -> PlannerView:
    screen = PlannerView(ops)
    qtbot.addWidget(screen)
    screen.resize(1400, 860)
    screen.show()
    settle(screen)
    return screen


def _pattern(view: PlannerView) -> tuple[date, date]:
    """A 14–15-year-old's next week: a school day ahead and a free weekend day
    (blocked at 10:00 for school hours, allowed then)."""
    view._go(7)
    settle(view)
    _young_lane(view)
    lane = view.plan.lanes[0]
    taken = {sh.work_date for sh in lane.shifts}
    school = next(d.day for d in lane.days if d.blocked and not d.past and d.day not in taken)
    free = next(
        d.day
        for d in lane.days
        if d.day.weekday() >= 5 and d.may_work and not d.closed and d.day not in taken
    )
    return school, free


def _fill(dialog: SeriesDialog, school: date, free: date, tasks=("office_clerical",)) -> None:
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    dialog.form.set_values(
        {
            "weekdays": (names[school.weekday()], names[free.weekday()]),
            "start": time(10),
            "end": time(11),
            "first": min(school, free),
            "until": max(school, free),
            "skip_non_school_days": True,
            "tasks": tasks,
        }
    )
    dialog.ask_preview()
    settle(dialog)


def _choose(qtbot, dialog: SeriesDialog, wanted: str) -> None:
    """Pick what to do with the blocked days from the keyboard."""
    combo = dialog.decision.input("blocked").findChild(QComboBox)
    combo.setFocus()
    for _ in range(combo.count()):
        if combo.currentData() == wanted:
            break
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == wanted
    settle(dialog)


def _shifts(database, *days: date) -> int:
    return database.read(
        lambda s, _a: s.scalar(
            select(func.count()).select_from(Shift).where(Shift.work_date.in_(days))
        )
    )


def test_the_blocked_days_are_left_out_and_the_others_planned(
    qtbot, view: PlannerView, database, screenshot
) -> None:
    school, free = _pattern(view)
    before = _shifts(database, school, free)

    def fill(dialog: SeriesDialog, _form) -> None:
        assert not dialog.decision.input("blocked").isVisibleTo(dialog)  # nothing blocks yet
        _fill(dialog, school, free)
        text = dialog.preview.text()
        assert "Makes 2 shifts" in text and "blocks saving" in text, text
        chooser = dialog.decision.input("blocked")
        assert chooser.isVisibleTo(dialog)
        assert not dialog.decision.input("override_reason").isVisibleTo(dialog)
        _choose(qtbot, dialog, LEAVE_OUT)
        text = dialog.preview.text()
        assert "Makes 1 shift:" in text and "Leaves out 1 blocked day" in text, text
        assert "blocks saving" not in text and "school" in text.lower()
        screenshot(dialog, "planner-series-leave-out")

    run = saved(view.plan_series, fill)
    settle(view)
    assert [sh.work_date for sh in run.returned.created] == [free]
    assert [d for d, _why in run.returned.left_out] == [school]
    assert _shifts(database, school, free) == before + 1


def test_the_blocked_days_are_planned_with_their_findings_overridden(
    qtbot, view: PlannerView, database, screenshot
) -> None:
    school, free = _pattern(view)
    before = _shifts(database, school, free)

    def choose_override(dialog: SeriesDialog, _form) -> None:
        _fill(dialog, school, free)
        combo = dialog.decision.input("blocked").findChild(QComboBox)
        assert [combo.itemData(i) for i in range(combo.count())] == [REFUSE, LEAVE_OUT, OVERRIDE]
        assert combo.itemText(2) == BLOCKED_CHOICES[OVERRIDE]
        _choose(qtbot, dialog, OVERRIDE)
        reason = dialog.decision.input("override_reason")
        assert reason.isVisibleTo(dialog) and reason.editor().hasFocus()
        assert "overridden on saving" in dialog.preview.text()

    refused = in_dialog(view.plan_series, choose_override)
    assert not refused.saved and refused.errors["override_reason"] == "Is required"
    assert _shifts(database, school, free) == before

    def fill(dialog: SeriesDialog, form) -> None:
        choose_override(dialog, form)
        qtbot.keyClicks(dialog.decision.input("override_reason").editor(), REASON)
        screenshot(dialog, "planner-series-override")

    run = saved(view.plan_series, fill)
    settle(view)
    created = run.returned.created
    assert sorted(sh.work_date for sh in created) == sorted([school, free])
    on_school = next(sh for sh in created if sh.work_date == school)
    assert any(f.decision == "override" for f in on_school.findings)
    assert not any(f.blocks_plan for sh in created for f in sh.findings)
    kept = database.read(
        lambda s, _a: s.scalars(
            select(FindingOverride.identity).where(FindingOverride.reason == REASON)
        ).all()
    )
    assert kept and all(f"shift:{on_school.id}|" in identity for identity in kept)


def test_a_hazardous_order_is_never_offered_the_override(qtbot, view: PlannerView) -> None:
    school, free = _pattern(view)

    def fill(dialog: SeriesDialog, _form) -> None:
        _fill(dialog, school, free, tasks=("forklift",))
        combo = dialog.decision.input("blocked").findChild(QComboBox)
        assert combo.isVisibleTo(dialog)
        assert [combo.itemData(i) for i in range(combo.count())] == [REFUSE, LEAVE_OUT]
        _choose(qtbot, dialog, LEAVE_OUT)
        assert "leaves no day to plan" in dialog.preview.text()

    refused = in_dialog(view.plan_series, fill)
    assert not refused.saved and refused.errors["blocked"].startswith("Leaves no day to plan")
