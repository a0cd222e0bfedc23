"""The interns screens on the database worker (issue 12 §3): they load, show the last
answer asked for, save once however often Save is clicked, and a write in one screen
shows in the others that show the same records; all with the guard on, the record
dialog's modal loop included."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import interns_kit
from dialogs import saved
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import func, select

from internhost.core.models import AuditEvent
from internhost.core.services import directory, interns
from internhost.gui.dialogs.intern_editor import InternEditor
from internhost.gui.models.interns_model import PENDING
from internhost.gui.ops import Ops
from internhost.gui.views.interns import LOADING, InternsView

LEFT = Qt.MouseButton.LeftButton
SAVE = QDialogButtonBox.StandardButton.Save
TODAY = date(2026, 11, 20)  # the sample's today (conftest.SAMPLE_TODAY)


def fill_new_intern(editor: InternEditor, school: int) -> None:
    interns_kit.fill_details(editor, school)
    editor.contacts.input("contacts").set_value(interns_kit.CONTACTS[:1])


def school_named(ops: Ops, name: str) -> int:
    return next(s.id for s in ops.database.read(directory.list_schools) if s.name == name)


def test_the_screen_says_it_is_loading_until_the_list_comes(qtbot, ops: Ops, screenshot) -> None:
    gate = threading.Event()
    ops.runner.submit(gate.wait)  # the worker is busy: the list waits behind it
    view = InternsView(ops)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    screenshot(view, "interns-loading")
    assert view.list_stack.currentWidget() is view.loading  # not an empty table
    assert view.loading.text() == LOADING and view.count.text() == ""
    gate.set()
    assert ops.runner.settle()
    assert view.list_stack.currentWidget() is view.table
    assert view.count.text() == "24 interns"
    assert PENDING not in [view.model.data(view.model.index(r, 0)) for r in range(24)]


def test_a_stale_search_is_dropped(qtbot, ops: Ops) -> None:
    view = InternsView(ops)
    qtbot.addWidget(view)
    view.show()
    assert ops.runner.settle()
    shown: list[tuple[str, int]] = []
    view.model.loaded.connect(lambda: shown.append((view.count.text(), view.model.rowCount())))
    for text in ("ng", "nguy", "nguyen"):  # each search asked before any answer came
        view.search.setText(text)
        view.apply_search()
    assert view.count.text() == "24 interns"  # the last list stays until the answer
    assert ops.runner.settle()
    assert shown == [("1 intern found", 1)]  # the earlier searches' answers never showed
    assert view.model.row_at(0).name == "Nguyễn, Thị Ánh"


def test_save_clicked_twice_writes_once(qtbot, ops: Ops) -> None:
    view = InternsView(ops)
    qtbot.addWidget(view)
    view.show()
    assert ops.runner.settle()
    before = len(ops.database.read(interns.list_intern_ids))
    school = school_named(ops, "Elgin High School")
    seq = ops.database.read(lambda s, _a: s.scalar(select(func.max(AuditEvent.seq))))

    def fill(editor, _form) -> None:
        fill_new_intern(editor, school)
        save = editor.buttons.button(SAVE)
        qtbot.mouseClick(save, LEFT)
        assert editor.saving and not save.isEnabled()  # on the worker now
        qtbot.mouseClick(save, LEFT)  # a second click does nothing

    saved(view.new_record, fill)
    assert ops.runner.settle()
    assert len(ops.database.read(interns.list_intern_ids)) == before + 1
    events = ops.database.read(
        lambda s, _a: list(s.scalars(select(AuditEvent.operation).where(AuditEvent.seq > seq)))
    )
    assert events == ["create intern"]
    assert view.detail.current.display_name == "Mariana Pérez-Lindqvist"  # selected


def test_an_intern_placed_from_the_list_shows_in_the_list_detail_and_dashboard(
    open_window, demo_path: Path
) -> None:
    """The editors announce what they saved: the interns list and its detail read
    again, and the dashboard's counts follow once it is shown (once, not per save)."""
    window = open_window(demo_path)
    window.show_page("interns")
    view = window.interns_view
    ops = window.ops
    school = school_named(ops, "Elgin High School")
    site = next(w.id for w in ops.database.read(directory.list_worksites))
    before = window.dashboard_view.dashboard

    saved(view.new_record, lambda editor, _form: fill_new_intern(editor, school))
    assert window.runner.settle()
    new = view.detail.current
    assert new.display_name == "Mariana Pérez-Lindqvist"
    assert view.count.text() == "25 interns"
    assert view.detail.placements_note.isVisibleTo(view.detail)  # none yet

    def place(_dialog, form) -> None:
        assert form.input("intern_id").value() == new.id
        form.input("school_id").set_value(school)
        form.input("worksite_id").set_value(site)
        form.input("start_date").set_value(date(2026, 11, 16))
        form.input("end_date").set_value(date(2027, 1, 15))
        form.input("hourly_rate_cents").set_value(1600)

    saved(view.add_placement, place)
    assert window.runner.settle()
    row = view.model.row_at(view.model.row_of(new.id))
    assert row.worksite is not None and row.placement_start == date(2026, 11, 16)
    assert view.detail.placements.rowCount() == 1
    assert view.detail.checklist_tab.model.rowCount() > 0  # the placement's checklist
    assert window.dashboard_view.dashboard is before  # hidden: it reads when next shown
    window.show_page("dashboard")
    assert window.runner.settle()
    after = window.dashboard_view.dashboard
    assert after.active_placements == before.active_placements + 1
    assert after.active_interns == before.active_interns + 1


