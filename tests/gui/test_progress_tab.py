"""The intern's Progress tab (ratings over time, goals, evaluations, check-ins, site
visits, completion) and its evaluation dialog, used by keyboard alone."""

from __future__ import annotations

from typing import Any

from dialogs import in_dialog
from interns_kit import read_on_worker
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLineEdit
from screens import progress_tab
from sqlalchemy import select

from internhost.core.actor import SYSTEM
from internhost.core.models import Evaluation, Placement
from internhost.core.services import accounts, evaluations, frameworks, progress
from internhost.core.storage import db
from internhost.gui.dialogs.evaluation import EvaluationForm, evaluation_dialog


def _evaluated_intern(database: Any) -> int:
    with db.read_session(database.factory, SYSTEM) as s:
        intern = s.scalar(
            select(Placement.intern_id)
            .join(Evaluation, Evaluation.placement_id == Placement.id)
            .where(Placement.status == "active")
            .order_by(Placement.intern_id)
            .limit(1)
        )
    assert intern is not None
    return intern


def test_the_tab_shows_ratings_goals_evaluations_and_check_ins(
    qtbot: Any, ops: Any, database: Any, screenshot: Any
) -> None:
    tab = progress_tab(qtbot, ops, _evaluated_intern(database))
    data = tab.data
    assert data is not None and data.evaluations and data.goals
    rated = {r.competency for e in data.evaluations for r in e.ratings}
    assert set(tab.chart.lines) == rated
    assert tab.goals.rowCount() == len(data.goals)
    assert tab.evaluations.rowCount() == len(data.evaluations)
    assert f"{data.check_ins} check-ins" in tab.summary.text()
    # HR may do everything here.
    assert tab.evaluate_button.isVisible() and tab.goal_button.isVisible()
    assert tab.visit_action.isVisible() and tab.end_action.isVisible()
    screenshot(tab, "progress-tab")


def test_a_viewer_reads_the_tab_without_buttons(
    qtbot: Any, database: Any, ops_for: Any, screenshot: Any
) -> None:
    from internhost.gui.database import Database

    intern = _evaluated_intern(database)
    with db.read_session(database.factory, SYSTEM) as s:
        viewer = next(
            accounts.actor_for(r) for r in accounts.list_accounts(s, SYSTEM) if r.role == "viewer"
        )
    handle = Database.open(database.path, viewer, database.today)
    try:
        ops = ops_for(handle)
        tab = progress_tab(qtbot, ops, intern)
        assert tab.data is not None and not tab.data.may
        assert not tab.evaluate_button.isVisible() and not tab.more_button.isVisible()
        assert not tab.letter_button.isVisible()  # a viewer writes no reference letter
        assert tab.evaluations.rowCount() == len(tab.data.evaluations)
        ops.runner.settle()
    finally:
        handle.close()


def _focus(dialog: Any, name: str, most: int = 20) -> None:
    """Tab until the widget named ``name`` has the focus (as a user would)."""
    for _ in range(most):
        focused = dialog.focusWidget()
        assert focused is not None
        if focused.objectName() == name:
            return
        QTest.keyClick(focused, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {name} (at {dialog.focusWidget()!r})")


def test_an_evaluation_is_written_by_keyboard_alone(
    qtbot: Any, ops: Any, database: Any, screenshot: Any
) -> None:
    intern = _evaluated_intern(database)
    data = read_on_worker(ops, progress.intern_progress, intern, ops.today())
    rows = read_on_worker(ops, evaluations.evaluation_frameworks)
    form = EvaluationForm(data, rows)
    dialog = evaluation_dialog(None, ops, form, rows, data, None, "New evaluation")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    framework = next(r for r in rows if r.id == form.input("framework_id").value())
    first, *rest = framework.active_competencies
    _focus(dialog, f"level_{first.key}")
    for competency, level in ((first, "3"), *((c, "2") for c in rest)):
        focused = dialog.focusWidget()
        assert isinstance(focused, QComboBox) and focused.objectName() == f"level_{competency.key}"
        QTest.keyClicks(focused, level)  # a digit picks the level
        QTest.keyClick(focused, Qt.Key.Key_Tab)
        evidence = dialog.focusWidget()
        assert isinstance(evidence, QLineEdit)
        assert evidence.objectName() == f"evidence_{competency.key}"
        QTest.keyClicks(evidence, f"Seen at the press: {competency.name}")
        QTest.keyClick(evidence, Qt.Key.Key_Tab)
    screenshot(dialog, "evaluation-dialog")
    QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert ops.runner.settle()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    saved = dialog.result_value
    assert saved is not None and saved.kind == "progress"
    assert [r.level for r in saved.ratings] == [3] + [2] * len(rest)
    assert saved.ratings[0].evidence == f"Seen at the press: {first.name}"


def test_a_level_above_the_scale_is_refused_beside_the_rubric(
    qtbot: Any, ops: Any, database: Any
) -> None:
    tab = progress_tab(qtbot, ops, _evaluated_intern(database))

    def too_high(dialog: Any, form: Any) -> None:
        framework = read_on_worker(
            ops, frameworks.framework_row, form.input("framework_id").value()
        )
        level = form.rubric.rows[0][1]
        level.addItem("9", framework.scale_max + 5)  # as if a stale form offered it
        level.setCurrentIndex(level.count() - 1)

    run = in_dialog(tab.evaluate_button.click, too_high)
    assert not run.saved and "may not be more than" in run.errors["ratings"], run


def test_hr_edits_a_framework_and_adds_a_competency(
    qtbot: Any, ops: Any, database: Any, screenshot: Any
) -> None:
    from internhost.gui.dialogs.frameworks import FrameworksDialog

    dialog = FrameworksDialog(ops)
    qtbot.addWidget(dialog)
    dialog.show()
    assert ops.runner.settle()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)
    screenshot(dialog, "frameworks-dialog")
    technical = next(
        i
        for i in range(dialog.model.rowCount())
        if dialog.model.row_at(i).key == "il-mfg-technical"
    )
    dialog.table.selectRow(technical)

    def add_one(editor: Any, form: Any) -> None:
        assert not form.input("version").isEnabled()  # a shipped framework keeps it
        table = form.input("competencies")
        table.add_row(("quality_inspection", "Quality inspection", "Shop", False, None))
        screenshot(editor, "framework-editor")

    run = in_dialog(dialog.edit, add_one)
    assert run.saved, (run.errors, run.banner)
    row = read_on_worker(ops, frameworks.framework_row, dialog.model.row_at(technical).id)
    assert "Quality inspection" in {c.name for c in row.competencies}
    assert row.edited_at is not None and row.version == "2024.9"


