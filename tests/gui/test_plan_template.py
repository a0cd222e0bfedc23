"""The Onboarding plan screen: HR edits the template's steps (phase, step, owner, due
relative to the start), saves, reverts and resets; errors show under the table by
row; other roles read the steps only. The gallery pictures the screen (plan-*.png).
It reads and saves on the database worker: the tests wait for the answers (``settle``)."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from dialogs import Calls, settle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy import func, select

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.models import AuditEvent, PlanTemplateItem
from internhost.core.services import plans
from internhost.gui.database import Database
from internhost.gui.ops import Ops
from internhost.gui.views.plan_template import PlanTemplateView
from internhost.gui.widgets import fields

SAMPLE_TODAY = date(2026, 11, 20)
LEFT = Qt.MouseButton.LeftButton
TITLE, OWNER, DUE = 1, 2, 3


@pytest.fixture
def view(qtbot, ops: Ops) -> PlanTemplateView:
    screen = PlanTemplateView(ops)
    qtbot.addWidget(screen)
    screen.resize(1100, 760)
    screen.show()
    settle(screen)
    return screen


def stored(database: Database) -> list[tuple]:
    def read(s, _actor):
        items = s.scalars(select(PlanTemplateItem).order_by(PlanTemplateItem.position))
        return [(i.phase, i.title, i.owner_role, i.due_offset_days) for i in items]

    return database.read(read)


def audit_count(database: Database) -> int:
    return database.read(lambda s, _a: s.scalar(select(func.count()).select_from(AuditEvent)))


def set_title(view: PlanTemplateView, row: int, text: str) -> None:
    view.steps.table.item(row, TITLE).setText(text)


def click(qtbot, widget) -> None:
    """Click, and wait for what the click asked of the database worker."""
    assert widget.isVisible() and widget.isEnabled(), widget.text()
    qtbot.mouseClick(widget, LEFT)
    settle(widget.window())


def test_hr_edits_a_step_and_saves_it(qtbot, view: PlanTemplateView, database, screenshot):
    before = stored(database)
    assert view.steps.table.rowCount() == len(before) == 13
    assert view.count.text() == "13 steps · 6 before day one, 4 day one, 3 first weeks"
    assert not view.save_button.isEnabled() and not view.revert_button.isEnabled()
    due = view.steps.table.cellWidget(0, DUE)
    assert due.text() == "3 days before start"
    assert view.steps.table.cellWidget(6, DUE).text() == "on the start day"
    assert view.steps.table.cellWidget(12, DUE).text() == "10 days after start"

    set_title(view, 0, "Desk, chair and tools ready")
    owner = view.steps.table.cellWidget(0, OWNER)
    owner.setCurrentIndex(owner.findData("hr"))
    due.setValue(-4)
    assert view.dirty and view.save_button.isEnabled()
    events = audit_count(database)
    click(qtbot, view.save_button)

    after = stored(database)
    assert after[0] == ("before_day_one", "Desk, chair and tools ready", "hr", -4)
    assert after[1:] == before[1:]
    assert audit_count(database) == events + 1
    assert not view.dirty and "Saved 13 steps" in view.status.text()
    with database.reading() as s:
        assert plans.default_template(s, SYSTEM).items[0].title == "Desk, chair and tools ready"


def test_add_move_and_remove_rows(qtbot, view: PlanTemplateView, database) -> None:
    table = view.steps.table
    table.selectRow(7)  # a day-one step: the new one joins day one, below it
    click(qtbot, view.steps.findChild(type(view.save_button), "addRow"))
    assert table.rowCount() == 14 and table.currentRow() == 8
    assert table.cellWidget(8, 0).currentData() == "day_one"
    set_title(view, 8, "Locker assigned")
    click(qtbot, view.steps.findChild(type(view.save_button), "moveUp"))
    assert table.item(7, TITLE).text() == "Locker assigned"
    table.selectRow(0)
    click(qtbot, view.steps.findChild(type(view.save_button), "removeRow"))
    click(qtbot, view.save_button)
    titles = [t for _p, t, _o, _d in stored(database)]
    assert len(titles) == 13 and "Workspace and tools ready" not in titles
    assert titles[5:8] == ["Welcome and introductions", "Locker assigned", "Site tour"]


def test_errors_show_under_the_table_by_row_and_nothing_is_saved(
    qtbot, view: PlanTemplateView, database, screenshot
) -> None:
    before, events = stored(database), audit_count(database)
    set_title(view, 2, "")
    set_title(view, 4, "x" * 301)
    click(qtbot, view.save_button)
    shown = view.form.error_text("items")
    assert "Row 3, title: is required" in shown
    assert "Row 5, title: is longer than 300 characters" in shown
    assert stored(database) == before and audit_count(database) == events
    assert view.dirty and "Not saved" in view.status.text()
    screenshot(view, "plan-template-errors")
    view.revert()
    settle(view)
    assert view.form.error_text("items") == "" and not view.dirty
    assert view.steps.table.item(2, TITLE).text() == before[2][1]


def test_reset_to_default_asks_first(qtbot, view, database, monkeypatch) -> None:
    set_title(view, 0, "Changed")
    click(qtbot, view.save_button)
    answers = Calls(QMessageBox.StandardButton.No)
    monkeypatch.setattr(QMessageBox, "question", answers)
    click(qtbot, view.reset_button)
    assert stored(database)[0][1] == "Changed" and len(answers.calls) == 1
    answers.answer = QMessageBox.StandardButton.Yes
    click(qtbot, view.reset_button)
    assert stored(database)[0][1] == "Workspace and tools ready"
    assert view.steps.table.item(0, TITLE).text() == "Workspace and tools ready"


def test_showing_the_screen_again_keeps_unsaved_edits(view: PlanTemplateView) -> None:
    set_title(view, 0, "Half-way")
    view.refresh()
    assert view.steps.table.item(0, TITLE).text() == "Half-way"


def test_hr_reaches_it_from_the_sidebar(open_window, demo_path: Path, screenshot) -> None:
    window = open_window(demo_path)
    keys = [window.nav.item(r).data(Qt.ItemDataRole.UserRole) for r in range(window.nav.count())]
    window.nav.setCurrentRow(keys.index("plan"))
    view = window.stack.currentWidget()
    settle(view)
    assert isinstance(view, PlanTemplateView) and window.current_page == "plan"
    assert view.body.currentWidget() is view.form
    window.resize(1280, 800)
    screenshot(window, "plan-template")


@pytest.mark.parametrize("discard", [False, True], ids=["keep editing", "discard"])
def test_leaving_the_screen_with_unsaved_edits_asks_first(
    open_window, demo_path: Path, monkeypatch, discard: bool
) -> None:
    from internhost.gui.dialogs import base

    window = open_window(demo_path)
    keys = [window.nav.item(r).data(Qt.ItemDataRole.UserRole) for r in range(window.nav.count())]
    window.nav.setCurrentRow(keys.index("plan"))
    view = window.stack.currentWidget()
    settle(view)
    set_title(view, 0, "Half-way")
    asked: list[str] = []
    monkeypatch.setattr(
        base, "confirm_discard", lambda _parent, what="": asked.append(what) or discard
    )
    window.nav.setCurrentRow(keys.index("staff"))
    settle(view)
    assert asked == ["this screen"]
    if discard:
        assert window.current_page == "staff"
        assert view.steps.table.item(0, TITLE).text() != "Half-way" and not view.dirty
    else:
        assert window.current_page == "plan" and window.nav.currentRow() == keys.index("plan")
        assert view.steps.table.item(0, TITLE).text() == "Half-way"
    window.nav.setCurrentRow(keys.index("dashboard"))  # nothing unsaved now, or asked again
    assert len(asked) == (1 if discard else 2)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MENTOR])
def test_other_roles_read_the_steps_only(
    qtbot, demo_path: Path, role, qtmodeltester, screenshot, ops_for
) -> None:
    database = Database.open(demo_path, Actor(role, "someone", user_id=9, staff_id=1))
    try:
        view = PlanTemplateView(ops_for(database))
        qtbot.addWidget(view)
        view.resize(1100, 700)
        view.show()
        settle(view)
        screenshot(view, f"plan-template-{role.value}")
        assert view.body.currentWidget() is view.list
        qtmodeltester.check(view.model)
        assert view.model.rowCount() == 13
        row = view.model.row_at(0)
        assert (row.title, fields.days_from_start(row.due_offset_days)) == (
            "Workspace and tools ready",
            "3 days before start",
        )
        for widget in (view.save_button, view.revert_button, view.reset_button):
            assert not widget.isVisible()
    finally:
        settle(view)
        database.close()


@pytest.mark.parametrize(
    ("days", "text"),
    [
        (-3, "3 days before start"),
        (-1, "1 day before start"),
        (0, "on the start day"),
        (1, "1 day after start"),
        (10, "10 days after start"),
    ],
)
def test_due_dates_read_relative_to_the_start(days: int, text: str) -> None:
    assert fields.days_from_start(days) == text
    assert fields.parse_days_from_start(text) == days


def test_a_due_date_may_be_typed(qtbot) -> None:
    assert [fields.parse_days_from_start(t) for t in ("-4", "+2", "6 before", "start")] == [
        -4,
        2,
        -6,
        0,
    ]
    with pytest.raises(ValueError, match="not a number of days"):
        fields.parse_days_from_start("soon")
    box = fields.DaysBox()
    qtbot.addWidget(box)
    box.setRange(plans.EARLIEST_DUE, plans.LATEST_DUE)
    box.lineEdit().setText("12 days before start")
    box.interpretText()
    assert box.value() == -12 and box.text() == "12 days before start"
    box.lineEdit().setText("500 after")  # beyond the plan's range: the last good value stays
    box.interpretText()
    assert box.value() == -12


def test_a_blank_new_row_is_dropped_and_a_new_phase_sorts_the_step(
    qtbot, view: PlanTemplateView, database
) -> None:
    table = view.steps.table
    table.selectRow(12)
    click(qtbot, view.steps.findChild(type(view.save_button), "addRow"))  # left blank
    phase = table.cellWidget(0, 0)
    phase.setCurrentIndex(phase.findData("first_weeks"))
    click(qtbot, view.save_button)
    rows = stored(database)
    assert len(rows) == 13 and table.rowCount() == 13
    # It heads its new phase (the rows' order is kept within each phase).
    assert rows[9] == ("first_weeks", "Workspace and tools ready", "supervisor", -3)
    assert [p for p, *_ in rows] == ["before_day_one"] * 5 + ["day_one"] * 4 + ["first_weeks"] * 4
    assert table.item(9, TITLE).text() == "Workspace and tools ready"  # shown as stored


def test_a_new_database_shows_the_default_plan_and_saves_it(qtbot, db_path: Path, ops_for) -> None:
    database = Database.open(db_path, SYSTEM, lambda: SAMPLE_TODAY)
    try:
        view = PlanTemplateView(ops_for(database))
        qtbot.addWidget(view)
        view.show()
        assert view.status.text() == "Loading…" and not view.save_button.isEnabled()
        settle(view)
        assert view.steps.table.rowCount() == 13 and stored(database) == []
        assert "not changed yet" in view.status.text()
        set_title(view, 0, "Workspace ready")
        click(qtbot, view.save_button)
        assert stored(database)[0] == ("before_day_one", "Workspace ready", "supervisor", -3)
        assert len(stored(database)) == 13
    finally:
        settle(view)
        database.close()


def test_save_pressed_twice_saves_once(qtbot, view: PlanTemplateView, database) -> None:
    set_title(view, 0, "Once")
    events = audit_count(database)
    view.save()
    assert view.writing and not view.save_button.isEnabled()  # on the database worker
    view.save()  # a second click while the first save runs does nothing
    settle(view)
    assert audit_count(database) == events + 1 and stored(database)[0][1] == "Once"
    assert not view.writing and not view.dirty


def test_a_plan_saved_elsewhere_shows_unless_edits_are_held(
    qtbot, view: PlanTemplateView, ops, database
) -> None:
    elsewhere = QWidget()  # another screen, saving through the same ops
    qtbot.addWidget(elsewhere)

    def save_elsewhere(title: str) -> None:
        steps = list(database.read(plans.template_for_edit).steps)
        steps[1] = dataclasses.replace(steps[1], title=title)
        ops.write(elsewhere, plans.save_template, steps, changes={"plan"})
        settle(view)

    save_elsewhere("Badge printed")
    assert view.steps.table.item(1, TITLE).text() == "Badge printed"  # read again
    set_title(view, 0, "Half-way")
    save_elsewhere("Badge printed and laminated")
    assert view.steps.table.item(0, TITLE).text() == "Half-way"  # the user's edits stay
    assert view.steps.table.item(1, TITLE).text() == "Badge printed"
    view.revert()
    settle(view)
    assert view.steps.table.item(1, TITLE).text() == "Badge printed and laminated"