def test_an_editor_closed_before_its_read_came_opens_nothing(qtbot, ops: Ops) -> None:
    """The owner went away while the editor's read ran: the answer is dropped."""
    import shiboken6

    view = InternsView(ops)  # not the bot's: deleted below
    view.show()
    assert ops.runner.settle()
    view.table.selectRow(0)
    assert ops.runner.settle()
    view.edit_selected()  # asks for the stored intern first
    shiboken6.delete(view)
    assert ops.runner.settle()  # no dialog opened (it would block here)


def test_the_editor_shows_what_it_read(qtbot, ops: Ops, screenshot) -> None:
    first = ops.database.read(interns.list_intern_ids)[0]
    editor = interns_kit.intern_editor(ops, first)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.windowTitle() == "Edit intern"
    assert editor.details.input("legal_last_name").value()
    assert editor.contacts.input("contacts").value()
    screenshot(editor, "intern-editor-edit")
    editor.discard()


def test_a_placement_edited_in_the_placements_list_shows_when_the_interns_are_shown(
    open_window, demo_path: Path
) -> None:
    """The interns screen, hidden while the placements list saves, marks itself stale
    and reads again once shown: the intern's row and detail name the new worksite."""
    window = open_window(demo_path)
    window.show_page("interns")
    view = window.interns_view
    row = next(r for r in range(view.model.rowCount()) if "Okafor" in view.model.row_at(r).name)
    intern = view.model.row_at(row)
    sites = {w.name: w.id for w in window.ops.database.read(directory.list_worksites)}
    other = next(name for name in sites if name != intern.worksite)

    window.show_page("placements")
    placements_list = window.stack.currentWidget()
    assert window.runner.settle()
    latest = max(
        (r for r in placements_list.rows() if r.row.intern_id == intern.id),
        key=lambda r: r.row.start_date,
    )
    placements_list.select(latest.id)
    saved(
        placements_list.edit_selected,
        lambda _dialog, form: form.input("worksite_id").set_value(sites[other]),
    )
    assert window.runner.settle()
    assert view.model.row_at(view.model.row_of(intern.id)).worksite == intern.worksite  # hidden

    window.show_page("interns")
    assert window.runner.settle()
    assert view.model.row_at(view.model.row_of(intern.id)).worksite == other
