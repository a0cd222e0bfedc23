"""The intern page's Plan tab: a mentor ticks their own onboarding step (and cannot
tick HR's), HR ticks any; the checklist tab lets a supervising mentor change the
supervisor's items. What the reader may do comes from the rows, never the GUI."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from sqlalchemy import select
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM, Actor
from internhost.core.models import ChecklistItem, Intern, Placement, PlanItem, Shift
from internhost.core.services import accounts
from internhost.core.storage import db
from internhost.gui.main_window import MainWindow
from internhost.gui.views.intern_detail import InternDetailPane

SIZE = QSize(1280, 800)


def _read(path: Path, fn):
    engine = db.make_engine(path, TEST_KEY, create=False)
    try:
        with db.read_session(db.make_session_factory(engine), SYSTEM) as s:
            return fn(s)
    finally:
        engine.dispose()


def demo_mentor(path: Path) -> tuple[Actor, int]:
    """The demo ``mentor`` account and the first intern of theirs whose placement they
    supervise (the sample records the mentor as each shift's supervisor). The sample
    has ticked the steps of placements under way: one step of the mentor's and one of
    HR's are opened again, and the supervisor's checklist items too."""

    def find(s):
        account = next(a for a in accounts.list_accounts(s, SYSTEM) if a.role == "mentor")
        actor = accounts.actor_for(account)
        intern = s.scalar(
            select(Placement.intern_id)
            .join(Shift, Shift.placement_id == Placement.id)
            .join(Intern, Intern.id == Placement.intern_id)
            .where(
                Placement.mentor_id == actor.staff_id,
                Shift.supervisor_staff_id == actor.staff_id,
                Intern.archived_at.is_(None),
            )
            .order_by(Placement.intern_id)
            .limit(1)
        )
        assert intern is not None
        return actor, intern

    actor, intern = _read(path, find)

    def reopen(s) -> None:
        placement = s.scalar(
            select(Placement.id)
            .where(Placement.intern_id == intern)
            .order_by(Placement.start_date.desc())
            .limit(1)
        )
        for owner in ("mentor", "hr"):
            step = s.scalar(
                select(PlanItem)
                .where(PlanItem.placement_id == placement, PlanItem.owner_role == owner)
                .order_by(PlanItem.position)
                .limit(1)
            )
            step.status, step.completed_at = "open", None
        for item in s.scalars(
            select(ChecklistItem).where(
                ChecklistItem.placement_id == placement, ChecklistItem.owner_role == "supervisor"
            )
        ):
            item.status = "open"

    write(path, reopen)
    return actor, intern


def write(path: Path, change) -> None:
    """Run ``change(session)`` in one audited unit of work on the database file."""
    engine = db.make_engine(path, TEST_KEY, create=False)
    try:
        with db.unit_of_work(db.make_session_factory(engine), SYSTEM) as s:
            change(s)
    finally:
        engine.dispose()


def open_intern(open_window, path: Path, actor: Actor, intern_id: int) -> InternDetailPane:
    window: MainWindow = open_window(path, actor=actor)
    window.resize(SIZE)
    window.show_page("interns")
    assert window.interns_view.select_intern(intern_id)
    assert window.runner.settle()
    detail = window.interns_view.detail
    assert detail.current is not None and detail.current.id == intern_id
    detail.tabs.setCurrentIndex(detail.PLAN)
    return detail


def step_status(path: Path, item_id: int) -> tuple[str, str]:
    return _read(path, lambda s: (lambda i: (i.status, i.note))(s.get_one(PlanItem, item_id)))


def select_step(detail: InternDetailPane, owner: str) -> int:
    tab = detail.plan_tab
    rows = tab.steps
    row = next(r for r, p in enumerate(rows) if p.owner == owner and p.status == "open")
    tab.table.selectRow(row)
    return rows[row].item_id


def test_a_mentor_ticks_a_plan_step_and_cannot_tick_hrs(qtbot, open_window, demo_path) -> None:
    mentor, intern_id = demo_mentor(demo_path)
    detail = open_intern(open_window, demo_path, mentor, intern_id)
    tab, editor = detail.plan_tab, detail.plan_tab.editor
    assert tab.model.rowCount() > 0

    hrs = select_step(detail, "hr")
    assert not editor.tick_button.isVisibleTo(tab) and editor.read_only.isVisibleTo(tab)
    assert editor.note_edit.isReadOnly()

    mine = select_step(detail, "mentor")
    assert editor.tick_button.isVisibleTo(tab) and editor.tick_button.text() == "Mark done"
    assert not editor.read_only.isVisibleTo(tab)
    editor.note_edit.setFocus()
    qtbot.keyClicks(editor.note_edit, "Walked the floor with her.")
    assert tab.unsaved_edits()
    qtbot.mouseClick(editor.tick_button, Qt.MouseButton.LeftButton)
    assert detail.window().runner.settle()
    assert step_status(demo_path, mine) == ("done", "Walked the floor with her.")
    assert step_status(demo_path, hrs)[0] == "open"
    # The pane read the intern again: the step shows done, by the mentor, still selected.
    shown = tab.selected()
    assert shown is not None and shown.item_id == mine
    assert (shown.status, shown.completed_by) == ("done", mentor.name)
    assert editor.tick_button.text() == "Reopen" and not tab.unsaved_edits()

    # Should a tick of HR's step get through anyway, the service refuses and says why.
    tab.table.selectRow(next(r for r, p in enumerate(tab.steps) if p.item_id == hrs))
    tab.tick()
    assert detail.window().runner.settle()
    assert editor.error.isVisibleTo(tab)
    assert "a mentor may tick only the steps a mentor owns" in editor.error.text()
    assert step_status(demo_path, hrs)[0] == "open"


def test_hr_ticks_every_step_and_reopens_it(open_window, demo_path) -> None:
    _mentor, intern_id = demo_mentor(demo_path)
    detail = open_intern(open_window, demo_path, SYSTEM, intern_id)
    tab = detail.plan_tab
    assert all(p.may_tick for p in tab.steps)
    hrs = select_step(detail, "hr")
    tab.tick()
    assert detail.window().runner.settle()
    assert step_status(demo_path, hrs)[0] == "done"
    assert tab.editor.tick_button.text() == "Reopen"
    tab.tick()
    assert detail.window().runner.settle()
    assert step_status(demo_path, hrs)[0] == "open"


def test_a_supervising_mentor_changes_the_supervisors_checklist_items(
    open_window, demo_path
) -> None:
    mentor, intern_id = demo_mentor(demo_path)
    detail = open_intern(open_window, demo_path, mentor, intern_id)
    detail.tabs.setCurrentIndex(detail.CHECKLIST)
    tab = detail.checklist_tab
    ui = tab.editor.ui
    rows = [tab.model.row_at(r) for r in range(tab.model.rowCount())]
    supervisors = next(r for r, i in enumerate(rows) if i.owner == "supervisor")
    hrs = next(r for r, i in enumerate(rows) if i.owner == "hr")

    tab.table.selectRow(hrs)
    assert ui.readOnlyLabel.isVisibleTo(tab) and not ui.statusCombo.isEnabled()

    tab.table.selectRow(supervisors)
    assert ui.statusCombo.isEnabled() and ui.saveButton.isVisibleTo(tab)
    choices = [ui.statusCombo.itemData(i) for i in range(ui.statusCombo.count())]
    assert choices == ["open", "done"]  # waiving stays HR's
    ui.statusCombo.setCurrentIndex(ui.statusCombo.findData("done"))
    tab.save()
    assert detail.window().runner.settle()
    item_id = rows[supervisors].id
    status = _read(demo_path, lambda s: s.get_one(ChecklistItem, item_id).status)
    assert status == "done"
