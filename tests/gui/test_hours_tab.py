"""The intern's Hours tab: progress, the weekly chart, approving entries, marking a
missed shift absent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from dialogs import in_dialog
from interns_kit import read_on_worker
from PySide6.QtCore import QItemSelectionModel, Qt
from sqlalchemy import select

from internhost.core.actor import SYSTEM
from internhost.core.models import Placement, TimeEntry
from internhost.core.services import approval, hours_progress
from internhost.core.storage import db
from internhost.gui.dialogs.absence import AbsenceDialog
from internhost.gui.dialogs.pay_periods import PayPeriodsDialog
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


def test_hr_corrects_an_approved_entry_with_a_reason_through_edit(
    qtbot: Any, ops: Any, database: Any, screenshot: Any
) -> None:
    intern = _intern_with_waiting_hours(database)
    tab = _shown(qtbot, ops, intern)
    assert tab.data is not None
    row = next(i for i, e in enumerate(tab.data.entries) if not e.locked)
    entry = tab.data.entries[row]
    _select(tab.entries_view, [row])
    tab.approve_button.click()  # announced: the tab reads the entry again, approved
    assert ops.runner.settle()
    qtbot.waitUntil(lambda: tab.data is not None and tab.data.entries[row].approved)
    _select(tab.entries_view, [row])
    assert tab.edit_button.isVisible() and tab.edit_button.isEnabled()
    new_end = (entry.end - timedelta(minutes=20)).time()

    def no_reason(dialog: Any, form: Any) -> None:
        form.input("end").set_value(new_end)

    refused = in_dialog(tab.edit_button.click, no_reason)
    assert not refused.saved and "reason" in refused.errors, (refused.errors, refused.banner)

    def with_reason(dialog: Any, form: Any) -> None:
        form.input("end").set_value(new_end)
        form.input("reason").set_value("Left early for a school event; the clock missed it.")
        screenshot(dialog, "correct-entry-dialog")

    run = in_dialog(tab.edit_button.click, with_reason)
    assert run.saved and run.title == "Correct approved hours", (run.errors, run.banner)
    after = read_on_worker(ops, hours_progress.intern_hours, intern, ops.today())
    fixed = next(e for e in after.entries if e.id == entry.id)
    assert fixed.end == entry.end - timedelta(minutes=20) and fixed.approved


def test_hr_closes_a_week_once_its_entries_are_approved(
    qtbot: Any, ops: Any, database: Any, screenshot: Any
) -> None:
    dialog = PayPeriodsDialog(ops)
    qtbot.addWidget(dialog)
    dialog.show()
    assert ops.runner.settle()
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0)
    periods = dialog.model._rows
    waiting = next(
        i
        for i, p in enumerate(periods)
        if p.closed_at is None and p.unapproved and p.end_date < ops.today()
    )
    _select(dialog.table, [waiting])
    assert dialog.close_button.isEnabled()
    dialog.close_week()
    assert ops.runner.settle()
    qtbot.waitUntil(lambda: "not approved" in dialog.message.text())
    screenshot(dialog, "pay-periods")
    week = periods[waiting]
    with db.read_session(database.factory, SYSTEM) as s:
        ids = list(
            s.scalars(
                select(TimeEntry.id).where(
                    TimeEntry.work_date.between(week.start_date, week.end_date),
                    TimeEntry.approved_at.is_(None),
                )
            )
        )
    ops.write(ops, approval.approve_entries, ids, changes={"time_entry"})
    assert ops.runner.settle()
    dialog.load()
    assert ops.runner.settle()
    row = next(i for i, p in enumerate(dialog.model._rows) if p.start_date == week.start_date)
    _select(dialog.table, [row])
    dialog.close_week()
    assert ops.runner.settle()
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Closed the week"))
    qtbot.waitUntil(
        lambda: any(
            p.start_date == week.start_date and p.closed_at is not None for p in dialog.model._rows
        )
    )


def test_log_hours_opens_the_entry_dialog_for_the_intern_shown(
    qtbot: Any, ops: Any, database: Any
) -> None:
    from dialogs import in_dialog

    intern = _intern_with_waiting_hours(database)
    tab = _shown(qtbot, ops, intern)
    assert tab.log_button.isVisibleTo(tab) and tab.log_button.isEnabled()
    run = in_dialog(tab.log_button.click, save=False)
    assert run.title == "Log hours" and not run.saved
