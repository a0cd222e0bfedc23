"""Screens in use: typing a search, clicking headers, links, and what each role sees."""

from __future__ import annotations

from contextlib import closing
from datetime import date
from pathlib import Path

from dialogs import settle
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFrame, QLabel
from testkeys import TEST_KEY

from internhost.core import dto
from internhost.core.actor import Actor, Role
from internhost.core.storage import db
from internhost.gui.models.interns_model import COLUMNS
from internhost.gui.views.dashboard import DashboardView
from internhost.gui.views.interns import SEARCH_DELAY_MS

SAMPLE_TODAY = date(2026, 11, 20)
AGE = next(i for i, c in enumerate(COLUMNS) if c.header == "Age")
END = next(i for i, c in enumerate(COLUMNS) if c.header == "End")


def click_header(qtbot, view, column: int) -> None:
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_typing_nguyen_finds_nguyen_after_a_pause(open_window, demo_path: Path, qtbot) -> None:
    window = open_window(demo_path)
    window.show_page("interns")
    view = window.interns_view
    qtbot.keyClicks(view.search, "nguyen")
    assert view.model.rowCount() == 24  # debounced: nothing yet
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=SEARCH_DELAY_MS * 10)
    assert view.model.row_at(0).name == "Nguyễn, Thị Ánh"
    assert view.count.text() == "1 intern found"
    view.table.selectRow(0)
    view.search.clear()
    view.apply_search()
    assert view.model.rowCount() == 1  # shown until the answer comes
    assert window.runner.settle()
    assert view.model.rowCount() == 24
    assert view.selected_intern_id() == view.detail.current.id  # selection survived


def test_header_click_sorts_by_age_and_ignores_unsortable(
    open_window, demo_path: Path, qtbot
) -> None:
    window = open_window(demo_path)
    window.show_page("interns")
    view = window.interns_view
    click_header(qtbot, view, AGE)
    assert window.runner.settle()
    ages = [view.model.row_at(r).age for r in range(view.model.rowCount())]
    assert view.model.sort_column == AGE and ages in (sorted(ages), sorted(ages, reverse=True))
    click_header(qtbot, view, END)  # End has no SQL sort key
    assert window.runner.settle()
    assert view.model.sort_column == AGE
    assert view.table.horizontalHeader().sortIndicatorSection() == AGE


def test_a_queue_line_opens_the_place_to_act(open_window, demo_path: Path) -> None:
    window = open_window(demo_path)
    view = window.dashboard_view
    assert window.runner.settle()
    queue = view.queue_read
    assert queue is not None and queue.items
    assert len(view.queue.items) == len(queue.items)
    checklist = next(i for i in queue.items if i.kind == "checklist")
    view.item_activated.emit(checklist)
    assert window.runner.settle()
    detail = window.interns_view.detail
    assert window.current_page == "interns" and detail.current.id == checklist.intern_id
    assert detail.tabs.currentWidget() is detail.checklist_tab
    hours = next(i for i in queue.items if i.target == "hours")
    window.show_page("dashboard")
    view.item_activated.emit(hours)
    assert window.runner.settle()
    assert detail.current.id == hours.intern_id
    assert detail.tabs.currentWidget() is detail.hours_tab


def first_mentor(path: Path) -> int:
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        return conn.execute("SELECT id FROM staff WHERE role = 'mentor' ORDER BY id").fetchone()[0]


def test_mentor_sees_own_interns_without_birth_dates_or_contacts(
    open_window, demo_path: Path
) -> None:
    mentor = Actor(Role.MENTOR, "Mentor", staff_id=first_mentor(demo_path))
    window = open_window(demo_path, actor=mentor)
    assert not window.welcome_page.load_button.isVisibleTo(window.welcome_page)
    window.show_page("interns")
    view = window.interns_view
    assert 0 < view.model.rowCount() < 24
    view.table.selectRow(0)
    assert window.runner.settle()
    ui = view.detail.profile.ui
    assert not ui.birthDateValue.isVisibleTo(view.detail)
    assert not ui.addressValue.isVisibleTo(view.detail)
    assert ui.ageValue.text()  # the age (and band) still show
    assert not view.detail.contacts_view.isVisibleTo(view.detail)
    assert "may not see" in view.detail.contacts_note.text()


def test_the_queue_lines_say_when_and_a_mentors_rule_change_names_no_date(qtbot, ops) -> None:
    today = date(2026, 11, 20)
    view = DashboardView(ops)
    qtbot.addWidget(view)
    soon = dto.QueueItem(
        "rule_change", 1, "Zoë Łukasiewicz", 3, date(2026, 11, 29), "Rules change soon", "intern"
    )
    late = dto.QueueItem(
        "checklist",
        2,
        "José Núñez",
        4,
        date(2026, 11, 18),
        "Checklist: Work permit on file",
        "checklist",
        9,
        overdue=True,
    )
    counts = dict.fromkeys(dto.QUEUE_KINDS, 0) | {"rule_change": 1, "checklist": 3}
    view.set_queue(dto.Queue(today, counts, (late, soon)))
    rows = [
        [w.text() for w in frame.findChildren(QLabel)]
        for frame in view.queue.findChildren(QFrame)
        if frame.objectName() == "listRow"
    ]
    assert "José Núñez" in rows[0][0] and "Work permit" in rows[0][0]
    assert rows[0][1] == "overdue · Nov 18 (2 days ago)"
    assert "Zoë Łukasiewicz" in rows[1][0] and rows[1][1] == "week of Nov 29"
    assert view.queue.counts.text() == "Checklist 3 · Rules change soon 1"
    assert view.queue.more.text() == "and 2 more"
    clicked = []
    view.item_activated.connect(clicked.append)
    first = next(f for f in view.queue.findChildren(QFrame) if f.objectName() == "listRow")
    first.findChildren(QLabel)[0].linkActivated.emit("item:0")
    assert clicked == [late]


def test_the_dashboard_and_set_up_read_again_when_a_write_announces_what_they_count(
    qtbot, ops, database
) -> None:
    from internhost.core.services import dashboard, setup
    from internhost.gui.views.setup_view import SetupView

    board, summary = DashboardView(ops), SetupView(ops)
    for view in (board, summary):
        qtbot.addWidget(view)
    board.show()  # shown before anyone gave it a dashboard: it reads its own
    summary.show()
    assert summary.summary.text() == "Loading…"
    settle(board)
    assert board.dashboard == database.read(dashboard.dashboard, SAMPLE_TODAY)
    mentors = board.dashboard.mentors
    checks = summary.scroll_area.widget()
    assert checks is not None and summary.summary.text() != "Loading…"

    summary.hide()  # not on screen: it notes the change, and reads once shown again
    ops.write(
        board,
        setup.save_staff,
        setup.StaffInput("Nia", "Okafor", "mentor", email="nia.okafor@example.com"),
        today=SAMPLE_TODAY,
        changes={"staff"},
    )
    settle(board)
    assert board.dashboard.mentors == mentors + 1
    assert summary.scroll_area.widget() is checks  # not read while hidden
    summary.show()
    settle(summary)
    assert summary.scroll_area.widget() is not checks
