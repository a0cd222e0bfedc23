"""The intern's Hours tab: progress, the weekly chart, approving entries, marking a
missed shift absent."""

from __future__ import annotations

from typing import Any

from interns_kit import read_on_worker
from PySide6.QtCore import QItemSelectionModel, Qt
from sqlalchemy import select

from internhost.core.actor import SYSTEM
from internhost.core.models import Placement, TimeEntry
from internhost.core.services import hours_progress
from internhost.core.storage import db
from internhost.gui.dialogs.absence import AbsenceDialog
from internhost.gui.views.hours_tab import HoursTab


def _intern_with_waiting_hours(database: Any) -> int:
    with db.read_session(database.factory, SYSTEM) as s:
        intern = s.scalar(
            select(Placement.intern_id)
            .join(TimeEntry, TimeEntry.placement_id == Placement.id)
            .where(TimeEntry.approved_at.is_(None))
            .order_by(Placement.intern_id)
            .limit(1)
        )
    assert intern is not None
    return intern


def _shown(qtbot: Any, ops: Any, intern: int) -> HoursTab:
    tab = HoursTab(ops)
    qtbot.addWidget(tab)
    tab.resize(1000, 900)
    tab.show()
    tab.show_intern(intern, "Test Intern")
    assert ops.runner.settle()
    qtbot.waitUntil(lambda: tab.data is not None)
    return tab


def _select(view: Any, rows: list[int]) -> None:
    selection = view.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(
            view.model().index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )


def test_the_tab_shows_progress_apart_and_approves_the_chosen_entries(
    qtbot: Any, ops: Any, database: Any, screenshot: Any
) -> None:
    intern = _intern_with_waiting_hours(database)
    tab = _shown(qtbot, ops, intern)
    data = tab.data
    assert data is not None and data.awaiting_minutes > 0
    assert f"{data.approved_minutes / 60:.2f} h approved" in tab.required_label.text()
    assert f"{data.awaiting_minutes / 60:.2f} h awaiting approval" in tab.required_label.text()
    assert "Career Development Experience" in tab.cde_label.text()
    assert tab.entries.rowCount() == len(data.entries)
    assert tab.chart.weeks == data.weeks[-len(tab.chart.weeks) :]
    screenshot(tab, "hours-tab")
    assert not tab.approve_button.isEnabled()  # nothing chosen yet
    waiting = [i for i, e in enumerate(data.entries) if e.can_approve][:2]
    _select(tab.entries_view, waiting)
    assert tab.approve_button.isEnabled() and tab.approve_button.text() == "Approve 2"
    ids = {data.entries[i].id for i in waiting}
    qtbot.mouseClick(tab.approve_button, Qt.MouseButton.LeftButton)
    assert ops.runner.settle()
    qtbot.waitUntil(lambda: tab.status.text() == "Approved 2 entries.")
    # The write announced its kind: the tab read again, and the entries say approved.
    qtbot.waitUntil(lambda: all(e.approved for e in tab.entries._rows if e.id in ids))
    after = read_on_worker(ops, hours_progress.intern_hours, intern, ops.today())
    assert after.awaiting_minutes < data.awaiting_minutes


def test_a_missed_shift_is_marked_absent_with_a_reason(
    qtbot: Any, ops: Any, database: Any, screenshot: Any
) -> None:
    intern = _intern_with_waiting_hours(database)
    with db.unit_of_work(database.factory, SYSTEM) as s:
        entry = s.scalar(
            select(TimeEntry)
            .join(Placement, Placement.id == TimeEntry.placement_id)
            .where(Placement.intern_id == intern, TimeEntry.shift_id.is_not(None))
            .order_by(TimeEntry.work_date.desc())
            .limit(1)
        )
        shift_id = entry.shift_id
        s.delete(entry)  # the shift was planned, and nobody logged it
    tab = _shown(qtbot, ops, intern)
    rows = [a.shift_id for a in tab.attendance._rows]
    row = rows.index(shift_id)
    assert tab.attendance.row_at(row).status == "no entry"
    _select(tab.attendance_view, [row])
    assert tab.absent_button.isEnabled()
    dialog = AbsenceDialog(ops, tab.attendance.row_at(row), tab)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.excused.setChecked(True)
    dialog.save()  # excused without a reason: refused, the dialog stays open
    assert ops.runner.settle()
    qtbot.waitUntil(lambda: dialog.error.isVisible())
    assert "Reason" in dialog.error.text() and dialog.isVisible()
    dialog.reason.setPlainText("Dentist appointment, note from home")
    screenshot(dialog, "absence-dialog")
    dialog.save()
    assert ops.runner.settle()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert ops.runner.settle()
    qtbot.waitUntil(
        lambda: any(
            a.shift_id == shift_id and a.status == "excused absence" for a in tab.attendance._rows
        )
    )