def test_the_goal_site_visit_and_ending_dialogs_save(
    qtbot: Any, ops: Any, database: Any, screenshot: Any
) -> None:
    tab = progress_tab(qtbot, ops, _evaluated_intern(database))

    def goal(dialog: Any, form: Any) -> None:
        form.input("title").set_value("Set up the press brake with the mentor watching")
        form.input("target_date").set_value(ops.today())
        screenshot(dialog, "goal-dialog")

    assert in_dialog(tab.add_goal, goal).saved
    assert tab.visit_action.isVisible() and tab.end_action.isVisible()  # HR's, under More

    def visit(dialog: Any, form: Any) -> None:
        form.input("visitor").set_value("Ms. Hale, school coordinator")
        form.input("notes").set_value("Saw the intern run the press; talked with the mentor.")
        screenshot(dialog, "site-visit-dialog")

    assert in_dialog(tab.add_visit, visit).saved

    def early(dialog: Any, form: Any) -> None:
        form.input("kind").set_value("terminated")
        assert not form.input("exit_reflection").isVisibleTo(dialog)
        form.input("termination_reason").set_value("Repeated safety violations after retraining.")
        form.input("concerns_notice_sent_on").set_value(ops.today())
        screenshot(dialog, "end-placement-dialog")

    run = in_dialog(tab.end, early)
    assert run.saved, (run.errors, run.banner)
    assert ops.runner.settle()
    qtbot.waitUntil(lambda: tab.data is not None and bool(tab.data.outcomes))
    assert "Ended early" in tab.completion.text()
    assert {p.status for p in tab.data.placements} >= {"terminated"}
    assert tab.goals.rowCount() == len(tab.data.goals) and tab.visits.rowCount() == 1
    screenshot(tab, "progress-tab-ended")


def test_next_steps_are_an_editable_list_and_enter_adds_one(qtbot: Any) -> None:
    from internhost.core.services import outcomes
    from internhost.gui.dialogs.outcome import StepsInput

    steps = StepsInput(outcomes.next_step_choices())
    qtbot.addWidget(steps)
    steps.set_value(("Dual credit",))
    qtbot.keyClicks(steps.other, "Machining certificate")
    qtbot.keyClick(steps.other, Qt.Key.Key_Return)
    assert steps.value() == ("Dual credit", "Machining certificate")
    assert steps.other.text() == ""
    steps.set_value(("Job offer",))
    assert steps.value() == ("Job offer",)


def test_a_mentor_evaluates_and_writes_goals_but_not_endings(
    qtbot: Any, database: Any, ops_for: Any
) -> None:
    from internhost.gui.database import Database

    with db.read_session(database.factory, SYSTEM) as s:
        mentor = next(
            accounts.actor_for(r) for r in accounts.list_accounts(s, SYSTEM) if r.role == "mentor"
        )
        intern = s.scalar(
            select(Placement.intern_id)
            .where(Placement.mentor_id == mentor.staff_id)
            .order_by(Placement.intern_id)
            .limit(1)
        )
    handle = Database.open(database.path, mentor, database.today)
    try:
        ops = ops_for(handle)
        tab = progress_tab(qtbot, ops, intern)
        assert tab.evaluate_button.isVisible() and tab.goal_button.isVisible()
        assert not tab.visit_action.isVisible() and not tab.end_action.isVisible()
        assert tab.notes_action.isVisible()  # closing notes, once HR recorded the end
        ops.runner.settle()
    finally:
        handle.close()
